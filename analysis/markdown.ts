/**
 * `--format markdown`: the report as a pull-request comment. Verdict first, then the
 * reachability table, the findings, the monthly network cost and a Mermaid diagram of the
 * network (VPC, subnets, route tables, endpoint, NAT, functions, security groups, tables)
 * with each path's status in words (OK, BROKEN, UNVERIFIED) and, when not OK, in colour.
 */
import { allFindings, CheckReport } from './analyze';
import { Finding } from './findings';
import { comparisonLines, evidenceLines, regionLine } from './report';
import { FunctionReachability } from './reachability';
import { short, verdict } from './report';
import { signedDollars, usd } from './change';

const dollars = usd;

/** A table cell: no pipes or newlines. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

function row(cells: string[]): string {
  return `| ${cells.map(cell).join(' | ')} |`;
}

function privateCell(fn: FunctionReachability): string {
  if (fn.unverified.length > 0 && fn.reasons.length === 0) return '❓ unverified';
  if (fn.reachable) return '✅ yes';
  return fn.tables.length === 0 ? 'n/a' : '❌ no';
}

function reachabilityTable(report: CheckReport): string[] {
  const out = [row(['function', 'subnets (route to endpoint, internet)', 'SG 443 to DynamoDB', 'tables', 'role', 'endpoint policy', 'private'])];
  out.push(`|${' --- |'.repeat(7)}`);
  for (const fn of report.reachability.functions) {
    const subnets = fn.subnets.map((s) => `${short(s.subnet)} (${s.endpointRoute}, ${s.internet})`).join('\n') || 'none';
    const tables = fn.tables.map((t) => `${short(t.table)}: ${t.actions.map((a) => a.replace('dynamodb:', '')).join(',')}`).join('\n') || 'none';
    const role = fn.tables.map((t) => (t.roleUnknown ? '?' : t.roleMissing.length ? `❌ lacks ${t.roleMissing.join(',')}` : 'allows')).join('\n') || '-';
    const endpoint = fn.tables.map((t) => (!fn.endpoint ? '❌ no endpoint' : t.endpointUnknown ? '?' : t.endpointDenied.length ? `❌ denies ${t.endpointDenied.join(',')}` : 'allows')).join('\n') || '-';
    out.push(row([fn.name, subnets, fn.https === 'none' ? '❌ none' : fn.https, tables, role, endpoint, privateCell(fn)]));
  }
  return out;
}

function findingsTable(findings: Finding[]): string[] {
  const icon = { error: '❌', warning: '⚠️', info: 'ℹ️' } as const;
  const out = [row(['id', 'severity', 'resource', 'finding', 'fix']), '| --- | --- | --- | --- | --- |'];
  for (const f of findings) out.push(row([f.id, `${icon[f.severity]} ${f.severity}`, `\`${short(f.resource)}\``, `${f.title}: ${f.message}`, f.fix]));
  return out;
}

/** A Mermaid label in double quotes: no quotes or brackets that end it. */
function label(text: string): string {
  return `"${text.replace(/"/g, '#quot;')}"`;
}

/** A function's status in a word (the diagram's colour says it again). */
function statusWord(fn: FunctionReachability): string {
  if (fn.reasons.length > 0) return 'BROKEN';
  if (fn.unverified.length > 0) return 'UNVERIFIED';
  if (fn.reachable) return 'OK';
  return fn.tables.length === 0 ? 'no table' : 'BROKEN';
}

/**
 * The Mermaid flowchart of the network, by the names people use. Functions that share their
 * subnets are one group (most systems: one), so eight functions are eight boxes in one frame,
 * not eight tangles: the group routes through its subnets' route tables to the endpoint and
 * the internet; each function's edge to its table carries its status in words (OK, BROKEN,
 * UNVERIFIED) and, when not OK, in colour (red dashed; orange dotted for unverified).
 */
