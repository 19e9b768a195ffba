/** The whole check: reachability, troubleshooting, security and cost of one configuration. */
import { applySuppressions, SuppressedFinding, Suppression } from './suppressions';
import { inlineSuppressions } from './inline-suppressions';
import type { ChangeReport } from './change';
import type { Drift } from './drift';
import type { FlowLogEvidence } from './live/flow-log-evidence';
import type { LiveComparison } from './live/compare';
import type { ProbeReport } from './probe-report';
import { estimateCost, CostAssumptions, CostEstimate } from './cost-estimate';
import { Finding, hasErrors } from './findings';
import { DEFAULT_ASSUMPTIONS } from './network-prices';
import { analyzeReachability, Reachability, TableLink } from './reachability';
import { securityFindings } from './security-checks';
import { TerraformGraph } from './terraform-graph';
import { troubleshoot } from './troubleshooting';

/** What `npm run check` reports (and prints with `--json`). */
export interface CheckReport {
  readonly input: { readonly source: string; readonly file?: string };
  readonly reachability: Reachability;
  /** Troubleshooting findings (VLD1xx). */
  readonly troubleshooting: Finding[];
  /** Security findings (VLD0xx). */
  readonly security: Finding[];
  readonly cost: CostEstimate;
  /** True when any finding is an error: the CLI exits 1. */
  readonly failed: boolean;
  /** Findings accepted by a suppression (suppressions.ts): reported, not counted. */
  readonly suppressed?: SuppressedFinding[];
  /** Suppressions past their expiry: they no longer apply. */
  readonly expiredSuppressions?: Suppression[];
  /** With `--base`: what the change does against the base (change.ts). */
  readonly change?: ChangeReport;
  /** A refresh-only plan's drift on the resources reachability depends on. */
  readonly drift?: Drift[];
  /** `verify --state`/`--plan`: where the live account differs from what Terraform deployed (compare.ts). */
  readonly comparison?: LiveComparison;
  /** `verify --evidence flow-logs`: what the flow logs say each function's DynamoDB traffic did. */
  readonly evidence?: Omit<FlowLogEvidence, 'findings'>;
  /** `verify --probe`: what each function answered the probe (its VLD120 findings are in `troubleshooting`). */
  readonly probe?: ProbeReport;
  /** What people call a resource (its Name tag, or its name), by address: reports show it beside the address. */
  readonly names?: Readonly<Record<string, string>>;
}

/** What changes the verdict besides the configuration. */
export interface AnalyzeOptions {
  /** `--link function=table`: links the configuration does not show. */
  readonly links?: readonly TableLink[];
  /** `--allow-unverified`: what could not be resolved is a warning, not an error. */
  readonly allowUnverified?: boolean;
}

/** Runs every analysis on a graph; what the configuration itself suppresses (inline-suppressions.ts) is reported as suppressed. */
export function analyze(graph: TerraformGraph, assumptions: Partial<CostAssumptions> = {}, file?: string, options: AnalyzeOptions = {}): CheckReport {
  const reachability = analyzeReachability(graph, { links: options.links });
  const troubleshooting = troubleshoot(reachability, { allowUnverified: options.allowUnverified });
  const security = securityFindings(graph, reachability);
  const cost = estimateCost(graph, { ...DEFAULT_ASSUMPTIONS, ...assumptions });
  const report: CheckReport = {
    input: { source: graph.source, file },
    reachability,
    troubleshooting,
    security,
    cost,
    failed: hasErrors([...troubleshooting, ...security]),
    names: namesOf(graph),
    ...(graph.drift.length > 0 ? { drift: graph.drift } : {}),
  };
  return applySuppressions(report, inlineSuppressions(graph));
}

/** The Name tag, else the name (a function's, a table's, a role's), of every instance that has one known. */
function namesOf(graph: TerraformGraph): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of graph.resources) {
    if (r.mode === 'data') continue;
    for (const i of r.instances) {
      const name = [graph.value(i, 'tags.Name'), graph.value(i, 'tags_all.Name'), graph.value(i, 'function_name'), graph.value(i, 'name')].find((v): v is string => typeof v === 'string' && v !== '');
      if (name) out[i.address] = name;
    }
  }
  return out;
}

/** Every finding, troubleshooting first. */
export function allFindings(report: CheckReport): Finding[] {
  return [...report.troubleshooting, ...report.security];
}
