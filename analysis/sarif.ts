/**
 * `--format sarif`: the report as SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps).
 * One run; the driver lists every rule (VLD001-VLD024, VLD101-VLD111, VLD120 from verify --probe) with the Checkov and
 * Trivy ids it corresponds to; each result names its resource as a logical location and, as
 * its physical location, the `.tf` file and line that declare it when a plan's HCL sources are
 * at hand, else the input file (and the line where the address is written in it).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { allFindings, CheckReport } from './analyze';
import { CheckDefinition, Finding, Severity } from './findings';
import { installedModuleDir } from './hcl-source';
import { SECURITY_CHECKS } from './security-checks';
import { TROUBLESHOOTING } from './troubleshooting';
import { SCANNER_IDS } from './scanner-ids';

export { SCANNER_IDS } from './scanner-ids';

/** Every rule `check` can report, by id. */
export function allRules(): CheckDefinition[] {
  const byId = new Map<string, CheckDefinition>();
  for (const c of [...Object.values(SECURITY_CHECKS), ...Object.values(TROUBLESHOOTING)] as CheckDefinition[]) byId.set(c.id, c);
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** SARIF's levels: `info` is a `note`. */
export function sarifLevel(severity: Severity): 'error' | 'warning' | 'note' {
  return severity === 'info' ? 'note' : severity;
}

/** `VPC flow logs on (traffic_type ALL)` -> `VpcFlowLogsOnTrafficTypeAll`: SARIF's rule name is an identifier. */
function ruleName(title: string): string {
  return title
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase())
    .join('');
}

function ruleOf(c: CheckDefinition) {
  const scanners = SCANNER_IDS[c.id] ?? {};
  const help = `${c.fix}${c.symptom ? `\n\nSymptom at run time: ${c.symptom}` : ''}`;
  return {
    id: c.id,
    name: ruleName(c.title),
    shortDescription: { text: c.title },
    fullDescription: { text: c.symptom ? `${c.title}. At run time: ${c.symptom}` : c.title },
    help: { text: help, markdown: `**Fix:** ${c.fix}${c.symptom ? `\n\n**Symptom at run time:** ${c.symptom}` : ''}` },
    defaultConfiguration: { level: sarifLevel(c.severity) },
    properties: {
      tags: [c.id.startsWith('VLD1') ? 'troubleshooting' : 'security', 'terraform', 'aws'],
      ...(scanners.checkov ? { checkov: [...scanners.checkov] } : {}),
      ...(scanners.trivy ? { trivy: [...scanners.trivy] } : {}),
    },
  };
}

/** Where a resource is written in the input file: 1-based line and column, or undefined. */
export function locateAddress(text: string, address: string): { line: number; column: number } | undefined {
  // A plan names every instance by its address; a stack JSON is `"resource": {"type": {"name": {...}}}`.
  let index = text.indexOf(`"address":"${address}"`);
  if (index < 0) index = text.indexOf(`"address": "${address}"`);
  if (index < 0) {
    const m = /^([a-z][a-z0-9_]*)\.([\w-]+)/.exec(address);
    if (m) {
      const type = text.indexOf(`"${m[1]}":`);
      if (type >= 0) {
        const name = text.indexOf(`"${m[2]}":`, type);
        if (name >= 0) index = name;
      }
    }
  }
  if (index < 0) return undefined;
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - before.lastIndexOf('\n') };
}

/**
 * Where a resource is declared in the HCL sources: `resource "type" "name"` in the root
 * module's `.tf` files, or in a called module's folder as `.terraform/modules/modules.json`
 * places it. Undefined when the sources are not there.
 */
export function locateInSource(rootDir: string, address: string): { file: string; line: number } | undefined {
  const m = /^((?:module\.[\w-]+(?:\[[^\]]*\])?\.)*)(data\.)?([a-z][a-z0-9_]*)\.([\w-]+)/.exec(address);
  if (!m) return undefined;
  const key = [...m[1].matchAll(/module\.([\w-]+)/g)].map((x) => x[1]).join('.');
  const dir = key ? installedModuleDir(rootDir, key) : rootDir;
  if (!dir || !existsSync(dir)) return undefined;
  const header = new RegExp(`^\\s*${m[2] ? 'data' : 'resource'}\\s+"${m[3]}"\\s+"${m[4]}"\\s*\\{`);
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.tf')).sort()) {
    const file = join(dir, name);
    const index = readFileSync(file, 'utf8').split('\n').findIndex((l) => header.test(l));
    if (index >= 0) return { file, line: index + 1 };
  }
  return undefined;
}

/** The input file as SARIF wants it: relative to the working directory (the repository in CI), else a file URI. */
function artifactUri(file: string): string {
  const rel = relative(process.cwd(), resolve(file));
  if (rel && !rel.startsWith('..') && !isAbsolute(rel)) return rel.split(sep).join('/');
  return pathToFileURL(resolve(file)).href;
}