export function mermaidDiagram(report: CheckReport): string {
  const r = report.reachability;
  const name = (address: string) => report.names?.[address] ?? short(address);
  const ids = new Map<string, string>();
  const vpcNodes: string[] = [];
  const outside: string[] = [];
  const edges: string[] = [];
  const styles: string[] = [];
  const id = (key: string) => {
    let v = ids.get(key);
    if (!v) ids.set(key, (v = `n${ids.size}`));
    return v;
  };
  const node = (key: string, shape: (l: string) => string, text: string, where: string[] = vpcNodes): string => {
    const known = ids.has(key);
    const n = id(key);
    if (!known) where.push(`    ${n}${shape(label(text))}`);
    return n;
  };
  const edge = (from: string, to: string, text: string | undefined, status: 'ok' | 'broken' | 'unverified' = 'ok') => {
    const key = `${from}->${to}:${text ?? ''}`;
    if (ids.has(key)) return;
    ids.set(key, key);
    const arrow = status === 'broken' ? '-.-x' : status === 'unverified' ? '-.->' : '-->';
    if (status === 'broken') styles.push(`  linkStyle ${edges.length} stroke:#d00,stroke-width:2px,stroke-dasharray:5 5`);
    if (status === 'unverified') styles.push(`  linkStyle ${edges.length} stroke:#d80,stroke-width:2px,stroke-dasharray:2 4`);
    edges.push(`  ${from} ${arrow}${text ? `|${label(text)}|` : ''} ${to}`);
  };
  const box = (l: string) => `[${l}]`;
  const endpointKey = r.endpoints[0];
  const endpoint = endpointKey ? node(endpointKey, (l) => `{{${l}}}`, `DynamoDB gateway endpoint ${name(endpointKey)}`) : node('no-endpoint', box, 'NO DynamoDB gateway endpoint');

  // Functions grouped by the subnets they run in.
  const groups = new Map<string, FunctionReachability[]>();
  for (const fn of r.functions) {
    const key = fn.subnets.map((s) => s.subnet).sort().join(',') || `none:${fn.address}`;
    groups.set(key, [...(groups.get(key) ?? []), fn]);
  }
  const frames: string[] = [];
  [...groups.values()].forEach((members, g) => {
    const subnets = members[0].subnets;
    const frame = `g${g}`;
    frames.push(`    subgraph ${frame}[${label(subnets.length ? `subnets ${subnets.map((s) => name(s.subnet)).join(', ')}` : 'no subnet')}]`);
    for (const fn of members) frames.push(`      ${id(fn.address)}([${label(`λ ${fn.name}: ${statusWord(fn)}`)}])`);
    frames.push('    end');
    for (const s of subnets) {
      const special = ['external', 'main', 'unknown'].includes(s.routeTable);
      const rt = node(special ? `${s.routeTable}:${s.subnet}` : s.routeTable, box, `route table ${special ? `(${s.routeTable}) of ${name(s.subnet)}` : name(s.routeTable)}`);
      edge(frame, rt, undefined);
      if (s.endpointRoute === 'yes') edge(rt, endpoint, 'DynamoDB prefix list');
      else if (s.endpointRoute === 'no') edge(rt, endpoint, endpointKey ? 'BROKEN: endpoint not on this route table' : 'BROKEN: no endpoint', 'broken');
      else edge(rt, endpoint, 'UNVERIFIED: route table outside this configuration', 'unverified');
      if (s.internet === 'nat') edge(rt, node('nat', box, 'NAT gateway'), '0.0.0.0/0');
      if (s.internet === 'internet-gateway') edge(rt, node('igw', box, 'internet gateway'), 'BROKEN: 0.0.0.0/0 to an internet gateway (public subnet)', 'broken');
    }
  });

  for (const fn of r.functions) {
    const f = id(fn.address);
    if (fn.https === 'none') edge(f, endpoint, 'BROKEN: no 443 egress to the DynamoDB prefix list', 'broken');
    for (const t of fn.tables) {
      const tbl = node(t.table, (l) => `[(${l})]`, `table ${name(t.table)}`, outside);
      if (endpointKey) edge(endpoint, tbl, t.endpointDenied.length ? `BROKEN: endpoint policy denies ${t.endpointDenied.join(',')}` : undefined, t.endpointDenied.length ? 'broken' : 'ok');
      const actions = t.actions.map((a) => a.replace('dynamodb:', '')).join(',');
      const problems = [...(t.roleMissing.length ? [`role lacks ${t.roleMissing.join(',')}`] : []), ...(t.endpointDenied.length ? [`endpoint policy denies ${t.endpointDenied.join(',')}`] : [])];
      if (fn.reasons.length > 0) edge(f, tbl, `BROKEN: ${problems.join('; ') || fn.reasons[0]}`, 'broken');
      else if (fn.unverified.length > 0) edge(f, tbl, `UNVERIFIED: ${fn.unverified[0]}${fn.unverified.length > 1 ? ` (+${fn.unverified.length - 1} more)` : ''}`, 'unverified');
      else edge(f, tbl, `OK: ${actions}`);
    }
    if (fn.database) {
      for (const db of fn.database.securityGroups) {
        const d = node(db, box, `database SG ${name(db)}`);
        if (fn.database.egress && fn.database.ingress) edge(f, d, `OK: ${fn.database.port}`);
        else edge(f, d, `BROKEN: ${fn.database.port} ${!fn.database.egress ? 'not allowed out' : 'not admitted'}`, 'broken');
      }
    }
  }
  const out = ['flowchart LR', '  subgraph vpc["VPC"]', ...frames, ...vpcNodes, '  end', ...outside.map((n) => n.slice(2)), ...edges, ...styles];
  return out.join('\n');
}

