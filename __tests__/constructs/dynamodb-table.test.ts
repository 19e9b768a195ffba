import { TerraformOutput, Testing } from 'cdktf';
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

describe('DynamoDbTable indexes', () => {
  const synthTable = (props: Partial<ConstructorParameters<typeof DynamoDbTable>[2]>) => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        new DynamoDbTable(scope, 'orders', { tableName: 'app-orders', hashKey: 'pk', rangeKey: 'sk', ...props });
      }),
    );
    return (Object.values(json.resource.aws_dynamodb_table) as Array<Record<string, unknown>>)[0];
  };

  test('global and local indexes: every key attribute defined once with its type, projections as given (ALL by default)', () => {
    const table = synthTable({
      attributes: { customerId: 'S', placedAt: 'N' },
      globalSecondaryIndexes: { byCustomer: { hashKey: 'customerId', rangeKey: 'placedAt' }, byStatus: { hashKey: 'status', projectionType: 'INCLUDE', nonKeyAttributes: ['total'] } },
      localSecondaryIndexes: { byPlacedAt: { rangeKey: 'placedAt', projectionType: 'KEYS_ONLY' } },
    });
    expect(table.attribute).toEqual([
      { name: 'pk', type: 'S' },
      { name: 'sk', type: 'S' },
      { name: 'customerId', type: 'S' },
      { name: 'placedAt', type: 'N' },
      { name: 'status', type: 'S' },
    ]);
    expect(table.global_secondary_index).toEqual([
      { name: 'byCustomer', hash_key: 'customerId', range_key: 'placedAt', projection_type: 'ALL' },
      { name: 'byStatus', hash_key: 'status', projection_type: 'INCLUDE', non_key_attributes: ['total'] },
    ]);
    expect(table.local_secondary_index).toEqual([{ name: 'byPlacedAt', range_key: 'placedAt', projection_type: 'KEYS_ONLY' }]);
  });

  test('a table without indexes is unchanged: no index blocks, its two key attributes', () => {
    const table = synthTable({});
    expect(table).not.toHaveProperty('global_secondary_index');
    expect(table).not.toHaveProperty('local_secondary_index');
    expect(table.attribute).toEqual([{ name: 'pk', type: 'S' }, { name: 'sk', type: 'S' }]);
  });

  test.each([
    ['INCLUDE without attributes', { globalSecondaryIndexes: { byStatus: { hashKey: 'status', projectionType: 'INCLUDE' as const } } }, 'tables.orders.globalSecondaryIndexes.byStatus.nonKeyAttributes: is required with projectionType INCLUDE'],
    ['attributes without INCLUDE', { globalSecondaryIndexes: { byStatus: { hashKey: 'status', nonKeyAttributes: ['total'] } } }, 'tables.orders.globalSecondaryIndexes.byStatus.nonKeyAttributes: is only for projectionType INCLUDE; ALL holds every attribute'],
    ['a projection DynamoDB does not have', { globalSecondaryIndexes: { byStatus: { hashKey: 'status', projectionType: 'SOME' as never } } }, 'tables.orders.globalSecondaryIndexes.byStatus.projectionType: "SOME" is not a projection; allowed: ALL, KEYS_ONLY, INCLUDE'],
    ['an attribute type DynamoDB does not have', { attributes: { placedAt: 'DATE' as never } }, 'tables.orders.attributes.placedAt: "DATE" is not a key type; allowed: S, N, B'],
    ['a local index on the table\'s own sort key', { localSecondaryIndexes: { again: { rangeKey: 'sk' } } }, 'tables.orders.localSecondaryIndexes.again.rangeKey: is the table\'s own sort key "sk"; a local index needs another one'],
    ['an index name too short', { globalSecondaryIndexes: { ix: { hashKey: 'status' } } }, "tables.orders.globalSecondaryIndexes.ix: an index name must be 3 to 255 letters"],
    ['an unknown index prop', { globalSecondaryIndexes: { byStatus: { hashKey: 'status', hashkeyType: 'S' } as never } }, 'tables.orders.globalSecondaryIndexes.byStatus'],
    ['a key type contradicted by attributes', { rangeKeyType: 'N' as const, attributes: { sk: 'S' as const } }, "tables.orders.attributes.sk: is S, but the table's key type says N"],
  ])('%s is refused by its path', (_case, props, message) => {
    expect(() => synthTable(props)).toThrow(message);
  });

  test('a local index needs a table with a sort key', () => {
    expect(() =>
      Testing.synthScope((scope) => {
        new DynamoDbTable(scope, 'orders', { tableName: 'app-orders', hashKey: 'pk', localSecondaryIndexes: { byPlacedAt: { rangeKey: 'placedAt' } } });
      }),
    ).toThrow('tables.orders.localSecondaryIndexes: needs the table to have a rangeKey');
  });
});

