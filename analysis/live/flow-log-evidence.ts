/**
 * `verify --evidence flow-logs`: what the VPC's flow logs say the functions' DynamoDB traffic
 * really did, over `--since`. One CloudWatch Logs Insights query per flow-log group, for the
 * records of the functions' Lambda interfaces and of the VPC's NAT gateways; the records are
 * parsed with the flow log's own format (DescribeFlowLogs' LogFormat), so the default format
 * and custom ones with the v5 fields both read.
 *
 * Per function: accepted flows to DynamoDB's prefix-list CIDRs, flows to them through a NAT
 * gateway (a NAT interface's records, attributed to the function by `pkt-srcaddr` when the
 * format has it, else to every function behind that NAT), and rejects either way. With
 * `traffic-path` a flow through the gateway endpoint is seen as such (7); without it the
 * endpoint path is inferred from the absence of NAT flows, and the report says so. No DynamoDB
 * traffic in the window is "no evidence", never a pass.
 */
import { GetQueryResultsCommand, StartQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { Address4 } from 'ip-address';
import { CheckDefinition, Finding, finding } from '../findings';
import { LiveClientsWithLogs } from './clients';
import { CouldNotLook, couldNotLookReason } from './errors';
import { functionInterfaces, LiveAccount } from './read-account';

export const EVIDENCE_CHECKS = {
  throughNat: {
    id: 'VLD115',
    title: 'Flow logs show DynamoDB traffic through a NAT gateway',
    severity: 'error',
    symptom: 'Works, but every GB to DynamoDB pays NAT processing (about $0.045/GB) and leaves the endpoint policy unenforced',
    fix: "Attach the endpoint to the route table of every subnet the function runs in (its route_table_ids): the prefix-list route is more specific than the NAT's 0.0.0.0/0",
  },
  rejected: {
    id: 'VLD116',
    title: 'Flow logs show rejected DynamoDB traffic',
    severity: 'error',
    symptom: '"Task timed out" or connect ETIMEDOUT: a security group or network ACL dropped packets to or from DynamoDB',
    fix: "Allow tcp 443 to DynamoDB's prefix list in the function's security group, and 443 out and 1024-65535 back in its subnet's network ACL",
  },
  noEvidence: {
    id: 'VLD117',
    title: 'No flow-log evidence',
    severity: 'warning',
    fix: 'Turn on VPC flow logs to CloudWatch Logs (traffic_type ALL) and invoke the function within --since; add the v5 fields (pkt-srcaddr, pkt-dst-aws-service, flow-direction, traffic-path) to tell endpoint from NAT traffic directly',
  },
} as const satisfies Record<string, CheckDefinition>;

/** What the flow logs say about one function. */
export interface FunctionEvidence {
  readonly function: string;
  /** Accepted flows from the function's interfaces to DynamoDB's CIDRs. */
  readonly accepted: number;
  /** Of those, flows whose `traffic-path` is the gateway endpoint (7); undefined when the format has no traffic-path. */
  readonly throughEndpoint?: number;
  readonly throughNat: number;
  readonly rejected: number;
  /** How the path was told: `traffic-path` (v5 field), or inferred from NAT records. */
  readonly how: 'traffic-path' | 'nat-records' | 'none';
  readonly interfaces: string[];
}

export interface FlowLogEvidence {
  readonly since: string;
  /** The flow-log groups queried (none: no flow log to CloudWatch Logs on the functions' VPCs). */
  readonly logGroups: string[];
  readonly functions: FunctionEvidence[];
  readonly findings: Finding[];
}

/** The default format, for a flow log whose LogFormat is not reported. */
const DEFAULT_FORMAT = '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}';

/** `--since`: `90s`, `15m`, `1h`, `2d` (up to 30 days), or an ISO date; milliseconds back from `now`. */
export function parseSince(text: string, now = Date.now()): number | undefined {
  const m = /^(\d+)(s|m|h|d)$/.exec(text.trim());
  if (m) {
    const ms = Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
    return ms > 0 && ms <= 30 * 86_400_000 ? ms : undefined;
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const at = Date.parse(text);
    return Number.isNaN(at) || at >= now ? undefined : now - at;
  }
  return undefined;
}

function inCidrs(ip: string | undefined, cidrs: Address4[]): boolean {
  if (!ip || !Address4.isValid(ip)) return false;
  const a = new Address4(ip);
  return cidrs.some((c) => a.isInSubnet(c));
}

/** Runs the queries and reads the records; the verifier's own AccessDenied is {@link CouldNotLook}. */
export async function flowLogEvidence(clients: LiveClientsWithLogs, account: LiveAccount, sinceMs: number, sinceText: string, now = Date.now(), pollMs = 1000): Promise<FlowLogEvidence> {
  const cidrs = account.prefixLists.filter((p) => /dynamodb/.test(p.PrefixListName ?? '')).flatMap((p) => p.Cidrs ?? []).filter((c) => Address4.isValid(c)).map((c) => new Address4(c));
  const vpcs = new Set(account.functions.map((f) => f.VpcConfig?.VpcId).filter(Boolean));
  const subnets = new Set(account.functions.flatMap((f) => f.VpcConfig?.SubnetIds ?? []));
  const logs = account.flowLogs.filter((f) => (f.LogDestinationType ?? 'cloud-watch-logs') === 'cloud-watch-logs' && f.LogGroupName && (vpcs.has(f.ResourceId) || subnets.has(f.ResourceId ?? '')) && f.TrafficType !== 'ACCEPT');
  const natEnis = account.natGateways.flatMap((n) => (n.NatGatewayAddresses ?? []).map((a) => a.NetworkInterfaceId)).filter((e): e is string => !!e);
  const perFunction = account.functions.map((f) => ({ f, enis: functionInterfaces(account, f) }));
  const wanted = [...new Set([...perFunction.flatMap((p) => p.enis.map((n) => n.NetworkInterfaceId!)), ...natEnis])].filter(Boolean);

  type Row = Record<string, string>;
  const rows: Row[] = [];
  let formats: string[][] = [];
  if (wanted.length > 0) {
    for (const log of logs) {
      const fields = [...(log.LogFormat ?? DEFAULT_FORMAT).matchAll(/\$\{([a-z0-9-]+)\}/g)].map((m) => m[1]);
      formats.push(fields);
      const messages = await query(clients, log.LogGroupName!, wanted, now - sinceMs, now, pollMs);
      for (const message of messages) {
        const parts = message.trim().split(/\s+/);
        if (parts.length !== fields.length) continue;
        rows.push(Object.fromEntries(fields.map((k, i) => [k, parts[i]])));
      }
    }
  }
  formats = formats.filter((f) => f.length > 0);
  const hasPath = formats.length > 0 && formats.every((f) => f.includes('traffic-path'));

  const functions: FunctionEvidence[] = perFunction.map(({ f, enis }) => {
    const ids = new Set(enis.map((n) => n.NetworkInterfaceId));
    const ips = new Set(enis.map((n) => n.PrivateIpAddress));
    const own = rows.filter((r) => ids.has(r['interface-id']));
    const toDynamo = own.filter((r) => inCidrs(r.dstaddr, cidrs) || r['pkt-dst-aws-service'] === 'DYNAMODB');
    const accepted = toDynamo.filter((r) => r.action === 'ACCEPT');
    const rejected = own.filter((r) => r.action === 'REJECT' && (inCidrs(r.dstaddr, cidrs) || inCidrs(r.srcaddr, cidrs) || r['pkt-dst-aws-service'] === 'DYNAMODB')).length;
    // With traffic-path, the function's own records tell the path (7: the gateway endpoint).
    // Without it, a NAT interface's flow to DynamoDB is this function's when pkt-srcaddr names
    // one of its interfaces, or, lacking that field, when its subnets route through a NAT.
    const behindNat = account.routeTables.some((t) => (t.Associations ?? []).some((a) => (f.VpcConfig?.SubnetIds ?? []).includes(a.SubnetId ?? '')) && (t.Routes ?? []).some((r) => r.NatGatewayId));
    const known = (v: string | undefined) => v !== undefined && v !== '-';
    const throughNat = hasPath
      ? accepted.filter((r) => known(r['traffic-path']) && r['traffic-path'] !== '7').length
      : rows.filter((r) => natEnis.includes(r['interface-id']) && r.action === 'ACCEPT' && (inCidrs(r.dstaddr, cidrs) || r['pkt-dst-aws-service'] === 'DYNAMODB') && (known(r['pkt-srcaddr']) ? ips.has(r['pkt-srcaddr']) : behindNat)).length;
    return {
      function: f.FunctionName ?? '?',
      accepted: accepted.length,
      ...(hasPath ? { throughEndpoint: accepted.filter((r) => r['traffic-path'] === '7').length } : {}),
      throughNat,
      rejected,
      how: hasPath ? 'traffic-path' : logs.length > 0 ? 'nat-records' : 'none',
      interfaces: [...ids].filter((x): x is string => !!x),
    };
  });

  const c = EVIDENCE_CHECKS;
  const findings: Finding[] = [];
  for (const e of functions) {
    const address = `aws_lambda_function.live[${JSON.stringify(e.function)}]`;
    if (logs.length === 0) findings.push(finding(c.noEvidence, address, `${e.function}: no flow log to CloudWatch Logs on its VPC or subnets: no evidence`));
    else if (e.accepted === 0 && e.rejected === 0 && e.throughNat === 0) findings.push(finding(c.noEvidence, address, `${e.function}: no DynamoDB traffic from its interfaces (${e.interfaces.join(', ') || 'none'}) in the last ${sinceText}: no evidence`));
    if (e.throughNat > 0) findings.push(finding(c.throughNat, address, `${e.function}: ${e.throughNat} flow(s) to DynamoDB went through a NAT gateway in the last ${sinceText}`));
    if (e.rejected > 0) findings.push(finding(c.rejected, address, `${e.function}: ${e.rejected} rejected flow(s) to or from DynamoDB in the last ${sinceText}`));
  }
  return { since: sinceText, logGroups: logs.map((l) => l.LogGroupName!), functions, findings };
}

/** One Logs Insights query for the records of these interfaces; polls until it completes. */
async function query(clients: LiveClientsWithLogs, logGroupName: string, interfaces: string[], startMs: number, endMs: number, pollMs: number): Promise<string[]> {
  const pattern = interfaces.map((i) => i.replace(/[^a-z0-9-]/gi, '')).join('|');
  const queryString = `fields @timestamp, @message | filter @message like /${pattern}/ | sort @timestamp desc | limit 10000`;
  const guard = async <T>(action: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      const reason = couldNotLookReason(error);
      if (reason) throw new CouldNotLook([{ action, reason }]);
      throw error;
    }
  };
  const started = await guard('logs:StartQuery', () => clients.logs.send(new StartQueryCommand({ logGroupName, startTime: Math.floor(startMs / 1000), endTime: Math.ceil(endMs / 1000), queryString, limit: 10000 })));
  for (let attempt = 0; attempt < 120; attempt++) {
    const answer = await guard('logs:GetQueryResults', () => clients.logs.send(new GetQueryResultsCommand({ queryId: started.queryId })));
    if (answer.status === 'Complete') return (answer.results ?? []).map((row) => row.find((f) => f.field === '@message')?.value ?? '').filter(Boolean);
    if (answer.status === 'Failed' || answer.status === 'Cancelled' || answer.status === 'Timeout') throw new CouldNotLook([{ action: 'logs:GetQueryResults', reason: `the query over ${logGroupName} ended ${answer.status}` }]);
    await new Promise((r) => setTimeout(r, pollMs));
  }
  throw new CouldNotLook([{ action: 'logs:GetQueryResults', reason: `the query over ${logGroupName} did not complete in ${(120 * pollMs) / 1000} s` }]);
}
