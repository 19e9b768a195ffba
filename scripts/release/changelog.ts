/**
 * The release's view of CHANGELOG.md: `## Unreleased` collects changes between releases;
 * releasing X.Y.Z renames that heading to `## X.Y.Z (YYYY-MM-DD)`. Pure functions over the
 * text, so a release can be prepared in memory and written only once everything checks.
 */

/** A release version: three numbers, as the Terraform Registry's tags (`vX.Y.Z`) and npm want. */
export const VERSION_PATTERN = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** A problem with the release's input, said in one line that names the input. */
export class ReleaseInputError extends Error {}

/** One `## ` section of the changelog. */
interface Section {
  readonly heading: string;
  /** The version a release heading names (`0.2.0` for `## 0.2.0 (2026-12-01)`), else undefined. */
  readonly version?: string;
  /** Whether anything but blank lines follows the heading before the next one. */
  readonly hasEntries: boolean;
  /** Index of the heading line. */
  readonly line: number;
}

const UNRELEASED = /^## Unreleased\s*$/;
const RELEASED = /^## (\d+\.\d+\.\d+)(\s+\(\d{4}-\d{2}-\d{2}\))?\s*$/;

function sections(text: string): Section[] {
  const lines = text.split('\n');
  const found: Section[] = [];
  lines.forEach((line, i) => {
    if (!line.startsWith('## ')) return;
    let end = i + 1;
    while (end < lines.length && !lines[end].startsWith('## ')) end++;
    const hasEntries = lines.slice(i + 1, end).some((l) => l.trim() !== '');
    found.push({ heading: line, version: RELEASED.exec(line)?.[1], hasEntries, line: i });
  });
  return found;
}

/** -1, 0 or 1 as version `a` is before, the same as, or after `b` (X.Y.Z only). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] < pb[i] ? -1 : 1;
  return 0;
}

/** The checked release version, or a one-line error naming it. */
export function releaseVersion(version: string): string {
  if (!VERSION_PATTERN.test(version)) throw new ReleaseInputError(`version "${version}" is not X.Y.Z (for example 0.3.0)`);
  return version;
}

/** The checked release date, or a one-line error naming it. */
export function releaseDate(date: string): string {
  const parsed = new Date(`${date}T00:00:00Z`);
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(date) && !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(date);
  if (!valid) throw new ReleaseInputError(`--date "${date}" is not a date as YYYY-MM-DD`);
  return date;
}

/** The newest version CHANGELOG.md has a section for, if any. */
export function newestReleased(text: string): string | undefined {
  return sections(text)
    .map((s) => s.version)
    .filter((v): v is string => v !== undefined)
    .sort(compareVersions)
    .pop();
}

/**
 * CHANGELOG.md as released at `version`: `## Unreleased` becomes `## <version> (<date>)`
 * (`moved: true`), or, when a section for `version` is already there and nothing is left
 * under `## Unreleased`, the text as it is (`moved: false`). Anything else is refused with
 * one line naming CHANGELOG.md and what to do.
 */
export function releaseChangelog(text: string, version: string, date: string): { text: string; moved: boolean } {
  releaseVersion(version);
  releaseDate(date);
  const all = sections(text);
  const unreleased = all.filter((s) => UNRELEASED.test(s.heading));
  if (unreleased.length > 1) throw new ReleaseInputError('CHANGELOG.md has more than one "## Unreleased" section');
  const pending = unreleased[0];
  const existing = all.find((s) => s.version === version);
  if (existing) {
    if (pending?.hasEntries) throw new ReleaseInputError(`CHANGELOG.md has entries under "## Unreleased" and a "## ${version}" section already; move them under a later version`);
    return { text, moved: false };
  }
  if (!pending) throw new ReleaseInputError(`CHANGELOG.md has no "## Unreleased" section to release as ${version}, and no "## ${version}" section`);
  if (!pending.hasEntries) throw new ReleaseInputError(`CHANGELOG.md: "## Unreleased" is empty; nothing to release as ${version}`);
  const newest = newestReleased(text);
  if (newest && compareVersions(version, newest) <= 0) throw new ReleaseInputError(`version ${version} is not after ${newest}, the newest in CHANGELOG.md`);
  const lines = text.split('\n');
  lines[pending.line] = `## ${version} (${date})`;
  return { text: lines.join('\n'), moved: true };
}

/**
 * Whether the changelog is ready for a release of `version` (what `npm run release -- module`
 * builds from): a `## <version>` section and nothing under `## Unreleased`. Returns the
 * problem in one line, or undefined.
 */
export function unreleasedProblem(text: string, version: string): string | undefined {
  const all = sections(text);
  if (!all.some((s) => s.version === version)) return `CHANGELOG.md has no "## ${version}" section (package.json's version); run npm run release -- prepare <version> first`;
  if (all.some((s) => UNRELEASED.test(s.heading) && s.hasEntries)) return `CHANGELOG.md has entries under "## Unreleased" that ${version} does not hold; run npm run release -- prepare <next version> first`;
  return undefined;
}
