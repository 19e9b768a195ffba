import { Testing } from 'cdktf';
import { ConfigError } from '../../modules/private/config-error';
import { parseDeployConfig } from '../../modules/stacks/deploy/deploy-config';
import { DeployStack } from '../../modules/stacks/deploy/deploy-stack';
import { resolveStateBackend, StateBackend } from '../../modules/stacks/deploy/state-backend';

const defaults = { stackName: 'vpc-lambda-dynamodb', region: 'us-east-1' };

function backendBlock(backend: StateBackend): Record<string, unknown> {
  const stack = new DeployStack(Testing.app(), parseDeployConfig({ functions: { enabled: false }, endpointPolicy: 'open' }), undefined, backend);
  return (JSON.parse(Testing.synth(stack)) as { terraform: { backend: Record<string, unknown> } }).terraform.backend;
}

test('local state by default', () => {
  const backend = resolveStateBackend({}, {}, defaults);
  expect(backend).toEqual({ kind: 'local', path: 'terraform.tfstate' });
  expect(backendBlock(backend)).toEqual({ local: { path: 'terraform.tfstate' } });
});

test('S3 from the environment: encrypted, S3 lock file, key and region defaulted from the stack', () => {
  const backend = resolveStateBackend({ VLD_STATE_BUCKET: 'acme-terraform-state' }, {}, defaults);
  expect(backendBlock(backend)).toEqual({
    s3: { bucket: 'acme-terraform-state', key: 'vpc-lambda-dynamodb/terraform.tfstate', region: 'us-east-1', encrypt: true, use_lockfile: true },
  });
});

test('S3 from cdktf.json context, with a DynamoDB lock table; the environment wins over context', () => {
  const context = { stateBucket: 'ctx-bucket', stateKey: 'prod/net.tfstate', stateRegion: 'eu-west-1', stateLockTable: 'terraform-locks' };
  expect(backendBlock(resolveStateBackend({}, context, defaults))).toEqual({
    s3: { bucket: 'ctx-bucket', key: 'prod/net.tfstate', region: 'eu-west-1', encrypt: true, dynamodb_table: 'terraform-locks' },
  });
  expect(resolveStateBackend({ VLD_STATE_BUCKET: 'env-bucket' }, context, defaults)).toMatchObject({ bucket: 'env-bucket', key: 'prod/net.tfstate' });
});

test.each([
  [{ VLD_STATE_BUCKET: 'Acme_State' }, {}, 'VLD_STATE_BUCKET: "Acme_State" is not an S3 bucket name'],
  [{}, { stateBucket: 42 }, 'cdktf.json context.stateBucket: must be a string, got 42'],
  [{ VLD_STATE_BUCKET: 'acme-state', VLD_STATE_KEY: '/abs/key' }, {}, 'VLD_STATE_KEY: "/abs/key" must be an object key'],
  [{ VLD_STATE_BUCKET: 'acme-state', VLD_STATE_REGION: 'europe' }, {}, 'VLD_STATE_REGION: "europe" is not an AWS region name'],
  [{ VLD_STATE_KEY: 'a/b.tfstate' }, {}, 'VLD_STATE_KEY: is set but no state bucket is'],
  [{ VLD_STATE_BUCKET: 'acme-state', VLD_STATE_LOCK_TABLE: 'x' }, {}, 'VLD_STATE_LOCK_TABLE: "x" is not a DynamoDB table name'],
])('rejected: %j %j', (env, context, message) => {
  let error: unknown;
  try {
    resolveStateBackend(env, context, defaults);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as Error).message).toContain(message);
});
