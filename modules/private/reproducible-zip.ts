import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { zipSync, Zippable } from 'fflate';

/**
 * Every entry's time. fflate writes the DOS date from the local-time fields of the date and
 * no extended (UTC) time field, so a date built from local fields is the same bytes in every
 * time zone.
 */
export const ZIP_ENTRY_DATE = new Date(1980, 0, 2, 0, 0, 0);
/** Unix `-rw-r--r--` in the high half of the external attributes, with os = 3 (Unix). */
const FILE_ATTRIBUTES = 0o100644 << 16;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : entry.isFile() ? [path] : [];
  });
}

/**
 * A folder's files as a zip, in this process and reproducibly (fflate's synchronous zipSync):
 * entries sorted by path, one fixed time, mode 0644, no directory entries. The same content
 * gives the same bytes on every machine and checkout, so the zip's SHA-256 (Lambda's
 * CodeSha256, Terraform's filebase64sha256) changes only when the code does.
 */
export function zipFolderSync(dir: string): Uint8Array {
  const files = filesUnder(dir)
    .map((path) => ({ path, name: relative(dir, path).split(sep).join('/') }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const entries: Zippable = {};
  for (const file of files) {
    entries[file.name] = [readFileSync(file.path), { level: 9, mtime: ZIP_ENTRY_DATE, os: 3, attrs: FILE_ATTRIBUTES }];
  }
  return zipSync(entries);
}