describe('DynamoDbTable stream', () => {
  test('streamViewType turns the stream on and gives its ARN; none without it; another view type is refused by name', () => {
    let withStream: DynamoDbTable | undefined;
    let without: DynamoDbTable | undefined;
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        withStream = new DynamoDbTable(scope, 'orders', { tableName: 'app-orders', hashKey: 'pk', streamViewType: 'NEW_AND_OLD_IMAGES' });
        without = new DynamoDbTable(scope, 'events', { tableName: 'app-events', hashKey: 'pk' });
        new TerraformOutput(scope, 'stream', { value: withStream.tableStreamArn });
      }),
    );
    const tables = Object.values(json.resource.aws_dynamodb_table) as Array<Record<string, unknown>>;
    expect(tables.find((t) => t.name === 'app-orders')).toMatchObject({ stream_enabled: true, stream_view_type: 'NEW_AND_OLD_IMAGES' });
    expect(tables.find((t) => t.name === 'app-events')).not.toHaveProperty('stream_enabled');
    expect(json.output.stream.value).toMatch(/^\$\{aws_dynamodb_table\.orders_table_\w+\.stream_arn\}$/);
    expect(without!.tableStreamArn).toBeUndefined();
    expect(() => Testing.synthScope((scope) => void new DynamoDbTable(scope, 'x', { tableName: 'app-x', hashKey: 'pk', streamViewType: 'ALL' as never }))).toThrow(
      'tables.x.streamViewType: "ALL" is not a stream view type; allowed: KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES',
    );
  });
});

