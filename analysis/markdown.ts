/**
 * `--format markdown`: the report as a pull-request comment. Verdict first, then the
 * reachability table, the findings, the monthly network cost and a Mermaid diagram of the
 * network (VPC, subnets, route tables, endpoint, NAT, functions, security groups, tables)
 * with each broken path drawn as a dashed red edge labelled ❌.
 */
import { allFindings, CheckReport } from './analyze';
import { Finding } from './findings';
import { regionLine } from './report';
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

/** The Mermaid flowchart of the network, broken paths as dashed red edges labelled ❌. */
export function mermaidDiagram(report: CheckReport): string {
  const r = report.reachability;
  const ids = new Map<string, string>();
  const nodes: string[] = [];
  const outside: string[] = [];
  const edges: string[] = [];
  const broken: number[] = [];
  const node = (key: string, shape: (l: string) => string, text: string, inVpc = true): string => {
    let id = ids.get(key);
    if (!id) {
      id = `n${ids.size}`;
      ids.set(key, id);
      (inVpc ? nodes : outside).push(`    ${id}${shape(label(text))}`);
    }
    return id;
  };
  const edge = (from: string, to: string, text?: string, isBroken = false) => {
    if (isBroken) {
      broken.push(edges.length);
      edges.push(`  ${from} -.-x|${label(`❌ ${text ?? 'broken'}`)}| ${to}`);
    } else edges.push(`  ${from} -->${text ? `|${label(text)}|` : ''} ${to}`);
  };
  const box = (l: string) => `[${l}]`;
  const endpointKey = r.endpoints[0];
  const endpoint = endpointKey ? node(endpointKey, (l) => `{{${l}}}`, `DynamoDB gateway endpoint ${short(endpointKey)}`) : node('no-endpoint', box, '❌ no DynamoDB gateway endpoint');
  for (const fn of r.functions) {
    const f = node(fn.address, (l) => `([${l}])`, `λ ${fn.name}`);
    for (const sg of fn.securityGroups) {
      const g = node(sg, box, `SG ${short(sg)}`);
      if (fn.https === 'none') edge(f, g, 'no 443 egress to DynamoDB', true);
      else edges.push(`  ${f} --- ${g}`);
    }
    for (const s of fn.subnets) {
      const sub = node(s.subnet, box, `subnet ${short(s.subnet)}`);
      edges.push(`  ${f} --- ${sub}`);
      const rtKey = s.routeTable === 'external' || s.routeTable === 'main' ? `${s.routeTable}:${s.subnet}` : s.routeTable;
      const rt = node(rtKey, box, `route table ${s.routeTable === 'external' || s.routeTable === 'main' ? `(${s.routeTable})` : short(s.routeTable)}`);
      if (!edges.includes(`  ${sub} --> ${rt}`)) edges.push(`  ${sub} --> ${rt}`);
      const routed = `${rt}->${endpoint}`;
      if (!ids.has(routed)) {
        ids.set(routed, routed);
        if (s.endpointRoute === 'yes') edge(rt, endpoint, 'DynamoDB prefix list');
        else if (s.endpointRoute === 'no') edge(rt, endpoint, endpointKey ? 'endpoint not on this route table' : 'no endpoint', true);
        else edges.push(`  ${rt} -.-|${label('outside this configuration')}| ${endpoint}`);
        if (s.internet === 'nat') edge(rt, node('nat', box, 'NAT gateway'), '0.0.0.0/0');
        if (s.internet === 'internet-gateway') edge(rt, node('igw', box, 'internet gateway'), '0.0.0.0/0: public subnet', true);
      }
    }
    for (const t of fn.tables) {
      const tbl = node(t.table, (l) => `[(${l})]`, `table ${short(t.table)}`, false);
      const problems = [
        ...(t.roleMissing.length ? [`role lacks ${t.roleMissing.join(',')}`] : []),
        ...(t.endpointDenied.length ? [`endpoint policy denies ${t.endpointDenied.join(',')}`] : []),
      ];
      const key = `${endpoint}->${tbl}`;
      if (!ids.has(key)) {
        ids.set(key, key);
        if (endpointKey) edge(endpoint, tbl, t.endpointDenied.length ? `denies ${t.endpointDenied.join(',')}` : undefined, t.endpointDenied.length > 0);
      }
      if (fn.unverified.length > 0) edges.push(`  ${f} -.-|${label(`❓ unverified: ${fn.unverified.join('; ')}`)}| ${tbl}`);
      else if (fn.reachable) edge(f, tbl, `✅ ${t.actions.map((a) => a.replace('dynamodb:', '')).join(',')}`);
      else edge(f, tbl, problems.join('; ') || fn.reasons[0] || 'not reachable privately', true);
    }
    if (fn.database) {
      for (const db of fn.database.securityGroups) {
        const d = node(db, box, `database SG ${short(db)}`);
        if (fn.database.egress && fn.database.ingress) edge(f, d, `${fn.database.port}`);
        else edge(f, d, `${fn.database.port} ${!fn.database.egress ? 'not allowed out' : 'not admitted'}`, true);
      }
    }
  }
  const out = ['flowchart LR', '  subgraph vpc["VPC"]', ...nodes, '  end', ...outside.map((n) => n.slice(2)), ...edges];
  for (const i of broken) out.push(`  linkStyle ${i} stroke:#d00,stroke-width:2px,stroke-dasharray:5 5`);
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
