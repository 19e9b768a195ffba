/** Prints a {@link CheckReport}: text with tables for people, JSON for machines. */
import { changeLines, usd } from './change';
import Table from 'cli-table3';
import wrapAnsi from 'wrap-ansi';
import { allFindings, CheckReport } from './analyze';
import { Finding } from './findings';
import type { CostEstimate } from './cost-estimate';
import { probeLines } from './probe-report';
import { FunctionReachability } from './reachability';
import { SECURITY_TABLE } from './security-checks';

const dollars = usd;

/** The text report fits a 120-column terminal or CI log: tables get fixed widths and wrap. */
export const TEXT_WIDTH = 120;

function table(head: string[], colWidths: number[], wrapOnWordBoundary = true): Table.Table {
  // No colours: the output goes to CI logs and files as often as to a terminal.
  // No lines between rows: a report of 12 checks stays a screen high.
  return new Table({ head, style: { head: [], border: [], compact: true }, wordWrap: true, wrapOnWordBoundary, colWidths });
}

/** Text wrapped to the report's width, every line after the first indented. */
function wrapped(text: string, indent = '  '): string {
  return wrapAnsi(text, TEXT_WIDTH - indent.length, { hard: true, trim: true })
    .split('\n')
    .map((line, i) => (i === 0 ? line : `${indent}${line}`))
    .join('\n');
}

/** `aws_subnet.system_network_private[0]` -> `network_private[0]`: the type is in the column. */
export function short(address: string): string {
  // A module instance with a key stays (`function["orders"].this[0]`): several share one resource name.
  const modules = [...address.matchAll(/module\.([\w-]+)(\[[^\]]*\])?\./gy)];
  const prefix = modules.some((m) => m[2]) ? modules.map((m) => `${m[1]}${m[2] ?? ''}.`).join('') : '';
  const rest = address.slice(modules.reduce((n, m) => n + m[0].length, 0));
  return prefix + rest.replace(/^aws_[a-z0-9_]+\./, '').replace(/^system_/, '');
}

/** A resource as people know it: its Name tag or name, with the address the configuration writes (shortened). */
export function displayName(report: CheckReport, address: string, separator = ' '): string {
  const name = report.names?.[address];
  const s = short(address);
  return name && name !== s ? `${name}${separator}(${s})` : s;
}

const actionsText = (actions: string[]) => actions.map((a) => a.replace('dynamodb:', '')).join(', ');

/** One function's verdict word. */
function verdictWord(fn: FunctionReachability): string {
  if (fn.reasons.length > 0) return 'NOT PRIVATE';
  if (fn.unverified.length > 0) return 'UNVERIFIED';
  if (fn.reachable) return 'private';
  return fn.tables.length === 0 ? 'uses no table' : 'NOT PRIVATE';
}

/** One function as a block of label/value rows: within the width whatever its names. */
function functionBlock(report: CheckReport, fn: FunctionReachability): string {
  const rows = new Table({ style: { head: [], border: [], compact: true }, wordWrap: true, wrapOnWordBoundary: true, colWidths: [17, TEXT_WIDTH - 20] });
  const name = (a: string) => displayName(report, a);
  rows.push(['subnets', fn.subnets.map((s) => name(s.subnet)).join(', ') || 'none']);
  rows.push(['SG 443 to DynamoDB', `${fn.https}${fn.securityGroups.length ? ` (${fn.securityGroups.map(name).join(', ')})` : ''}`]);
  for (const t of fn.tables) {
    const role = t.roleUnknown ? 'role ?' : t.roleMissing.length ? `role LACKS ${actionsText(t.roleMissing)}` : 'role allows';
    const endpoint = !fn.endpoint ? 'no endpoint' : t.endpointUnknown ? 'endpoint ?' : t.endpointDenied.length ? `endpoint DENIES ${actionsText(t.endpointDenied)}` : 'endpoint allows';
    rows.push(['table', `${name(t.table)}: ${actionsText(t.actions) || 'no action'}; ${role}; ${endpoint}`]);
  }
  if (fn.tables.length === 0) rows.push(['table', 'none found']);
  rows.push(['internet', `${fn.subnets.some((s) => s.internet !== 'none') ? 'path' : 'no path'}, ${fn.internetAskedFor ? 'asked for' : 'not asked for'}`]);
  if (fn.database) rows.push([`database ${fn.database.port}`, `out ${fn.database.egress ? 'ok' : 'NO'}, in ${fn.database.ingress ? 'ok' : 'NO'}`]);
  if (fn.reasons.length > 0) rows.push(['why not private', fn.reasons.join('; ')]);
  if (fn.unverified.length > 0) rows.push(['UNVERIFIED', `cannot resolve ${fn.unverified.join('; ')}`]);
  return `${fn.name}: ${verdictWord(fn)}\n${rows.toString()}`;
}

/**
 * The text report: three sections and a verdict line (`failed`: the verdict under `--fail-on`;
 * `command`: how check was run, for the first line).
 */