describe('DynamoDbTable billing, autoscaling, class and tags', () => {
  const synth = (build: (scope: Parameters<Parameters<typeof Testing.synthScope>[0]>[0]) => void) => JSON.parse(Testing.synthScope(build));
  const autoScaling = { readMinCapacity: 5, readMaxCapacity: 50, writeMinCapacity: 2, writeMaxCapacity: 20 };

  test('on demand and STANDARD by default; PROVISIONED takes the table\'s and each global index\'s capacity, with no autoscaling and no lifecycle', () => {
    const json = synth((scope) => {
      new DynamoDbTable(scope, 'plain', { tableName: 'app-plain', hashKey: 'pk' });
      new DynamoDbTable(scope, 'fixed', {
        tableName: 'app-fixed',
        hashKey: 'pk',
        billingMode: 'PROVISIONED',
        readCapacity: 3,
        writeCapacity: 1,
        tableClass: 'STANDARD_INFREQUENT_ACCESS',
        tags: { team: 'orders' },
        globalSecondaryIndexes: { byType: { hashKey: 'type', readCapacity: 2, writeCapacity: 1 } },
      });
    });
    const tables = Object.values(json.resource.aws_dynamodb_table) as Array<Record<string, unknown>>;
    const plain = tables.find((t) => t.name === 'app-plain')!;
    expect(plain).toMatchObject({ billing_mode: 'PAY_PER_REQUEST' });
    expect(plain).not.toHaveProperty('read_capacity');
    expect(plain).not.toHaveProperty('table_class');
    const fixed = tables.find((t) => t.name === 'app-fixed')!;
    expect(fixed).toMatchObject({ billing_mode: 'PROVISIONED', read_capacity: 3, write_capacity: 1, table_class: 'STANDARD_INFREQUENT_ACCESS', tags: { team: 'orders', Name: 'app-fixed' } });
    expect(fixed.global_secondary_index).toEqual([expect.objectContaining({ name: 'byType', read_capacity: 2, write_capacity: 1 })]);
    expect(fixed).not.toHaveProperty('lifecycle');
    expect(json.resource.aws_appautoscaling_target).toBeUndefined();
  });

  test('autoScaling: a target and a target-tracking policy per direction for the table and each global index; capacity left to Auto Scaling', () => {
    const json = synth((scope) => {
      new DynamoDbTable(scope, 'events', {
        tableName: 'app-events',
        hashKey: 'pk',
        billingMode: 'PROVISIONED',
        readCapacity: 5,
        writeCapacity: 2,
        globalSecondaryIndexes: { byType: { hashKey: 'type', readCapacity: 5, writeCapacity: 2 } },
        autoScaling: { ...autoScaling, targetUtilization: 60 },
      });
    });
    const [table] = Object.values(json.resource.aws_dynamodb_table) as Array<Record<string, unknown>>;
    expect(table.lifecycle).toEqual({ ignore_changes: ['read_capacity', 'write_capacity', 'global_secondary_index'] });
    const targets = Object.values(json.resource.aws_appautoscaling_target) as Array<Record<string, unknown>>;
    expect(targets.map((t) => `${String(t.resource_id).replace(/\$\{[^}]+\}/, '<name>')} ${t.scalable_dimension} ${t.min_capacity}-${t.max_capacity}`).sort()).toEqual([
      'table/<name> dynamodb:table:ReadCapacityUnits 5-50',
      'table/<name> dynamodb:table:WriteCapacityUnits 2-20',
      'table/<name>/index/byType dynamodb:index:ReadCapacityUnits 5-50',
      'table/<name>/index/byType dynamodb:index:WriteCapacityUnits 2-20',
    ]);
    const policies = Object.values(json.resource.aws_appautoscaling_policy) as Array<Record<string, any>>;
    expect(policies).toHaveLength(4);
    for (const p of policies) {
      expect(p.policy_type).toBe('TargetTrackingScaling');
      expect(p.target_tracking_scaling_policy_configuration.target_value).toBe(60);
      expect(p.target_tracking_scaling_policy_configuration.predefined_metric_specification.predefined_metric_type).toMatch(/^DynamoDB(Read|Write)CapacityUtilization$/);
    }
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['billingMode unknown', { billingMode: 'ON_DEMAND' }, 'tables.t.billingMode: "ON_DEMAND" is not a billing mode; allowed: PAY_PER_REQUEST, PROVISIONED'],
    ['PROVISIONED without capacity', { billingMode: 'PROVISIONED', readCapacity: 5 }, 'tables.t.writeCapacity: is required with billingMode PROVISIONED'],
    ['fractional capacity', { billingMode: 'PROVISIONED', readCapacity: 0.5, writeCapacity: 1 }, 'tables.t.readCapacity: 0.5 is not a whole number of units, at least 1'],
    ['capacity on demand', { readCapacity: 5 }, 'tables.t.readCapacity: is only for billingMode PROVISIONED'],
    ['a global index without capacity on PROVISIONED', { billingMode: 'PROVISIONED', readCapacity: 5, writeCapacity: 5, globalSecondaryIndexes: { byType: { hashKey: 'type' } } }, 'tables.t.globalSecondaryIndexes.byType.readCapacity: is required with billingMode PROVISIONED'],
    ['autoScaling on demand', { autoScaling }, 'tables.t.autoScaling: is only for billingMode PROVISIONED'],
    ['autoScaling min over max', { billingMode: 'PROVISIONED', readCapacity: 5, writeCapacity: 5, autoScaling: { ...autoScaling, writeMinCapacity: 30 } }, 'tables.t.autoScaling.writeMinCapacity: 30 to 20: each min must be a whole number, at least 1 and at most its max'],
    ['targetUtilization out of range', { billingMode: 'PROVISIONED', readCapacity: 5, writeCapacity: 5, autoScaling: { ...autoScaling, targetUtilization: 95 } }, 'tables.t.autoScaling.targetUtilization: 95 is outside 20 to 90 (percent)'],
    ['an unknown autoScaling prop', { billingMode: 'PROVISIONED', readCapacity: 5, writeCapacity: 5, autoScaling: { ...autoScaling, target: 50 } }, 'tables.t.autoScaling.target: not a prop of TableAutoScalingProps; did you mean targetUtilization?'],
    ['tableClass unknown', { tableClass: 'GLACIER' }, 'tables.t.tableClass: "GLACIER" is not a table class; allowed: STANDARD, STANDARD_INFREQUENT_ACCESS'],
  ])('%s is refused by its prop', (_what, props, message) => {
    expect(() => Testing.synthScope((scope) => void new DynamoDbTable(scope, 't', { tableName: 'app-t', hashKey: 'pk', ...props }))).toThrow(message);
  });
});

