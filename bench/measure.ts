/**
 * Measurement helpers shared by the benchmarks (and the soak script): order statistics over
 * samples, and wall time plus peak memory of a child process.
 */
import { spawn, SpawnOptions } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** The `p`-th percentile (0 to 100) by nearest rank: a value that was actually measured. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** The median (mean of the two middle values for an even count). */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Rounds for reports: 3 significant decimals below 10, 1 decimal below 1000, integers above. */
export function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  const abs = Math.abs(value);
  const digits = abs < 10 ? 3 : abs < 1000 ? 1 : 0;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Milliseconds an async function takes. */
export async function timeAsync<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** One run of a child process: wall time and memory. */
export interface ChildRun {
  readonly ms: number;
  readonly exitCode: number | null;
  /** Peak of the summed RSS of the process and all its descendants, sampled every `sampleMs` (Linux /proc). */
  readonly treePeakRssBytes?: number;
  /** Max RSS of the largest single process in the tree (GNU time's %M), when /usr/bin/time is present. */
  readonly maxProcessRssBytes?: number;
  readonly stdout: string;
  readonly stderr: string;
}

const PAGE_SIZE = 4096;
const GNU_TIME = '/usr/bin/time';

/** Parent pid of every process, from /proc/<pid>/stat (field 4, after the parenthesized name). */
function processTree(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // the process ended while we read
    }
  }
  return children;
}

/** Summed RSS of `root` and all its descendants. */
function treeRss(root: number): number {
  const children = processTree();
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    try {
      total += Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_SIZE;
    } catch {
      // ended
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/**
 * Runs a command to its end and reports wall time (spawn to exit) and memory. Under
 * /usr/bin/time when present (its own footprint, ~2 MB, is not counted: %M is the largest
 * process's max RSS); the process tree's summed RSS is sampled on Linux.
 */
export function runChild(command: string, args: string[], options: SpawnOptions & { sampleMs?: number } = {}): Promise<ChildRun> {
  const useTime = existsSync(GNU_TIME);
  const canSample = existsSync('/proc/self/statm');
  const [cmd, argv] = useTime ? [GNU_TIME, ['-f', '__MAXRSS_KB__=%M', command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(cmd, argv, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    let peak = 0;
    const timer = canSample && child.pid ? setInterval(() => (peak = Math.max(peak, treeRss(child.pid!))), options.sampleMs ?? 40) : undefined;
    child.once('error', (error) => {
      if (timer) clearInterval(timer);
      reject(error);
    });
    child.once('close', (exitCode) => {
      const ms = performance.now() - start;
      if (timer) clearInterval(timer);
      let maxProcessRssBytes: number | undefined;
      const marker = /__MAXRSS_KB__=(\d+)\s*$/.exec(stderr);
      if (marker) {
        maxProcessRssBytes = Number(marker[1]) * 1024;
        stderr = stderr.slice(0, marker.index);
      }
      resolve({ ms, exitCode, treePeakRssBytes: canSample ? peak : undefined, maxProcessRssBytes, stdout, stderr });
    });
  });
}

/** Bytes as MiB with one decimal, for tables. */
export function mib(bytes: number | undefined): string {
  return bytes === undefined || !Number.isFinite(bytes) ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
