import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withRejectedInputs } from '../../scripts/rejected-inputs-readme';
import { PLAN_REJECTIONS, SYNTH_REJECTIONS } from '../support/rejected-inputs';

const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');

test('the README lists every rejected input the tests run, with its message (npm run docs:rejected)', () => {
  expect(readme).toBe(withRejectedInputs(readme));
  for (const [, , message] of [...SYNTH_REJECTIONS, ...PLAN_REJECTIONS]) expect(readme).toContain(message.replace(/\|/g, '\\|'));
});