/** Live against the state or plan, one line per difference. */
export function comparisonLines(c: NonNullable<CheckReport['comparison']>): string[] {
  const out = [`Live against the ${c.against}: ${c.differences.length === 0 ? 'no difference in what reachability depends on' : `${c.differences.length} difference(s)`}`];
  for (const d of c.differences) out.push(`  ${wrapped(`${d.function ? `${d.function}: ` : ''}${d.subject}: ${d.expected} (${c.against.split(' ')[0]}), ${d.live} (live)`, '    ')}`);
  for (const n of c.notCompared) out.push(`  ${wrapped(`not compared: ${n}`, '    ')}`);
  return out;
}

/** The flow-log evidence, one line per function. */
export function evidenceLines(evidence: NonNullable<CheckReport['evidence']>): string[] {
  const out = [`Flow-log evidence, last ${evidence.since} (${evidence.logGroups.join(', ') || 'no flow log to CloudWatch Logs'}):`];
  for (const e of evidence.functions) {
    const path = e.throughEndpoint !== undefined ? `, ${e.throughEndpoint} through the endpoint (traffic-path)` : e.accepted > 0 && e.throughNat === 0 && e.how === 'nat-records' ? ', none on a NAT gateway' : '';
    const none = e.accepted + e.throughNat + e.rejected === 0;
    out.push(`  ${wrapped(`${e.function}: ${none ? 'no DynamoDB traffic (no evidence)' : `${e.accepted} accepted to DynamoDB${path}, ${e.throughNat} through NAT, ${e.rejected} rejected`}`, '    ')}`);
  }
  return out;
}

export function renderText(report: CheckReport, failed: boolean = report.failed, command = 'npm run check'): string {
  const out: string[] = [];
  const r = report.reachability;
  const name = (a: string) => displayName(report, a);
  out.push(`${command}: ${report.input.source}${report.input.file ? ` ${report.input.file}` : ''}`);
  out.push('');
  out.push('1. Reachability (DynamoDB through the gateway endpoint)');
  out.push(wrapped(`endpoint: ${r.endpoints.map(name).join(', ') || 'none'}${r.endpointRouteTables.length ? `, attached to ${r.endpointRouteTables.map(name).join(', ')}` : ''}`));
  // Names are long single words (`team-prod-private-eu-west-1a`): wrapped inside the word, never cut.
  const routes = table(['subnet', 'route table', 'endpoint route', 'internet path'], [40, 40, 16, 19], false);
  const seen = new Set<string>();
  for (const fn of r.functions) {
    for (const s of fn.subnets) {
      if (seen.has(s.subnet)) continue;
      seen.add(s.subnet);
      const internet = s.internet === 'none' ? 'none' : `${s.internet === 'nat' ? 'NAT' : 'internet gateway (public)'}`;
      routes.push([displayName(report, s.subnet, '\n'), ['external', 'main', 'unknown'].includes(s.routeTable) ? s.routeTable : displayName(report, s.routeTable, '\n'), s.endpointRoute, internet]);
    }
  }
  if (seen.size > 0) out.push(routes.toString());
  if (r.functions.length === 0) out.push('(no aws_lambda_function in the configuration)');
  for (const fn of r.functions) out.push(functionBlock(report, fn));
  if (report.drift && report.drift.length > 0) {
    out.push(`Drift since the last apply (refresh-only plan), on what reachability depends on (${report.drift.length}):`);
    for (const d of report.drift) out.push(`  ${wrapped(`${displayName(report, d.address)}: ${d.deleted ? 'deleted outside Terraform' : `changed outside Terraform: ${d.attributes.join(', ')}`}`, '    ')}`);
  }
  if (report.comparison) out.push(...comparisonLines(report.comparison));
  if (report.evidence) out.push(...evidenceLines(report.evidence));
  out.push('');

  out.push('2. Troubleshooting');
  out.push(report.troubleshooting.length === 0 ? 'none of the known failures (VLD101-VLD111) found' : findingsTable(report, report.troubleshooting));
  out.push('');

  out.push('3. Security and cost');
  const checks = table(['id', 'check', 'severity', 'result'], [8, 58, 10, 12]);
  const findings = allFindings(report);
  for (const c of SECURITY_TABLE) {
    const hits = findings.filter((f) => f.id === c.id);
    checks.push([c.id, c.title, c.severity, hits.length === 0 ? 'pass' : `FAIL (${hits.length})`]);
  }
  out.push(checks.toString());
  if (report.security.length > 0) out.push(findingsTable(report, report.security));

  const cost = report.cost;
  const a = cost.assumptions;
  out.push(wrapped(`Monthly network cost, ${regionLine(cost)} (analysis/network-prices.ts)`));
  const endpointGb = cost.endpointComparison.length > 0 ? `, ${a.endpointGb} GB through the interface endpoints (--endpoint-gb)` : '';
  out.push(wrapped(`assumed: ${a.trafficGb} GB DynamoDB traffic (--traffic-gb), ${a.internetGb} GB internet traffic (--internet-gb), ${a.flowLogGb} GB flow logs (--flow-log-gb)${endpointGb}`));
  const lines = table(['item', 'quantity', 'fixed/month', 'usage/month'], [44, 38, 13, 13]);
  for (const l of cost.lines) lines.push([l.item.replace(/ \S+$/, (address) => ` ${name(address.trim())}`), l.quantity, dollars(l.fixed), dollars(l.variable)]);
  lines.push(['total', '', dollars(cost.fixedMonthly), dollars(cost.variableMonthly)]);
  out.push(lines.toString());
  const compare = table(['DynamoDB path', 'fixed/month', 'per GB', `${a.trafficGb} GB/month`], [34, 13, 12, 14]);
  for (const o of cost.comparison) compare.push([o.option, dollars(o.fixed), o.perGb === null ? 'not priced' : `$${o.perGb.toFixed(3)}`, dollars(o.monthly)]);
  out.push(`The seed's comparison, for the same ${a.trafficGb} GB/month of DynamoDB traffic:`);
  out.push(compare.toString());
  if (cost.endpointComparison.length > 0) {
    const services = table(['path to their services', 'fixed/month', 'per GB', `${a.endpointGb} GB/month`], [34, 13, 12, 14]);
    for (const o of cost.endpointComparison) services.push([o.option, dollars(o.fixed), o.perGb === null ? 'not priced' : `$${o.perGb.toFixed(3)}`, dollars(o.monthly)]);
    out.push(wrapped(`Interface endpoints against NAT, for ${a.endpointGb} GB/month to their services (without NAT a function needs them; with NAT they cost in addition):`));
    out.push(services.toString());
  }
  for (const n of cost.unpriced) out.push(wrapped(`not priced: ${n}`));
  for (const n of cost.notes) out.push(wrapped(`note: ${n}`));
  out.push(...suppressionLines(report));
  if (report.change) out.push('', ...changeLines(report.change));
  if (report.probe) {
    out.push('', '4. Probe (verify --probe)');
    out.push(`invoked with ${JSON.stringify(report.probe.event)}: GetItem of a key that cannot exist, PutItem refused by its condition (no write)`);
    for (const line of probeLines(report.probe)) out.push(wrapped(line));
  }
  out.push('');
  out.push(verdict(report, failed));
  return out.join('\n');
}

