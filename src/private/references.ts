import { CfnElement, Stack } from 'aws-cdk-lib';

/**
 * Logical IDs a template element refers to: `Ref`, `Fn::GetAtt` (both forms), `${X}` and
 * `${X.Attr}` in `Fn::Sub`, and `DependsOn`.
 * @internal
 */
export function referencesOf(stack: Stack, el: CfnElement): string[] {
  const rendered = stack.resolve((el as any)._toCloudFormation());
  const ids: string[] = [];
  const visit = (v: any): void => {
    if (Array.isArray(v)) {
      v.forEach(visit);
    } else if (v && typeof v === 'object') {
      if (typeof v.Ref === 'string') ids.push(v.Ref);
      const getAtt = v['Fn::GetAtt'];
      if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') ids.push(getAtt[0]);
      if (typeof getAtt === 'string') ids.push(getAtt.split('.')[0]);
      const sub = v['Fn::Sub'];
      const template = typeof sub === 'string' ? sub : Array.isArray(sub) && typeof sub[0] === 'string' ? sub[0] : undefined;
      if (template) ids.push(...[...template.matchAll(/\$\{([A-Za-z0-9]+)(\.[^}]*)?\}/g)].map((m) => m[1]));
      Object.values(v).forEach(visit);
    }
  };
  for (const section of Object.values<any>(rendered ?? {})) {
    for (const body of Object.values<any>(section ?? {})) {
      visit(body);
      ids.push(...[body?.DependsOn ?? []].flat());
    }
  }
  return ids;
}

/**
 * The logical IDs of the stack's template elements that `from` refers to, directly or through
 * other elements of the stack (the elements of `from` included), each mapped to the element it
 * was reached from (`undefined` for those of `from`). Elements of other stacks are not followed:
 * CDK turns those references into exports and checks them itself.
 * @internal
 */
export function reachableFrom(stack: Stack, from: CfnElement[]): Map<string, string | undefined> {
  const byId = new Map<string, CfnElement>();
  for (const c of stack.node.findAll()) {
    if (CfnElement.isCfnElement(c) && Stack.of(c) === stack) byId.set(stack.getLogicalId(c), c);
  }
  const reached = new Map<string, string | undefined>();
  const queue: Array<[string, string | undefined]> = from.filter((el) => Stack.of(el) === stack).map((el) => [stack.getLogicalId(el), undefined]);
  while (queue.length > 0) {
    const [id, parent] = queue.shift()!;
    if (reached.has(id)) continue;
    reached.set(id, parent);
    const el = byId.get(id);
    if (el) referencesOf(stack, el).filter((ref) => !reached.has(ref)).forEach((ref) => queue.push([ref, id]));
  }
  return reached;
}

/** The chain `start → ... → id` in a map made by {@link reachableFrom}. @internal */
export function pathTo(reached: Map<string, string | undefined>, id: string): string[] {
  const path: string[] = [];
  for (let at: string | undefined = id; at !== undefined && !path.includes(at); at = reached.get(at)) path.unshift(at);
  return path;
}
