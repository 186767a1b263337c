/**
 * IAM policy size facts and upper bounds for the ELBv2 ARNs our policies list, so that a policy's
 * resolved size can be bounded at synth time, when most ARNs are still references.
 *
 * IAM quotas (IAM User Guide, "IAM and AWS STS quotas"): the inline policies of a role may hold
 * 10,240 characters in all, a customer managed policy 6,144, and a role may have 10 managed
 * policies attached (default quota). IAM does not count white space.
 */
export const ROLE_INLINE_POLICY_CHARS = 10240;
export const MANAGED_POLICY_CHARS = 6144;
export const MANAGED_POLICIES_PER_ROLE = 10;

// The longest values each ARN part can take: partition (aws-us-gov), region (e.g. ap-southeast-1,
// with room for longer names), account, load balancer and target group names (32 characters) and
// the 16-hex-digit IDs ELBv2 appends.
const PREFIX = `arn:${'p'.repeat(10)}:elasticloadbalancing:${'r'.repeat(16)}:${'0'.repeat(12)}:`;
const NAME = 'n'.repeat(32);
const ID = 'f'.repeat(16);

// VPC Lattice ARNs: arn:<partition>:vpc-lattice:<region>:<account>:targetgroup/tg-<17 characters>, and
// service/svc-<17>/listener/listener-<17>/rule/rule-<17> (IDs of 17 lower-case letters and digits).
const LATTICE_PREFIX = `arn:${'p'.repeat(10)}:vpc-lattice:${'r'.repeat(16)}:${'0'.repeat(12)}:`;
const LATTICE_ID = 'f'.repeat(17);

/** The longest resolved ARN of each kind of ELBv2 (and VPC Lattice) resource. */
export const MAX_ELB_ARN_CHARS = {
  targetGroup: `${PREFIX}targetgroup/${NAME}/${ID}`.length,
  listenerRule: `${PREFIX}listener-rule/app/${NAME}/${ID}/${ID}/${ID}`.length,
  listener: `${PREFIX}listener/app/${NAME}/${ID}/${ID}`.length,
  latticeTargetGroup: `${LATTICE_PREFIX}targetgroup/tg-${LATTICE_ID}`.length,
  latticeRule: `${LATTICE_PREFIX}service/svc-${LATTICE_ID}/listener/listener-${LATTICE_ID}/rule/rule-${LATTICE_ID}`.length,
} as const;

/**
 * Characters an ARN adds to a policy's `Resource` list once resolved: its length (the longest of
 * its kind while it is still a reference) plus two quotes and a comma.
 */
export function arnChars(arn: string, unresolved: boolean, kind: keyof typeof MAX_ELB_ARN_CHARS): number {
  return (unresolved ? MAX_ELB_ARN_CHARS[kind] : arn.length) + 3;
}

/** An item to put on a policy page: its own characters, and ARNs it shares with others (counted once per page). */
export interface PageItem {
  readonly chars: number;
  /** Shared ARNs (e.g. a listener several services use) with their characters. */
  readonly shared: ReadonlyArray<readonly [string, number]>;
}

/**
 * Splits items, in order, into consecutive pages: the first holds at most `firstCapacity`
 * characters, each further one `capacity`; a shared ARN costs its characters once per page.
 * Filling each page before opening the next gives the fewest pages for a fixed order (a part of a
 * page that fits also fits), and adding an item never reduces the page count.
 * Returns the page of each item; an item larger than a page gets a page of its own.
 */
export function paginate(items: readonly PageItem[], firstCapacity: number, capacity: number): number[] {
  const pages: number[] = [];
  let page = 0;
  let used = 0;
  let seen = new Set<string>();
  const costOn = (item: PageItem, onPage: Set<string>) =>
    item.chars + item.shared.filter(([arn]) => !onPage.has(arn)).reduce((n, [, chars]) => n + chars, 0);
  for (const item of items) {
    const room = page === 0 ? firstCapacity : capacity;
    if (used > 0 && used + costOn(item, seen) > room) {
      page++;
      used = 0;
      seen = new Set();
    }
    used += costOn(item, seen);
    item.shared.forEach(([arn]) => seen.add(arn));
    pages.push(page);
  }
  return pages;
}
