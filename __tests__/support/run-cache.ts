import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Terraform results shared by the test files of one jest run. Several files plan the same
 * synthesized configuration (the default deploy stack as JSON and as HCL, NAT per AZ), each
 * plan costing seconds of CPU; the first file to ask plans it, a file that asks meanwhile
 * waits for that plan, later files read it. Results live only in the run's folder
 * (jest.global-setup.js makes it, jest.global-teardown.js removes it): nothing is kept
 * between runs, so a run never sees a plan made by other code or another terraform.
 * Outside such a run (VLD_TEST_RUN_CACHE unset) every call simply runs.
 */

/** Folders and files terraform writes into a root it runs in: not part of the configuration. */
const WORKING_FILES = /^(\.terraform|\.terraform\.lock\.hcl|.*\.tfstate(\.backup)?|plan-.*\.bin|plan\.json)$/;

/** sha256 over the relative paths and contents of every file under `dir`, terraform's working files excepted. */
export function contentHash(dir: string): string {
  const hash = createHash('sha256');
  const walk = (sub: string) => {
    for (const name of readdirSync(join(dir, sub)).sort()) {
      if (WORKING_FILES.test(name)) continue;
      const relative = sub ? `${sub}/${name}` : name;
      const path = join(dir, relative);
      if (statSync(path).isDirectory()) walk(relative);
      else hash.update(`${relative}\0${statSync(path).size}\0`).update(readFileSync(path));
    }
  };
  walk('');
  return hash.digest('hex');
}

interface Stored<T> {
  value?: T;
  error?: string;
}

/**
 * `make()` once per jest run for `key` (a content hash and what is done with it). When the
 * file that ran it failed, this one runs it again, so its own test fails with terraform's words;
 * when that file's worker died without an answer, this one runs it after `waitMs` (under the
 * 120 s test timeout; a plan takes seconds).
 */
export async function oncePerRun<T>(key: string, make: () => T | Promise<T>, waitMs = 60000): Promise<T> {
  const root = process.env.VLD_TEST_RUN_CACHE;
  if (!root || !existsSync(root)) return make();
  const entry = join(root, createHash('sha256').update(key).digest('hex'));
  const result = join(entry, 'result.json');
  let owner = true;
  try {
    mkdirSync(entry); // atomic: exactly one file of the run gets to make it
  } catch {
    owner = false;
  }
  if (!owner) {
    const started = Date.now();
    while (!existsSync(result) && Date.now() - started < waitMs) await new Promise((r) => setTimeout(r, 100));
    if (existsSync(result)) {
      const stored = JSON.parse(readFileSync(result, 'utf8')) as Stored<T>;
      if (!stored.error) return stored.value as T;
    }
    return make();
  }
  const store = (stored: Stored<T>) => {
    writeFileSync(`${result}.tmp`, JSON.stringify(stored));
    renameSync(`${result}.tmp`, result);
  };
  try {
    const value = await make();
    store({ value });
    return value;
  } catch (e) {
    store({ error: e instanceof Error ? e.message : String(e) });
    throw e;
  }
}
