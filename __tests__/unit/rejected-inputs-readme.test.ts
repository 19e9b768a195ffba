import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withDeliberateDefaults, withRejectedInputs } from '../../scripts/rejected-inputs-readme';
import { DELIBERATE_DEFAULTS } from '../../modules/private/scanner-suppressions';
import { PLAN_REJECTIONS, SYNTH_REJECTIONS } from '../support/rejected-inputs';

const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');

test('the README lists every rejected input the tests run, with its message (npm run docs:rejected)', () => {
  expect(readme).toBe(withRejectedInputs(readme));
  for (const [, , message] of [...SYNTH_REJECTIONS, ...PLAN_REJECTIONS]) expect(readme).toContain(message.replace(/\|/g, '\\|'));
});

test('the README lists every scanner rule the defaults deliberately do not follow, with its reason (npm run docs:rejected)', () => {
  expect(readme).toBe(withDeliberateDefaults(readme));
  for (const d of Object.values(DELIBERATE_DEFAULTS)) {
    expect(readme).toContain(d.reason);
    for (const id of [...d.checkov, ...d.trivy]) expect(readme).toContain(id);
  }
});
