import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** The smallest part of archiver's API used here (archiver ships no types, @types/archiver is not installed). */
interface ZipArchive {
  on(event: 'data', listener: (chunk: Buffer) => void): void;
  on(event: 'end', listener: () => void): void;
  on(event: 'error' | 'warning', listener: (error: Error) => void): void;
  append(source: Buffer, data: { name: string; date: Date; mode: number }): void;
  finalize(): Promise<void>;
}
// archiver is installed with cdktf-cli, not a direct dependency of this project (see the report
// that introduced this file: yazl is the candidate to add as a direct one).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const archiver = require('archiver') as (format: 'zip', options: { zlib: { level: number } }) => ZipArchive;

/** Every zip entry gets this time, so the same files always give the same bytes. */
// archiver writes DOS times from the UTC fields, so a UTC date gives the same bytes in every time zone.
export const ZIP_ENTRY_DATE = new Date(Date.UTC(1980, 0, 2, 0, 0, 0));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : entry.isFile() ? [path] : [];
  });
}

/**
 * Zips a folder's files reproducibly: entries sorted by path, one fixed timestamp (1980-01-02 00:00 in any time zone), mode 0644,
 * no directory entries. The same content gives the same zip on any machine and checkout,
 * so its hash (a Lambda's source_code_hash) changes only when the code does.
 */
export async function zipFolder(dir: string, zipPath: string): Promise<void> {
  const files = filesUnder(dir)
    .map((path) => ({ path, name: relative(dir, path).split(sep).join('/') }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const archive = archiver('zip', { zlib: { level: 9 } });
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    archive.on('data', (chunk) => chunks.push(chunk));
    archive.on('end', () => resolve());
    archive.on('error', reject);
    archive.on('warning', reject);
  });
  for (const file of files) {
    if (!statSync(file.path).isFile()) continue;
    archive.append(readFileSync(file.path), { name: file.name, date: ZIP_ENTRY_DATE, mode: 0o644 });
  }
  await archive.finalize();
  await done;
  writeFileSync(zipPath, Buffer.concat(chunks));
}