/** `--format markdown`: a pull-request comment (`failed`: the verdict under `--fail-on`). */
export function renderMarkdown(report: CheckReport, failed: boolean = report.failed): string {
  const out: string[] = [];
  out.push(`## ${failed ? '❌' : '✅'} ${verdict(report, failed)}`);
  if (report.change) {
    const c = report.change;
    out.push('', '### What this change does', '');
    out.push(`- Fixed network cost: ${usd(c.cost.fixedBefore)} → ${usd(c.cost.fixedAfter)} (**${signedDollars(c.cost.fixedDelta)}**); usage ${usd(c.cost.usageBefore)} → ${usd(c.cost.usageAfter)} (${signedDollars(c.cost.usageDelta)})`);
    out.push(c.verdicts.length === 0 ? '- Reachability: no function changed its verdict' : `- Reachability: ${c.verdicts.map((v) => `\`${v.function}\` ${v.before} → **${v.after}**`).join('; ')}`);
    out.push(`- Findings: ${c.newFindings.length} new${c.newFindings.length ? ` (${c.newFindings.map((f) => `\`${f.id}\` ${short(f.resource)}`).join(', ')})` : ''}, ${c.resolvedFindings.length} resolved${c.resolvedFindings.length ? ` (${c.resolvedFindings.map((f) => `\`${f.id}\` ${short(f.resource)}`).join(', ')})` : ''}`);
  }
  out.push('');
  out.push(`Input: ${report.input.source}${report.input.file ? ` \`${report.input.file}\`` : ''}`);
  out.push('');
  out.push('### Reachability (DynamoDB through the gateway endpoint)');
  out.push('');
  if (report.reachability.functions.length === 0) out.push('No `aws_lambda_function` in the configuration.');
  else out.push(...reachabilityTable(report));
  for (const fn of report.reachability.functions) {
    if (fn.unverified.length > 0) out.push('', `- **${fn.name}** unverified: cannot resolve ${fn.unverified.join('; ')}`);
    else if (!fn.reachable && fn.reasons.length > 0) out.push('', `- **${fn.name}** not reachable privately: ${fn.reasons.join('; ')}`);
  }
  if (report.drift && report.drift.length > 0) {
    out.push('', `**Drift since the last apply** (refresh-only plan):`, '');
    for (const d of report.drift) out.push(`- \`${d.address}\`: ${d.deleted ? 'deleted outside Terraform' : `changed outside Terraform: ${d.attributes.map((a) => `\`${a}\``).join(', ')}`}`);
  }
  if (report.comparison) {
    const [head, ...lines] = comparisonLines(report.comparison);
    out.push('', `**${head}**`, '', ...lines.map((l) => `- ${l.trim()}`));
  }
  if (report.evidence) {
    const [head, ...lines] = evidenceLines(report.evidence);
    out.push('', `**${head}**`, '', ...lines.map((l) => `- ${l.trim()}`));
  }
  if (report.probe) {
    out.push('', `### Probe (each function invoked with \`${JSON.stringify(report.probe.event)}\`: reads only)`, '');
    out.push(row(['function', 'table', 'action', 'result', 'ms']), '| --- | --- | --- | --- | --- |');
    for (const f of report.probe.functions) {
      if (f.failure) out.push(row([f.function, '', '', `❌ ${f.failure.message}`, String(f.ms)]));
      for (const t of f.tables) out.push(row([f.function, t.table, t.action.replace(/^dynamodb:/, ''), t.ok ? '✅ ok' : `❌ ${t.errorClass ?? 'other'}: ${t.message ?? ''}`, String(t.ms)]));
    }
  }
  out.push('');
  const findings = allFindings(report);
  out.push(`### Findings (${findings.length})`);
  out.push('');
  out.push(...(findings.length === 0 ? ['None: every troubleshooting and security check passes.'] : findingsTable(findings)));
  out.push('');
  const suppressed = report.suppressed ?? [];
  if (suppressed.length > 0 || (report.expiredSuppressions ?? []).length > 0) {
    out.push(`### Suppressed (${suppressed.length}), not counted`, '');
    for (const s of suppressed) out.push(`- \`${s.finding.id}\` \`${short(s.finding.resource)}\`: ${s.finding.title}. Accepted: ${s.reason} (${s.source}${s.expires ? `, until ${s.expires}` : ''})`);
    for (const e of report.expiredSuppressions ?? []) out.push(`- expired on ${e.expires}: \`${e.id}\`${e.resource ? ` on \`${e.resource}\`` : ''} (${e.source}); its findings count again`);
    out.push('');
  }
  const cost = report.cost;
  const a = cost.assumptions;
  out.push(`### Monthly network cost: ${dollars(cost.fixedMonthly)} fixed + ${dollars(cost.variableMonthly)} usage`);
  out.push('');
  out.push(`${regionLine(cost)}; assumed ${a.trafficGb} GB DynamoDB traffic, ${a.internetGb} GB internet traffic, ${a.flowLogGb} GB flow logs.`);
  out.push('');
  out.push(row(['item', 'quantity', 'fixed/month', 'usage/month']), '| --- | --- | --- | --- |');
  for (const l of cost.lines) out.push(row([l.item.replace(/ \S+$/, (address) => ` ${short(address.trim())}`), String(l.quantity), dollars(l.fixed), dollars(l.variable)]));
  out.push(row(['**total**', '', `**${dollars(cost.fixedMonthly)}**`, `**${dollars(cost.variableMonthly)}**`]));
  for (const n of cost.unpriced) out.push('', `Not priced: ${n}`);
  for (const n of cost.notes) out.push('', `Note: ${n}`);
  out.push('');
  out.push('### Network');
  out.push('');
  out.push('```mermaid', mermaidDiagram(report), '```');
  return out.join('\n');
}
