/** Prints a {@link CheckReport}: text with tables for people, JSON for machines. */
import { changeLines, usd } from './change';
import Table from 'cli-table3';
import { allFindings, CheckReport } from './analyze';
import { Finding } from './findings';
import type { CostEstimate } from './cost-estimate';
import { SECURITY_TABLE } from './security-checks';

const dollars = usd;

function table(head: string[], colWidths?: number[]): Table.Table {
  // No colours: the output goes to CI logs and files as often as to a terminal.
  // No lines between rows: a report of 12 checks stays a screen high.
  return new Table({ head, style: { head: [], border: [], compact: true }, wordWrap: true, ...(colWidths ? { colWidths } : {}) });
}

/** `aws_subnet.system_network_private[0]` -> `network_private[0]`: the type is in the column. */
export function short(address: string): string {
  // A module instance with a key stays (`function["orders"].this[0]`): several share one resource name.
  const modules = [...address.matchAll(/module\.([\w-]+)(\[[^\]]*\])?\./gy)];
  const prefix = modules.some((m) => m[2]) ? modules.map((m) => `${m[1]}${m[2] ?? ''}.`).join('') : '';
  const rest = address.slice(modules.reduce((n, m) => n + m[0].length, 0));
  return prefix + rest.replace(/^aws_[a-z0-9_]+\./, '').replace(/^system_/, '');
}

/** The text report: three sections and a verdict line (`failed`: the verdict under `--fail-on`). */
export function renderText(report: CheckReport, failed: boolean = report.failed): string {
  const out: string[] = [];
  const r = report.reachability;
  out.push(`npm run check: ${report.input.source}${report.input.file ? ` ${report.input.file}` : ''}`);
  out.push('');
  out.push('1. Reachability (DynamoDB through the gateway endpoint)');
  const routes = table(['subnet', 'route table', 'DynamoDB route via endpoint', 'internet path']);
  const seen = new Set<string>();
  for (const fn of r.functions) {
    for (const s of fn.subnets) {
      if (seen.has(s.subnet)) continue;
      seen.add(s.subnet);
      const internet = s.internet === 'none' ? 'none' : `${s.internet === 'nat' ? 'NAT' : 'internet gateway (public)'}`;
      routes.push([short(s.subnet), s.routeTable === 'external' || s.routeTable === 'main' ? s.routeTable : short(s.routeTable), s.endpointRoute, internet]);
    }
  }
  const reach = table(['function', 'SG 443 to DynamoDB', 'table: actions', 'role', 'endpoint policy', 'internet', 'DB 5432 out/in', 'private']);
  for (const fn of r.functions) {
    const tables = fn.tables.map((t) => `${short(t.table)}: ${t.actions.map((a) => a.replace('dynamodb:', '')).join(',')}`).join('\n') || 'none';
    const role = fn.tables.map((t) => (t.roleUnknown ? '?' : t.roleMissing.length ? `NO (${t.roleMissing.map((a) => a.replace('dynamodb:', '')).join(',')})` : 'allows')).join('\n') || '-';
    const endpoint = fn.tables.map((t) => (!fn.endpoint ? 'no endpoint' : t.endpointUnknown ? '?' : t.endpointDenied.length ? `NO (${t.endpointDenied.map((a) => a.replace('dynamodb:', '')).join(',')})` : 'allows')).join('\n') || '-';
    const hasPath = fn.subnets.some((s) => s.internet !== 'none');
    const internet = `${hasPath ? 'path' : 'no path'}, ${fn.internetAskedFor ? 'asked for' : 'not asked for'}`;
    const db = fn.database ? `${fn.database.egress ? 'ok' : 'NO'} / ${fn.database.ingress ? 'ok' : 'NO'}` : 'n/a';
    reach.push([fn.name, fn.https, tables, role, endpoint, internet, db, fn.reasons.length > 0 ? 'NO' : fn.unverified.length > 0 ? 'UNVERIFIED' : fn.reachable ? 'yes' : fn.tables.length === 0 ? 'n/a' : 'NO']);
  }
  out.push(routes.toString());
  out.push(r.functions.length > 0 ? reach.toString() : '(no aws_lambda_function in the configuration)');
  out.push(`endpoint: ${r.endpoints.join(', ') || 'none'}${r.endpointRouteTables.length ? `, attached to ${r.endpointRouteTables.map(short).join(', ')}` : ''}`);
  const external = r.functions.flatMap((f) => f.subnets).filter((s) => s.endpointRoute === 'external');
  if (external.length > 0) out.push(`note: subnets ${[...new Set(external.map((s) => s.subnet))].join(', ')} are outside this configuration: their route tables must be among the endpoint's, which this configuration cannot show (after deploy: aws ec2 describe-route-tables --filters Name=association.subnet-id,Values=<subnet>)`);
  for (const fn of r.functions) if (!fn.reachable && fn.reasons.length > 0) out.push(`  ${fn.name} not reachable privately: ${fn.reasons.join('; ')}`);
  for (const fn of r.functions) if (fn.unverified.length > 0) out.push(`  ${fn.name} UNVERIFIED: cannot resolve ${fn.unverified.join('; ')}`);
  out.push('');

  out.push('2. Troubleshooting');
  out.push(report.troubleshooting.length === 0 ? 'none of the known failures (VLD101-VLD107) found' : findingsTable(report.troubleshooting));
  out.push('');

  out.push('3. Security and cost');
  const checks = table(['id', 'check', 'severity', 'result']);
  const findings = allFindings(report);
  for (const c of SECURITY_TABLE) {
    const hits = findings.filter((f) => f.id === c.id);
    checks.push([c.id, c.title, c.severity, hits.length === 0 ? 'pass' : `FAIL (${hits.length})`]);
  }
  out.push(checks.toString());
  if (report.security.length > 0) out.push(findingsTable(report.security));

  const cost = report.cost;
  const a = cost.assumptions;
  out.push(`Monthly network cost, ${regionLine(cost)} (analysis/network-prices.ts)`);
  out.push(`assumed: ${a.trafficGb} GB DynamoDB traffic (--traffic-gb), ${a.internetGb} GB internet traffic (--internet-gb), ${a.flowLogGb} GB flow logs (--flow-log-gb)`);
  const lines = table(['item', 'quantity', 'fixed/month', 'usage/month']);
  for (const l of cost.lines) lines.push([l.item.replace(/ \S+$/, (address) => ` ${short(address.trim())}`), l.quantity, dollars(l.fixed), dollars(l.variable)]);
  lines.push(['total', '', dollars(cost.fixedMonthly), dollars(cost.variableMonthly)]);
  out.push(lines.toString());
  const compare = table(['DynamoDB path', 'fixed/month', 'per GB', `${a.trafficGb} GB/month`]);
  for (const o of cost.comparison) compare.push([o.option, dollars(o.fixed), o.perGb === null ? 'not priced' : `$${o.perGb.toFixed(3)}`, dollars(o.monthly)]);
  out.push(`The seed's comparison, for the same ${a.trafficGb} GB/month of DynamoDB traffic:`);
  out.push(compare.toString());
  for (const n of cost.unpriced) out.push(`not priced: ${n}`);
  for (const n of cost.notes) out.push(`note: ${n}`);
  out.push(...suppressionLines(report));
  if (report.change) out.push('', ...changeLines(report.change));
  out.push('');
  out.push(verdict(report, failed));
  return out.join('\n');
}

