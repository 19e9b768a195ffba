import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DELIBERATE_DEFAULTS_DOC, MODULE_DOC, REJECTED_INPUTS_DOC, withDeliberateDefaults, withModuleTables, withRejectedInputs } from '../../scripts/rejected-inputs-readme';
import { DELIBERATE_DEFAULTS } from '../../modules/private/scanner-suppressions';
import { ModuleJson } from '../../modules/stacks/module/module-docs';
import { PLAN_REJECTIONS, SYNTH_REJECTIONS } from '../support/rejected-inputs';
import { synthModule } from '../support/synth';

const rejectedDoc = readFileSync(join(__dirname, '../..', REJECTED_INPUTS_DOC), 'utf8');
const defaultsDoc = readFileSync(join(__dirname, '../..', DELIBERATE_DEFAULTS_DOC), 'utf8');
const moduleDoc = readFileSync(join(__dirname, '../..', MODULE_DOC), 'utf8');

test(`${REJECTED_INPUTS_DOC} lists every rejected input the tests run, with its message (npm run docs:rejected)`, () => {
  expect(rejectedDoc).toBe(withRejectedInputs(rejectedDoc));
  for (const [, , message] of [...SYNTH_REJECTIONS, ...PLAN_REJECTIONS]) expect(rejectedDoc).toContain(message.replace(/\|/g, '\\|'));
});

test(`${DELIBERATE_DEFAULTS_DOC} lists every scanner rule the defaults deliberately do not follow, with its reason (npm run docs:rejected)`, () => {
  expect(defaultsDoc).toBe(withDeliberateDefaults(defaultsDoc));
  for (const d of Object.values(DELIBERATE_DEFAULTS)) {
    expect(defaultsDoc).toContain(d.reason);
    for (const id of [...d.checkov, ...d.trivy]) expect(defaultsDoc).toContain(id);
  }
});

test(`${MODULE_DOC} lists every input and output of the module, as the module declares them (npm run docs:rejected)`, () => {
  const module = synthModule() as ModuleJson;
  expect(moduleDoc).toBe(withModuleTables(moduleDoc, module));
  for (const name of [...Object.keys(module.variable ?? {}), ...Object.keys(module.output ?? {})]) expect(moduleDoc).toContain(`| \`${name}\` |`);
});
