import { Testing } from 'cdktf';
import { DynamoDbTable, IGrantable } from '../../modules/constructs/dynamodb-table';

/** A grantee that records what it was given, as a function would. */
function recorder(): IGrantable & { access: Array<[string, string[]]>; env: Record<string, string> } {
  const access: Array<[string, string[]]> = [];
  const env: Record<string, string> = {};
  return { access, env, addTableAccess: (arn, actions) => access.push([arn, actions]), addEnvironment: (k, v) => (env[k] = v) };
}

describe('DynamoDbTable', () => {
  test('on-demand, encrypted, PITR and deletion protection by default; keys, TTL and KMS as given', () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        new DynamoDbTable(scope, 'events', { tableName: 'app-events', hashKey: 'pk', rangeKey: 'sk', rangeKeyType: 'N', ttlAttribute: 'expires_at', kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/abc' });
      }),
    );
    const [table] = Object.values(json.resource.aws_dynamodb_table) as Array<Record<string, unknown>>;
    expect(table).toMatchObject({
      name: 'app-events',
      billing_mode: 'PAY_PER_REQUEST',
      hash_key: 'pk',
      range_key: 'sk',
      attribute: [{ name: 'pk', type: 'S' }, { name: 'sk', type: 'N' }],
      ttl: { enabled: true, attribute_name: 'expires_at' },
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true, kms_key_arn: 'arn:aws:kms:us-east-1:123456789012:key/abc' },
      deletion_protection_enabled: true,
    });
  });

  test('grants name exactly the actions and tell the function the table name', () => {
    const grantee = recorder();
    Testing.synthScope((scope) => {
      const table = new DynamoDbTable(scope, 'user-activity', { tableName: 'x-user-activity', hashKey: 'id' });
      table.grant(grantee, ['dynamodb:PutItem']);
      table.grantReadData(grantee);
    });
    expect(grantee.access[0][1]).toEqual(['dynamodb:PutItem']);
    expect(grantee.access[1][1]).toContain('dynamodb:Query');
    expect(grantee.access[1][1]).not.toContain('dynamodb:PutItem');
    expect(Object.keys(grantee.env)).toEqual(['USER_ACTIVITY_TABLE']);
  });

  test('an imported table takes its name from the ARN; a non-table ARN is refused by name', () => {
    const grantee = recorder();
    Testing.synthScope((scope) => {
      DynamoDbTable.fromTableArn(scope, 'customers', 'arn:aws:dynamodb:us-east-1:123456789012:table/shared-customers').grant(grantee, ['dynamodb:GetItem']);
    });
    expect(grantee.env).toEqual({ SHARED_CUSTOMERS_TABLE: 'shared-customers' });
    expect(() => Testing.synthScope((scope) => DynamoDbTable.fromTableArn(scope, 'bad', 'arn:aws:s3:::bucket'))).toThrow('bad.tableArn: "arn:aws:s3:::bucket" is not a DynamoDB table ARN');
  });

  test('bad props and wildcard grants are refused with the input named', () => {
    expect(() => Testing.synthScope((scope) => new DynamoDbTable(scope, 't', { tableName: 'ttt', hashKey: 'id', rangeKeyType: 'S' }))).toThrow('tables.t.rangeKeyType: is set without rangeKey');
    expect(() => Testing.synthScope((scope) => new DynamoDbTable(scope, 't', { tableName: 'ttt', hashKey: 'id', hashKeyType: 'X' as never }))).toThrow('tables.t.hashKeyType: "X" is not a key type');
    expect(() =>
      Testing.synthScope((scope) => new DynamoDbTable(scope, 't', { tableName: 'ttt', hashKey: 'id' }).grant(recorder(), ['dynamodb:*' as never])),
    ).toThrow('t.grant: dynamodb:*: name DynamoDB actions from');
  });
});
