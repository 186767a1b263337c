// The CLEANUP check of option 3 with Route 53 (run by cleanup-precondition.lambda.ts): the old
// weighted record must be found, and no record of its name may still answer with the old load
// balancer. Facts it relies on:
// - Route 53 stores letters in lower case whatever case they were given in, returns characters
//   outside a-z, 0-9, hyphen and underscore as a backslash and three octal digits (`*` is `\052`),
//   and ends every name with a dot ("DNS domain name format", Amazon Route 53 Developer Guide).
// - ListResourceRecordSets lists records sorted by name (labels reversed), then by type; with a
//   start name and no start type it begins at the first record whose name is greater than or equal
//   to it, and pages with NextRecordName / NextRecordType / NextRecordIdentifier while IsTruncated
//   ("ListResourceRecordSets", Amazon Route 53 API Reference).
// - A weighted group is the records of one name and one type; a weight of 0 stops answers from that
//   record, but Route 53 answers with zero-weight records when the group has no other record to
//   answer with (all weights 0: "ResourceRecordSet", Weight, Amazon Route 53 API Reference; all
//   nonzero records unhealthy: "Weighted routing", Amazon Route 53 Developer Guide).
import { ListResourceRecordSetsCommand, ResourceRecordSet, Route53Client } from '@aws-sdk/client-route-53';

/** The Route 53 check's properties. */
export interface RecordDrainedCheck {
  Type: 'RecordDrained';
  HostedZoneId: string;
  /** The record name as the app gave it (any case, with or without the trailing dot, `*` unescaped). */
  RecordName: string;
  /** The set identifier of the old weighted records (one per record type the layer wrote). */
  SetIdentifier: string;
  /** The record types the routing layer wrote under that set identifier (default: A, all it wrote before this property existed). */
  RecordTypes?: string[];
}

/** How many pages of one name the check reads at most (300 records a page). */
const MAX_PAGES = 20;

/**
 * A DNS name in one comparable form: lower case, octal escapes decoded, one trailing dot.
 * `Shop.Example.com`, `shop.example.com.` and Route 53's `shop.example.com.` compare equal, and
 * so do `*.example.com` and `\052.example.com.`.
 */
export function normalizeDnsName(name: string): string {
  const decoded = name.replace(/\\([0-7]{3})/g, (_m, octal: string) => String.fromCharCode(parseInt(octal, 8)));
  const lower = decoded.toLowerCase();
  return lower.endsWith('.') ? lower : `${lower}.`;
}

/** A normalized name as Route 53 writes it: characters other than a-z, 0-9, hyphen, underscore and dot escaped. */
function escapeDnsName(normalized: string): string {
  return normalized.replace(/[^a-z0-9\-_.]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
}

/** Every record of the hosted zone named `name` (normalized), whatever its type. */
async function recordsNamed(route53: Route53Client, hostedZoneId: string, name: string,
  call: <T>(fn: () => Promise<T>) => Promise<T>): Promise<ResourceRecordSet[]> {
  const found: ResourceRecordSet[] = [];
  let start: { name: string; type?: string; identifier?: string } = { name: escapeDnsName(name) };
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await call(() => route53.send(new ListResourceRecordSetsCommand({
      HostedZoneId: hostedZoneId,
      StartRecordName: start.name,
      ...(start.type ? { StartRecordType: start.type as any } : {}),
      ...(start.identifier ? { StartRecordIdentifier: start.identifier } : {}),
    })));
    const records = out.ResourceRecordSets ?? [];
    found.push(...records.filter((r) => normalizeDnsName(r.Name ?? '') === name));
    // The list is sorted by name: once a page holds a later name, no record of this name follows.
    const past = records.some((r) => normalizeDnsName(r.Name ?? '') !== name);
    if (past || !out.IsTruncated || !out.NextRecordName) return found;
    start = { name: out.NextRecordName, type: out.NextRecordType, identifier: out.NextRecordIdentifier };
  }
  return found;
}

/** Where a record answers: its alias target, or its values. */
function answers(record: ResourceRecordSet): string[] {
  if (record.AliasTarget?.DNSName) return [normalizeDnsName(record.AliasTarget.DNSName)];
  return (record.ResourceRecords ?? []).map((r) => (r.Value ?? '').toLowerCase());
}

/** Whether Route 53 answers with the record: a weighted record above 0, or a record of another routing policy. */
function live(record: ResourceRecordSet): boolean {
  return record.Weight === undefined || record.Weight > 0;
}

function describe(record: ResourceRecordSet): string {
  return `${record.Type} record ${normalizeDnsName(record.Name ?? '')}${record.SetIdentifier ? ` (${record.SetIdentifier})` : ''}`;
}

/**
 * The failure of the Route 53 check, or undefined when it holds: the old records (by set
 * identifier, any type) are found, each weighs 0 while its group has a record above 0, and no other
 * record of the name answers with the old records' targets.
 *
 * `alreadyDeleted`: the check passed in an earlier deploy, which then deleted the old record (an
 * Update of the check resource after a CLEANUP that succeeded): a missing old record is expected.
 */
export async function recordDrained(route53: Route53Client, check: RecordDrainedCheck, alreadyDeleted: boolean,
  call: <T>(fn: () => Promise<T>) => Promise<T>): Promise<string | undefined> {
  const name = normalizeDnsName(check.RecordName);
  const records = await recordsNamed(route53, check.HostedZoneId, name, call);
  const old = records.filter((r) => r.SetIdentifier === check.SetIdentifier);
  const missing = (check.RecordTypes ?? ['A']).filter((type) => !old.some((r) => r.Type === type));
  if (alreadyDeleted && old.length === 0) return undefined;
  const failures = missing.map((type) => `the old weighted ${type} record ${name} (${check.SetIdentifier}) is not in hosted zone ${check.HostedZoneId}, ` +
    'so the check cannot tell that it receives no traffic: check the record name, or deploy CUTOVER with cutoverPercent 100 first');
  for (const record of old) {
    if (live(record)) {
      failures.push(`the old ${describe(record)} still has ${record.Weight === undefined ? 'no weight (it is not weighted)' : `weight ${record.Weight}`}: ` +
        'deploy CUTOVER with cutoverPercent 100 first');
      continue;
    }
    const group = records.filter((r) => r.Type === record.Type && r !== record);
    if (!group.some(live)) {
      failures.push(`the old ${describe(record)} weighs 0, but no other ${record.Type} record of the name weighs more, ` +
        'so Route 53 still answers with it: deploy CUTOVER with cutoverPercent 100 first');
    }
  }
  const oldTargets = new Set(old.flatMap(answers));
  for (const record of records) {
    if (old.includes(record) || !live(record)) continue;
    const target = answers(record).find((a) => oldTargets.has(a));
    if (target) failures.push(`the ${describe(record)} still answers with the old load balancer (${target}): set its weight to 0 or delete it`);
  }
  return failures.length > 0 ? failures.join('; ') : undefined;
}
