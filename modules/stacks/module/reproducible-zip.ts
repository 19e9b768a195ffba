import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { ZipFile } from 'yazl';

/**
 * Every zip entry gets this time, so the same files always give the same bytes. yazl writes
 * DOS times from the local-time fields of the date, so a date built from local fields is the
 * same DOS time in every time zone.
 */
export const ZIP_ENTRY_DATE = new Date(1980, 0, 2, 0, 0, 0);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : entry.isFile() ? [path] : [];
  });
}

/**
 * Zips a folder's files reproducibly with yazl (a small, dependency-free zip writer): entries
 * sorted by path, one fixed DOS timestamp (1980-01-02 00:00; no extended UTC time field, which
 * would differ by time zone), mode 0644, no directory entries.
 * The same content gives the same zip on any machine and checkout, so its hash (a Lambda's
 * source_code_hash) changes only when the code does.
 */
export async function zipFolder(dir: string, zipPath: string): Promise<void> {
  const files = filesUnder(dir)
    .map((path) => ({ path, name: relative(dir, path).split(sep).join('/') }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const zip = new ZipFile();
  for (const file of files) {
    zip.addBuffer(readFileSync(file.path), file.name, { mtime: ZIP_ENTRY_DATE, mode: 0o100644, compress: true, forceDosTimestamp: true });
  }
  zip.end();
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(zipPath);
    zip.outputStream.on('error', reject).pipe(out).on('finish', () => resolve()).on('error', reject);
  });
}
