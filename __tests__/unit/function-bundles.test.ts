import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleFunction, FUNCTIONS, FunctionName } from '../../functions/bundle';
import { zipFolderSync } from '../../modules/private/reproducible-zip';

/** Issue 12's budget per function zip: 300 KiB. */
const ZIP_BUDGET_BYTES = 300 * 1024;

describe.each(Object.keys(FUNCTIONS) as FunctionName[])('the %s bundle', (name) => {
  const bundle = bundleFunction(name);
  const code = readFileSync(join(bundle.dir, 'index.js'), 'utf8');

  test('is CommonJS only: no import() left, which a CommonJS host without ES module support (jest) cannot run', () => {
    expect(code.match(/\bimport\(/g)).toBeNull();
  });

  test('leaves out zod\'s locales (an `import { z }` brings them all back)', () => {
    expect(code).not.toMatch(/Zu klein|Trop petit|Demasiado pequeño/); // de, fr, es messages of zod's locales
  });

  test(`zips to at most ${ZIP_BUDGET_BYTES} B`, () => {
    expect(zipFolderSync(bundle.dir).length).toBeLessThanOrEqual(ZIP_BUDGET_BYTES);
  });
});