/** A finding's resource may name several (`sg_a, sg_b`): each is a logical location. */
function addresses(f: Finding): string[] {
  return f.resource
    .split(/,\s*/)
    .map((a) => a.trim())
    .filter(Boolean);
}

/** The SARIF log (an object; {@link renderSarif} prints it). */
export interface SarifOptions {
  /** The tool's version (package.json). */
  readonly version?: string;
  /** The root module's folder (a plan's): a finding's resource is located in its `.tf` file when found there. */
  readonly sourceDir?: string;
  /** Where the tool is documented (package.json `homepage`); the driver carries none without one. */
  readonly informationUri?: string;
  /** Rules beyond `check`'s, for a run that reports them (`verify`'s live-only checks). */
  readonly extraRules?: readonly CheckDefinition[];
}

/**
 * How to install the check, for the SARIF driver: the package is not on npm yet, so the
 * install that works today is the tarball `npm pack` writes in a clone of the repository.
 */
export function installText(version = '<version>'): string {
  return (
    `Install today (not yet on npm): npm ci && npm pack in a clone of the repository, then npm install --no-save ./vpc-lambda-dynamodb-${version}.tgz` +
    ' (no CDKTF packages needed for check). Once published: npm install --no-save vpc-lambda-dynamodb.'
  );
}

export function sarifLog(report: CheckReport, options: SarifOptions = {}) {
  const { version, sourceDir, informationUri } = options;
  const rules = [...allRules(), ...(options.extraRules ?? [])].sort((a, b) => a.id.localeCompare(b.id));
  let text: string | undefined;
  if (report.input.file) {
    try {
      text = readFileSync(report.input.file, 'utf8');
    } catch {
      text = undefined;
    }
  }
  const uri = report.input.file ? artifactUri(report.input.file) : undefined;
  const accepted = new Map((report.suppressed ?? []).map((s) => [s.finding, s]));
  // With --base, SARIF's own baseline vocabulary: new, unchanged, and absent (resolved) results.
  const isNew = new Set(report.change?.newFindings ?? []);
  const resolved = new Set(report.change?.resolvedFindings ?? []);
  const baselineState = (f: Finding) => (!report.change ? undefined : resolved.has(f) ? 'absent' : isNew.has(f) ? 'new' : 'unchanged');
  const results = [...allFindings(report), ...accepted.keys(), ...resolved].map((f) => {
    const suppression = accepted.get(f);
    const state = baselineState(f);
    const index = rules.findIndex((r) => r.id === f.id);
    const logical = addresses(f).map((a) => ({ fullyQualifiedName: a, kind: 'resource' }));
    const hcl = sourceDir && logical.length ? locateInSource(sourceDir, logical[0].fullyQualifiedName) : undefined;
    const at = !hcl && text && logical.length ? locateAddress(text, logical[0].fullyQualifiedName) : undefined;
    const physical = hcl
      ? { physicalLocation: { artifactLocation: { uri: artifactUri(hcl.file) }, region: { startLine: hcl.line } } }
      : uri
        ? { physicalLocation: { artifactLocation: { uri }, ...(at ? { region: { startLine: at.line, startColumn: at.column } } : {}) } }
        : {};
    return {
      ruleId: f.id,
      ...(index >= 0 ? { ruleIndex: index } : {}),
      level: sarifLevel(f.severity),
      message: { text: `${f.title}: ${f.message}${f.symptom ? ` (at run time: ${f.symptom})` : ''}. Fix: ${f.fix}` },
      locations: [{ ...physical, logicalLocations: logical }],
      partialFingerprints: { 'vldResource/v1': `${f.id}:${f.resource}` },
      ...(state ? { baselineState: state } : {}),
      // A suppressed finding stays in the log, marked as accepted with its reason.
      ...(suppression ? { suppressions: [{ kind: suppression.inSource ? 'inSource' : 'external', status: 'accepted', justification: `${suppression.reason} (${suppression.source}${suppression.expires ? `, until ${suppression.expires}` : ''})` }] } : {}),
    };
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0' as const,
    runs: [
      {
        tool: {
          driver: {
            name: 'vpc-lambda-dynamodb check',
            ...(version ? { version } : {}),
            ...(informationUri ? { informationUri } : {}),
            fullDescription: { text: `Proves before deploy that Lambda functions reach DynamoDB privately; security checks and network cost. ${installText(version)}` },
            rules: rules.map(ruleOf),
          },
        },
        ...(uri ? { artifacts: [{ location: { uri } }] } : {}),
        results,
      },
    ],
  };
}

/** `--format sarif`. */
export function renderSarif(report: CheckReport, options: SarifOptions = {}): string {
  return JSON.stringify(sarifLog(report, options), null, 2);
}
