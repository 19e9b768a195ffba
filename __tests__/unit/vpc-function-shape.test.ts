import { resourceNamed, synthDeploy, synthModule, TerraformJson } from '../support/synth';

// Both envelopes build a function from vpc-function-shape.ts: the deploy stack's VpcFunction
// one function at a time, the module `for_each = var.functions`. These tests hold them to it:
// each of a function's resources sets the same arguments in both, the fixed ones to the same
// values, and carries the same scanner exemptions (the deploy stack's functions use the
// defaults: no reserved concurrency, PassThrough tracing, 30 days, no log key).

const deploy = synthDeploy();
const module_ = synthModule();

/** What only the envelope adds: how many, in what order, and the scanner notes (compared below). */
const ENVELOPE_KEYS = new Set(['//', 'count', 'for_each', 'depends_on', 'lifecycle']);
/** Arguments set only when a function has them: the code's location and the optional settings. */
const OPTIONAL_KEYS = new Set([
  ...['filename', 's3_bucket', 's3_key', 's3_object_version', 'source_code_hash', 'image_uri', 'package_type'],
  ...['description', 'reserved_concurrent_executions', 'kms_key_id', 'layers', 'publish'],
]);

/** Each resource of the products function in the deploy stack, with its counterpart in the module. */
const PAIRS: ReadonlyArray<readonly [type: string, deployName: string, moduleName: string, fixed: readonly string[]]> = [
  ['aws_cloudwatch_log_group', 'system_products_log_group', 'function_log_group', []],
  ['aws_iam_role', 'system_products_role', 'function_role', ['assume_role_policy']],
  ['aws_security_group', 'system_products_security_group_security_group', 'function_security_group', ['revoke_rules_on_delete', 'timeouts']],
  ['aws_vpc_security_group_egress_rule', 'system_products_security_group_dynamodb_https', 'function_dynamodb_https', ['description', 'ip_protocol', 'from_port', 'to_port']],
  ['aws_lambda_function', 'system_products_function', 'function', ['replace_security_groups_on_destroy']],
];

const argumentsOf = (block: Record<string, unknown>) => Object.keys(block).filter((key) => !ENVELOPE_KEYS.has(key) && !OPTIONAL_KEYS.has(key)).sort();
const reasonsOf = (block: Record<string, unknown>) => ((block['//'] as { suppressions?: Array<{ reason: string }> } | undefined)?.suppressions ?? []).map((s) => s.reason).sort();

describe.each(PAIRS)('%s: the deploy stack and the module build it alike', (type, deployName, moduleName, fixed) => {
  const inDeploy = resourceNamed(deploy, type, deployName);
  const inModule = resourceNamed(module_ as TerraformJson, type, moduleName);

  test('the same arguments', () => {
    expect(argumentsOf(inModule)).toEqual(argumentsOf(inDeploy));
  });

  test('the same fixed values', () => {
    for (const key of fixed) expect({ [key]: inModule[key] }).toEqual({ [key]: inDeploy[key] });
  });

  test('the same scanner exemptions', () => {
    expect(reasonsOf(inModule)).toEqual(reasonsOf(inDeploy));
  });
});

test('the function: JSON logs, the same block arguments', () => {
  const inDeploy = resourceNamed(deploy, 'aws_lambda_function', 'system_products_function');
  const inModule = resourceNamed(module_ as TerraformJson, 'aws_lambda_function', 'function');
  for (const block of ['logging_config', 'vpc_config', 'tracing_config', 'environment']) {
    expect(Object.keys(inModule[block] as object).sort()).toEqual(Object.keys(inDeploy[block] as object).sort());
  }
  expect((inModule.logging_config as { log_format: string }).log_format).toBe('JSON');
  expect((inDeploy.logging_config as { log_format: string }).log_format).toBe('JSON');
});
