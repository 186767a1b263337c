/**
 * Every subtree of a resolved `value` whose JSON equals one of the `from`s replaced by its `to`,
 * and whether any was.
 * @internal
 */
export function replaceRefs(value: unknown, pairs: Array<{ from: string; to: unknown }>): { value: unknown; hit: boolean } {
  const json = JSON.stringify(value);
  const pair = pairs.find((p) => p.from === json);
  if (pair) return { value: pair.to, hit: true };
  if (Array.isArray(value)) {
    const parts = value.map((v) => replaceRefs(v, pairs));
    return { value: parts.map((p) => p.value), hit: parts.some((p) => p.hit) };
  }
  if (value && typeof value === 'object') {
    let hit = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = replaceRefs(v, pairs);
      out[k] = r.value;
      hit = hit || r.hit;
    }
    return { value: out, hit };
  }
  return { value, hit: false };
}