describe('DynamoDbTable index grants', () => {
  function recorderWithResources(): IGrantable & { access: Array<[string, string[], string[] | undefined]> } {
    const access: Array<[string, string[], string[] | undefined]> = [];
    return { access, addTableAccess: (arn, actions, resources) => access.push([arn, actions, resources]), addEnvironment: () => undefined };
  }

  test('grant(fn, actions, { index }) scopes the grant to <arn>/index/<name>; a table grant keeps the table', () => {
    const grantee = recorderWithResources();
    let arn = '';
    Testing.synthScope((scope) => {
      const table = new DynamoDbTable(scope, 'orders', { tableName: 'app-orders', hashKey: 'id', rangeKey: 'at', globalSecondaryIndexes: { byCustomer: { hashKey: 'customerId' } }, localSecondaryIndexes: { byTotal: { rangeKey: 'total' } } });
      arn = table.tableArn;
      expect(table.indexNames).toEqual(['byCustomer', 'byTotal']);
      table.grant(grantee, ['dynamodb:Query'], { index: 'byCustomer' });
      table.grant(grantee, ['dynamodb:Scan'], { index: 'byTotal' });
      table.grant(grantee, ['dynamodb:GetItem']);
    });
    expect(grantee.access).toEqual([
      [arn, ['dynamodb:Query'], [`${arn}/index/byCustomer`]],
      [arn, ['dynamodb:Scan'], [`${arn}/index/byTotal`]],
      [arn, ['dynamodb:GetItem'], undefined],
    ]);
  });

  test('an index the table does not declare, or a non-index action, is refused naming the grant and listing the indexes', () => {
    const table = (scope: Parameters<Parameters<typeof Testing.synthScope>[0]>[0]) => new DynamoDbTable(scope, 'orders', { tableName: 'app-orders', hashKey: 'id', globalSecondaryIndexes: { byCustomer: { hashKey: 'customerId' } } });
    expect(() => Testing.synthScope((scope) => table(scope).grant(recorderWithResources(), ['dynamodb:Query'], { index: 'byStatus' }))).toThrow(
      'tables.orders.grant.index: the table orders has no index byStatus; its indexes: byCustomer',
    );
    expect(() => Testing.synthScope((scope) => table(scope).grant(recorderWithResources(), ['dynamodb:GetItem'], { index: 'byCustomer' }))).toThrow(
      'tables.orders.grant.index: dynamodb:GetItem does not apply to an index; an index grant takes dynamodb:Query or dynamodb:Scan',
    );
    expect(() => Testing.synthScope((scope) => table(scope).grant(recorderWithResources(), ['dynamodb:Query'], { idx: 'byCustomer' } as never))).toThrow(
      'tables.orders.grant.idx: not a prop of TableGrantOptions',
    );
  });
});