/** The suppressed findings grouped by rule and reason (the reason once), and expired suppressions (empty when there are none). */
export function suppressionLines(report: CheckReport): string[] {
  const out: string[] = [];
  const suppressed = report.suppressed ?? [];
  if (suppressed.length > 0) {
    out.push('', `Suppressed, not counted (${suppressed.length}):`);
    const groups = new Map<string, typeof suppressed>();
    for (const s of suppressed) {
      const key = `${s.finding.id}\u0000${s.reason}\u0000${s.expires ?? ''}`;
      groups.set(key, [...(groups.get(key) ?? []), s]);
    }
    for (const group of groups.values()) {
      const [first] = group;
      const where = [...new Set(group.map((s) => s.source.replace(/^.*"\/\/"$/, 'the resource\'s "//"')))];
      out.push(`  ${wrapped(`${first.finding.id} ${first.finding.title} (${group.length}): ${group.map((s) => displayName(report, s.finding.resource)).join(', ')}`, '    ')}`);
      out.push(`    ${wrapped(`accepted: ${first.reason} (${where.join(', ')}${first.expires ? `, until ${first.expires}` : ''})`, '      ')}`);
    }
  }
  for (const e of report.expiredSuppressions ?? []) {
    out.push(wrapped(`note: the suppression of ${e.id}${e.resource ? ` on ${e.resource}` : ''} (${e.source}) expired on ${e.expires}; its findings count again`));
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
  const probed = report.probe ? `, probe ok ${report.probe.functions.filter((f) => f.ok).length}/${report.probe.functions.length}` : '';
  return `${failed ? 'FAIL' : 'OK'}: ${reachable}/${users.length} functions reach DynamoDB privately${unverified > 0 ? ` (${unverified} unverified)` : ''}${probed}, ${errors} error(s), ${warnings} warning(s), ${report.cost.fixedMonthly === null ? `fixed network cost not priced (${report.cost.region ?? 'region not known'})` : `fixed network cost ${dollars(report.cost.fixedMonthly)}/month`}`;
}

/** Findings as blocks: the id, severity and resource on one line, what and the fix wrapped under it (nothing cut). */
function findingsTable(report: CheckReport, findings: Finding[]): string {
  const out: string[] = [];
  for (const f of findings) {
    out.push(wrapped(`${f.id} ${f.severity.toUpperCase()} ${displayName(report, f.resource)}`, '    '));
    out.push(`  ${wrapped(`${f.title}: ${f.message}`, '    ')}`);
    if (f.symptom) out.push(`  ${wrapped(`symptom: ${f.symptom}`, '    ')}`);
    out.push(`  ${wrapped(`fix: ${f.fix}`, '    ')}`);
  }
  return out.join('\n');
}

/** The JSON report (`--json`): the whole {@link CheckReport}, stable keys. */
export function renderJson(report: CheckReport): string {
  return JSON.stringify(report, null, 2);
}
