import { TerraformVariable } from 'cdktf';
import { DynamoDbTable } from '../../modules/constructs/dynamodb-table';
import { FunctionCode } from '../../modules/constructs/function-code';
import { VpcFunction } from '../../modules/constructs/vpc-function';
import { blocks, functionProps, synthResources, testNetwork } from './support';

// What a function may have besides its tables and database: another runtime or an image,
// layers, extra statements and managed policies, provisioned concurrency on an alias, a URL,
// and a table's stream as its event source. Each is refused by its prop when it is wrong.

type Statement = { Sid?: string; Effect: string; Action: string[]; Resource: string[] };
const statements = (policy: unknown) => (JSON.parse(String(policy)) as { Statement: Statement[] }).Statement;
const policyNamed = (r: Record<string, Record<string, Record<string, unknown>>>, name: string) => statements(blocks(r, 'aws_iam_role_policy').find((p) => p.name === name)!.policy);
const image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/projector:1.4.0';
const layer = 'arn:aws:lambda:us-east-1:123456789012:layer:shared:3';
const secret = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf';
const python = { code: FunctionCode.fromS3('builds', 'api.zip'), runtime: 'python3.13' as const, handler: 'app.handler' };

describe('VpcFunction additions', () => {
  test('a prebuilt zip on Python with a layer; an image with no handler, runtime or layers', () => {
    const r = synthResources((scope) => {
      const network = testNetwork(scope);
      new VpcFunction(scope, 'api', functionProps(network, { ...python, layers: [layer] }));
      new VpcFunction(scope, 'projector', functionProps(network, { functionName: 'n-projector', code: FunctionCode.fromImage(image) }));
    });
    const [api, projector] = blocks(r, 'aws_lambda_function');
    expect(api).toMatchObject({ runtime: 'python3.13', handler: 'app.handler', layers: [layer] });
    expect(api.package_type).toBeUndefined();
    expect(projector).toMatchObject({ package_type: 'Image', image_uri: image });
    expect([projector.handler, projector.runtime, projector.layers]).toEqual([undefined, undefined, undefined]);
  });

  test('an image URI known only at apply (a Terraform expression) still drops the handler and runtime', () => {
    const r = synthResources((scope) => {
      const uri = new TerraformVariable(scope, 'image', { type: 'string' }).stringValue;
      new VpcFunction(scope, 'projector', functionProps(testNetwork(scope), { functionName: 'n-projector', code: FunctionCode.fromImage(uri) }));
    });
    const fn = blocks(r, 'aws_lambda_function')[0];
    expect([fn.package_type, fn.image_uri, fn.handler, fn.runtime]).toEqual(['Image', '${var.image}', undefined, undefined]);
  });

  test('declared statements are their own inline policy; managed policies are attached one by one', () => {
    const r = synthResources((scope) =>
      new VpcFunction(scope, 'api', functionProps(testNetwork(scope), {
        policyStatements: { ReadDbSecret: { actions: ['secretsmanager:GetSecretValue'], resources: [secret] } },
        managedPolicyArns: ['arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess'],
      })),
    );
    expect(blocks(r, 'aws_iam_role_policy').map((p) => p.name).sort()).toEqual(['declared-statements', 'least-privilege']);
    expect(policyNamed(r, 'declared-statements')).toEqual([{ Sid: 'ReadDbSecret', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [secret] }]);
    expect(policyNamed(r, 'least-privilege').flatMap((s) => s.Action)).not.toContain('secretsmanager:GetSecretValue');
    expect(blocks(r, 'aws_iam_role_policy_attachment').map((a) => a.policy_arn)).toEqual(['arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess']);
  });

  test('provisioned concurrency publishes, keeps the alias live warm, and the URL points at it (AWS_IAM by default)', () => {
    const r = synthResources((scope) => new VpcFunction(scope, 'api', functionProps(testNetwork(scope), { provisionedConcurrency: 2, functionUrl: {} })));
    expect(blocks(r, 'aws_lambda_function')[0].publish).toBe(true);
    expect(blocks(r, 'aws_lambda_alias')[0]).toMatchObject({ name: 'live' });
    expect(blocks(r, 'aws_lambda_provisioned_concurrency_config')[0]).toMatchObject({ provisioned_concurrent_executions: 2 });
    expect(blocks(r, 'aws_lambda_function_url')[0]).toMatchObject({ authorization_type: 'AWS_IAM', invoke_mode: 'BUFFERED' });
    expect(String(blocks(r, 'aws_lambda_function_url')[0].qualifier)).toMatch(/aws_lambda_alias\..*\.name/);
  });

  test('without them: no version published, no alias, no URL, no attachment', () => {
    const r = synthResources((scope) => new VpcFunction(scope, 'api', functionProps(testNetwork(scope))));
    expect(blocks(r, 'aws_lambda_function')[0].publish).toBeUndefined();
    for (const type of ['aws_lambda_alias', 'aws_lambda_function_url', 'aws_iam_role_policy_attachment', 'aws_lambda_event_source_mapping']) expect(r[type]).toBeUndefined();
  });

  test("addTableStreamSource: a mapping from the stream and exactly the stream reads on that table's stream", () => {
    const r = synthResources((scope) => {
      const orders = new DynamoDbTable(scope, 'orders', { tableName: 'orders', hashKey: 'id', streamViewType: 'NEW_IMAGE' });
      const fn = new VpcFunction(scope, 'projector', functionProps(testNetwork(scope), { failureQueueEnabled: true }));
      fn.addTableStreamSource(orders);
    });
    const mapping = blocks(r, 'aws_lambda_event_source_mapping')[0];
    expect(mapping).toMatchObject({ starting_position: 'LATEST', batch_size: 100, maximum_retry_attempts: 10, bisect_batch_on_function_error: true });
    expect(String(mapping.event_source_arn)).toMatch(/aws_dynamodb_table\..*\.stream_arn/);
    expect(JSON.stringify(mapping.destination_config)).toMatch(/aws_sqs_queue\..*\.arn/);
    const read = policyNamed(r, 'least-privilege').find((s) => s.Sid === 'ReadTableStream')!;
    expect(read.Action).toEqual(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams']);
    expect(read.Resource).toHaveLength(1);
    expect(read.Resource[0]).toMatch(/aws_dynamodb_table\..*\.arn}\/stream\/\*$/);
  });

  test.each([
    ['a runtime for code built here', { runtime: 'java21' as const }, 'functions.api.runtime: "java21" cannot run code built here'],
    ['six layers', { ...python, layers: Array(6).fill(layer) }, 'functions.api.layers: 6 layers; Lambda allows 5'],
    ['a layer without a version', { ...python, layers: ['arn:aws:lambda:us-east-1:123456789012:layer:shared'] }, 'functions.api.layers: "arn:aws:lambda:us-east-1:123456789012:layer:shared" is not a layer version ARN'],
    ['layers on an image', { code: FunctionCode.fromImage(image), layers: [layer] }, 'functions.api.layers: does not apply to an image'],
    ['a handler on an image', { code: FunctionCode.fromImage(image), handler: 'x.y' }, 'functions.api.handler: does not apply to an image'],
    ['an image outside ECR', { code: FunctionCode.fromImage('docker.io/library/node:22') }, 'functions.api.code: fromImage("docker.io/library/node:22"): not an ECR image URI'],
    ['AdministratorAccess', { managedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'] }, 'functions.api.managedPolicyArns: AdministratorAccess undoes least privilege'],
    ['a managed policy that is not an ARN', { managedPolicyArns: ['ReadOnlyAccess'] }, 'functions.api.managedPolicyArns: "ReadOnlyAccess" is not a managed policy ARN'],
    ['a DynamoDB grant in a statement', { policyStatements: { Orders: { actions: ['dynamodb:GetItem'], resources: ['arn:aws:dynamodb:us-east-1:123456789012:table/orders'] } } }, 'functions.api.policyStatements.Orders.actions: "dynamodb:GetItem" is granted through tableAccess'],
    ['an unacknowledged wildcard', { policyStatements: { Queues: { actions: ['sqs:SendMessage'], resources: ['*'] } } }, 'functions.api.policyStatements.Queues: allows "*", a wildcard; name the actions and resources, or set wildcardAcknowledged: true'],
    ['an action that is not one', { policyStatements: { Secret: { actions: ['GetSecretValue'], resources: [secret] } } }, 'functions.api.policyStatements.Secret.actions: "GetSecretValue" is not an IAM action'],
    ['a statement id with a hyphen', { policyStatements: { 'read-secret': { actions: ['secretsmanager:GetSecretValue'], resources: [secret] } } }, 'functions.api.policyStatements.read-secret: the key is the statement id'],
    ['more provisioned than reserved', { reservedConcurrency: 1, provisionedConcurrency: 2 }, 'functions.api.provisionedConcurrency: 2 is more than reservedConcurrency (1)'],
    ['a URL open to COGNITO', { functionUrl: { authType: 'COGNITO' as 'NONE' } }, 'functions.api.functionUrl.authType: "COGNITO" must be one of AWS_IAM, NONE'],
  ])('refused: %s', (_what, extra, message) => {
    expect(() => synthResources((scope) => new VpcFunction(scope, 'api', functionProps(testNetwork(scope), extra)))).toThrow(message);
  });

  test('an acknowledged wildcard and a Deny are accepted', () => {
    const r = synthResources((scope) =>
      new VpcFunction(scope, 'api', functionProps(testNetwork(scope), {
        policyStatements: {
          PutMetrics: { actions: ['cloudwatch:PutMetricData'], resources: ['*'], wildcardAcknowledged: true },
          NoDeletes: { effect: 'Deny', actions: ['dynamodb:DeleteTable'], resources: ['*'] },
        },
      })),
    );
    expect(policyNamed(r, 'declared-statements').map((s) => [s.Sid, s.Effect])).toEqual([['PutMetrics', 'Allow'], ['NoDeletes', 'Deny']]);
  });

  test('a stream source needs a table with a stream, once', () => {
    expect(() =>
      synthResources((scope) => {
        const orders = new DynamoDbTable(scope, 'orders', { tableName: 'orders', hashKey: 'id' });
        new VpcFunction(scope, 'projector', functionProps(testNetwork(scope))).addTableStreamSource(orders);
      }),
    ).toThrow('functions.projector.streamFrom: table orders has no stream; set its streamViewType');
  });
});
