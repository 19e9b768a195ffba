import { readFileSync } from 'node:fs';
import { failingVariable, VALIDATIONS_FILE, validationsTftest } from '../../scripts/module-tests';
import { synthModuleVariables } from '../../scripts/module-variables';
import { PLAN_REJECTIONS } from '../support/rejected-inputs';

describe('module-tests/validations.tftest.hcl', () => {
  test('is current with the rejected inputs (regenerate: tsx scripts/module-tests.ts)', async () => {
    expect(readFileSync(VALIDATIONS_FILE, 'utf8')).toBe(await validationsTftest(synthModuleVariables()));
  });

  test('has a run per rejected input, and every validated variable is exercised', () => {
    const variables = synthModuleVariables();
    const text = readFileSync(VALIDATIONS_FILE, 'utf8');
    expect(text.match(/^run "/gm)).toHaveLength(PLAN_REJECTIONS.length);
    const expected = new Set(PLAN_REJECTIONS.map(([, , message]) => failingVariable(message, variables)));
    expect([...expected].sort()).toEqual(
      ['account_id', 'availability_zones', 'database_instance_class', 'database_kms_key_arn', 'database_monitoring_interval', 'endpoint_policy', 'existing_database', 'existing_private_route_table_ids', 'existing_private_subnet_ids', 'existing_vpc_id', 'flow_log_format', 'flow_log_kms_key_arn', 'flow_log_retention_days', 'functions', 'interface_endpoints', 'log_kms_key_arn', 'max_availability_zones', 'name_prefix', 'nat_mode', 'private_subnet_cidrs', 'public_subnet_cidrs', 'region', 'tables', 'vpc_cidr'],
    );
  });
});