/** The suppressed findings and expired suppressions, one line each (empty when there are none). */
export function suppressionLines(report: CheckReport): string[] {
  const out: string[] = [];
  const suppressed = report.suppressed ?? [];
  if (suppressed.length > 0) {
    out.push('', `Suppressed, not counted (${suppressed.length}):`);
    for (const s of suppressed) {
      out.push(`  ${s.finding.id} ${short(s.finding.resource)}: ${s.finding.title}; accepted: ${s.reason} (${s.source}${s.expires ? `, until ${s.expires}` : ''})`);
    }
  }
  for (const e of report.expiredSuppressions ?? []) {
    out.push(`note: the suppression of ${e.id}${e.resource ? ` on ${e.resource}` : ''} (${e.source}) expired on ${e.expires}; its findings count again`);
  }
  return out;
}

/** `eu-west-1 (from aws_vpc_endpoint.x service_name), prices recorded 2026-09-25 to 2026-11-25`, or that the region is not known. */
export function regionLine(cost: CostEstimate): string {
  if (cost.region === null) return `region not known, not priced: ${cost.regionFrom}`;
  const dates = cost.priceSources.map((s) => /\((\d{4}-\d{2}-\d{2})\)$/.exec(s)?.[1]).filter((d): d is string => d !== undefined).sort();
  const recorded = dates.length === 0 ? 'no prices recorded' : dates[0] === dates[dates.length - 1] ? `prices recorded ${dates[0]}` : `prices recorded ${dates[0]} to ${dates[dates.length - 1]}`;
  return `${cost.region} (from ${cost.regionFrom}), ${recorded}`;
}

/** The verdict line: `OK: 2/2 functions reach DynamoDB privately, 0 error(s), ...` (every format leads or ends with it). */
export function verdict(report: CheckReport, failed: boolean = report.failed): string {
  const findings = allFindings(report);
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  const users = report.reachability.functions.filter((f) => f.tables.length > 0 || f.unverified.length > 0);
  const reachable = users.filter((f) => f.reachable).length;
  const unverified = users.filter((f) => f.unverified.length > 0 && f.reasons.length === 0).length;
  return `${failed ? 'FAIL' : 'OK'}: ${reachable}/${users.length} functions reach DynamoDB privately${unverified > 0 ? ` (${unverified} unverified)` : ''}, ${errors} error(s), ${warnings} warning(s), ${report.cost.fixedMonthly === null ? `fixed network cost not priced (${report.cost.region ?? 'region not known'})` : `fixed network cost ${dollars(report.cost.fixedMonthly)}/month`}`;
}

function findingsTable(findings: Finding[]): string {
  const t = table(['id', 'severity', 'resource', 'finding', 'fix'], [8, 10, 26, 60, 48]);
  for (const f of findings) t.push([f.id, f.severity, short(f.resource), `${f.title}: ${f.message}${f.symptom ? `\nsymptom: ${f.symptom}` : ''}`, f.fix]);
  return t.toString();
}

/** The JSON report (`--json`): the whole {@link CheckReport}, stable keys. */
export function renderJson(report: CheckReport): string {
  return JSON.stringify(report, null, 2);
}
