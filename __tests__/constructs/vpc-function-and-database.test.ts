import { PostgresDatabase } from '../../modules/constructs/postgres-database';
import { VpcFunction } from '../../modules/constructs/vpc-function';
import { blocks, functionProps, synthResources, testNetwork } from './support';

const net = testNetwork;
const props = functionProps;
const statements = (policy: unknown) => (JSON.parse(String(policy)) as { Statement: Array<{ Action: string[]; Resource: unknown }> }).Statement;

describe('VpcFunction', () => {
  test('private subnets, own role with logs + ENI only until granted, 443 to the prefix list only, no ingress', () => {
    const r = synthResources((scope) => new VpcFunction(scope, 'api', props(net(scope), { handler: 'main.handler' })));
    const fn = blocks(r, 'aws_lambda_function')[0];
    expect(fn).toMatchObject({ handler: 'main.handler', runtime: 'nodejs22.x', architectures: ['arm64'], replace_security_groups_on_destroy: true });
    const actions = statements(blocks(r, 'aws_iam_role_policy')[0].policy).flatMap((s) => s.Action);
    expect(actions.filter((a) => !a.startsWith('logs:') && !a.startsWith('ec2:'))).toEqual([]);
    expect(blocks(r, 'aws_vpc_security_group_egress_rule').map((e) => [e.from_port, e.prefix_list_id])).toEqual([[443, 'pl-02cd2c6b']]);
    expect(r.aws_vpc_security_group_ingress_rule).toBeUndefined();
  });

  test('addTableAccess: the actions on the table; indexes only for Query/Scan', () => {
    const r = synthResources((scope) => {
      const fn = new VpcFunction(scope, 'api', props(net(scope)));
      fn.addTableAccess('arn:aws:dynamodb:us-east-1:123456789012:table/a', ['dynamodb:GetItem']);
      fn.addTableAccess('arn:aws:dynamodb:us-east-1:123456789012:table/b', ['dynamodb:Query']);
    });
    const dynamo = statements(blocks(r, 'aws_iam_role_policy')[0].policy).filter((s) => s.Action[0].startsWith('dynamodb:'));
    expect(dynamo.map((s) => s.Resource)).toEqual([
      ['arn:aws:dynamodb:us-east-1:123456789012:table/a'],
      ['arn:aws:dynamodb:us-east-1:123456789012:table/b'],
      ['arn:aws:dynamodb:us-east-1:123456789012:table/b/index/*'],
    ]);
  });

  test('bad props are refused by name', () => {
    expect(() => synthResources((scope) => new VpcFunction(scope, 'api', props(net(scope), { memorySize: 64 })))).toThrow("memorySize: 64 is outside Lambda's limits");
    expect(() => synthResources((scope) => new VpcFunction(scope, 'api', props(net(scope), { environment: {} })).addEnvironment('DB_PASSWORD', 'x'))).toThrow('environment.DB_PASSWORD: looks like a credential');
  });
});

describe('PostgresDatabase', () => {
  test('created: private, encrypted, IAM auth, managed password; grantConnect opens 5432 from that function only', () => {
    const r = synthResources((scope) => {
      const network = net(scope);
      const db = new PostgresDatabase(scope, 'database', { namePrefix: 'n', vpcId: network.vpcId, subnets: network.privateSubnets });
      db.grantConnect(new VpcFunction(scope, 'api', props(network)));
    });
    expect(blocks(r, 'aws_db_instance')[0]).toMatchObject({ publicly_accessible: false, storage_encrypted: true, iam_database_authentication_enabled: true, manage_master_user_password: true });
    expect(blocks(r, 'aws_vpc_security_group_ingress_rule').map((i) => i.from_port)).toEqual([5432]);
    expect(blocks(r, 'aws_vpc_security_group_egress_rule').map((e) => e.from_port).sort()).toEqual([443, 5432]);
  });

  test('existing: nothing created but the grant (ingress into its group, egress, rds-db:connect)', () => {
    const r = synthResources((scope) => {
      const network = net(scope);
      const db = PostgresDatabase.fromExisting(scope, 'database', {
        securityGroupId: 'sg-0123456789abcdef0',
        host: 'db.example.internal',
        databaseName: 'app',
        resourceId: 'db-ABCDEFGHIJKLMNOP',
        instanceArn: 'arn:aws:rds:us-east-1:123456789012:db:orders',
      });
      db.grantConnect(new VpcFunction(scope, 'api', props(network)));
    });
    expect(r.aws_db_instance).toBeUndefined();
    expect(blocks(r, 'aws_vpc_security_group_ingress_rule').map((i) => i.security_group_id)).toEqual(['sg-0123456789abcdef0']);
    expect(JSON.stringify(r.aws_iam_role_policy)).toContain('rds-db:connect');
    expect(() => synthResources((scope) => PostgresDatabase.fromExisting(scope, 'd', { securityGroupId: 'db-sg', host: 'h', databaseName: 'a', resourceId: 'db-X', instanceArn: 'arn:aws:rds:x' }))).toThrow(
      'database.existing.securityGroupId: "db-sg" is not a security group id',
    );
  });
});
