import { TerraformIterator, Token } from 'cdktf';
import { Construct } from 'constructs';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { suppressScannerRules } from '../../private/scanner-suppressions';
import { tagsWithName } from '../../private/tokens';

/**
 * `var.tables` as `aws_dynamodb_table.table`, one instance per key: on-demand, point-in-time
 * recovery, encrypted, deletion protection on unless the caller turns it off.
 */
export function moduleTables(scope: Construct, namePrefix: string, tags: Record<string, string>): DynamodbTable {
  const each = TerraformIterator.fromMap(Token.asAnyMap('${var.tables}'));
  const name = `${namePrefix}-${each.key}`;
  const table = new DynamodbTable(scope, 'table', {
    forEach: each,
    name,
    billingMode: 'PAY_PER_REQUEST',
    hashKey: each.getString('hash_key'),
    rangeKey: each.getString('range_key'),
    pointInTimeRecovery: { enabled: Token.asAny('${each.value.point_in_time_recovery}') },
    serverSideEncryption: { enabled: true, kmsKeyArn: each.getString('kms_key_arn') },
    streamEnabled: Token.asAny('${each.value.stream_view_type != null}'),
    streamViewType: each.getString('stream_view_type'),
    deletionProtectionEnabled: Token.asAny('${each.value.deletion_protection}'),
    tags: tagsWithName(tags, name),
  });
  // Blocks that exist per key: every key attribute once (the table's, then its indexes'; DynamoDB
  // refuses a definition no key uses), typed by `attributes`, else the table key's type, else S.
  const keyNames =
    'distinct(compact(concat([each.value.hash_key, each.value.range_key], ' +
    'flatten([for i in values(each.value.global_secondary_indexes) : [i.hash_key, i.range_key]]), ' +
    '[for i in values(each.value.local_secondary_indexes) : i.range_key])))';
  const keyType =
    'lookup(each.value.attributes, name, name == each.value.hash_key ? each.value.hash_key_type : ' +
    '(name == each.value.range_key ? coalesce(each.value.range_key_type, "S") : "S"))';
  table.addOverride('dynamic.attribute', {
    for_each: `\${[for name in ${keyNames} : { name = name, type = ${keyType} }]}`,
    content: { name: '${attribute.value.name}', type: '${attribute.value.type}' },
  });
  table.addOverride('dynamic.global_secondary_index', {
    for_each: '${each.value.global_secondary_indexes}',
    content: {
      name: '${global_secondary_index.key}',
      hash_key: '${global_secondary_index.value.hash_key}',
      range_key: '${global_secondary_index.value.range_key}',
      projection_type: '${global_secondary_index.value.projection_type}',
      non_key_attributes: '${global_secondary_index.value.non_key_attributes}',
    },
  });
  table.addOverride('dynamic.local_secondary_index', {
    for_each: '${each.value.local_secondary_indexes}',
    content: {
      name: '${local_secondary_index.key}',
      range_key: '${local_secondary_index.value.range_key}',
      projection_type: '${local_secondary_index.value.projection_type}',
      non_key_attributes: '${local_secondary_index.value.non_key_attributes}',
    },
  });
  suppressScannerRules(table, 'dynamoDbCustomerKey');
  table.addOverride('dynamic.ttl', {
    for_each: '${each.value.ttl_attribute == null ? [] : [each.value.ttl_attribute]}',
    content: { enabled: true, attribute_name: '${ttl.value}' },
  });
  return table;
}
