/**
 * Reads a rendered `HookDetails` back into an object, for assertions. The library renders it as a
 * JSON string: a plain string, or `Fn::Join` when the details hold tokens. Intrinsics inside
 * a string come back as an `Fn::Join` of the string's parts, an intrinsic that is a whole value
 * comes back as itself, so `{ url: { 'Fn::Join': ['', ['http://', { 'Fn::GetAtt': [...] }, ':80']] } }`
 * reads as it did before the details were serialized. Anything else (an object: the form AWS
 * does not accept) throws, naming what it got.
 */
export function hookDetailsOf(rendered: unknown): any {
  if (typeof rendered === 'string') return JSON.parse(rendered);
  const join = (rendered as any)?.['Fn::Join'];
  if (!Array.isArray(join) || join[0] !== '' || !Array.isArray(join[1])) {
    throw new Error(`HookDetails is not a JSON string (nor Fn::Join of one): ${JSON.stringify(rendered)}`);
  }
  const intrinsics: unknown[] = [];
  const marker = (i: number) => `@@intrinsic${i}@@`;
  const text = (join[1] as unknown[]).map((part) => {
    if (typeof part === 'string') return part;
    intrinsics.push(part);
    return marker(intrinsics.length - 1);
  }).join('');
  return JSON.parse(text, (_key, value) => {
    if (typeof value !== 'string' || !value.includes('@@intrinsic')) return value;
    const parts = value.split(/@@intrinsic(\d+)@@/).map((p, i) => (i % 2 === 1 ? intrinsics[Number(p)] : p)).filter((p) => p !== '');
    return parts.length === 1 && typeof parts[0] !== 'string' ? parts[0] : { 'Fn::Join': ['', parts] };
  });
}
