import { Fn, MapTerraformIterator, TerraformIterator, TerraformLocal, Token } from 'cdktf';
import { Construct } from 'constructs';
import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { suppressScannerRules } from '../../private/scanner-suppressions';

/** The module's tables: two resources, so that Application Auto Scaling alone owns an autoscaled table's capacity. */
export interface ModuleTables {
  /** `aws_dynamodb_table.table`: every table without autoscaling. */
  readonly table: DynamodbTable;
  /** `aws_dynamodb_table.autoscaled`: the tables with autoscaling (their capacity is Auto Scaling's). */
  readonly autoscaled: DynamodbTable;
  /** `local.tables_by_key`: every table's resource instance by key of var.tables (an HCL expression, no `${}`). */
  readonly byKey: string;
}

/**
 * `var.tables` as `aws_dynamodb_table.table`, one instance per key: on-demand unless
 * PROVISIONED, point-in-time recovery, encrypted, deletion protection on unless the caller
 * turns it off. A table with `autoscaling` is `aws_dynamodb_table.autoscaled` instead, whose
 * capacity (the table's and its global indexes') Terraform leaves to Application Auto Scaling
 * (ignore_changes cannot depend on a value: it takes a resource of its own, as in
 * terraform-aws-modules/dynamodb-table), with a target and a target-tracking policy per
 * direction for the table and each global index.
 */
export function moduleTables(scope: Construct, namePrefix: string, tags: Record<string, string>): ModuleTables {
  const local = (id: string, expression: unknown) => new TerraformLocal(scope, id, expression);
  const fixed = local('tables_fixed_capacity', '${{ for k, f in var.tables : k => f if f.autoscaling == null }}');
  const scaled = local('tables_autoscaled', '${{ for k, f in var.tables : k => f if f.autoscaling != null }}');
  const table = tableResource(scope, 'table', TerraformIterator.fromMap(fixed.asAnyMap), namePrefix, tags);
  const autoscaled = tableResource(scope, 'autoscaled', TerraformIterator.fromMap(scaled.asAnyMap), namePrefix, tags);
  autoscaled.addOverride('lifecycle', { ignore_changes: ['read_capacity', 'write_capacity', 'global_secondary_index'] });
  const ref = (r: DynamodbTable) => `${r.terraformResourceType}.${r.friendlyUniqueId}`;
  const byKey = local('tables_by_key', `\${{ for k, f in var.tables : k => f.autoscaling == null ? ${ref(table)}[k] : ${ref(autoscaled)}[k] }}`);
  tableAutoscaling(scope, autoscaled);
  return { table, autoscaled, byKey: `local.${byKey.friendlyUniqueId}` };
}

/**
 * Per autoscaled table, per direction (Read, Write), for the table and each global index: a
 * scalable target (min to max) and a target-tracking policy on DynamoDB's utilization metric.
 * Keyed `<key>/<read|write>` and `<key>/index/<index>/<read|write>`: known at plan.
 */
function tableAutoscaling(scope: Construct, autoscaled: DynamodbTable): void {
  const item = [
    'key = "${k}${n == "" ? "" : "/index/${n}"}/${lower(d)}"',
    'table = k',
    'index = n == "" ? "" : "/index/${n}"',
    'dimension = "dynamodb:${n == "" ? "table" : "index"}:${d}CapacityUnits"',
    'metric = "DynamoDB${d}CapacityUtilization"',
    'min = f.autoscaling["${lower(d)}_min_capacity"]',
    'max = f.autoscaling["${lower(d)}_max_capacity"]',
    'target = f.autoscaling.target_utilization',
  ];
  const each = `for k, f in var.tables : [for d in ["Read", "Write"] : [for n in concat([""], keys(f.global_secondary_indexes)) : { ${item.join(', ')} }]] if f.autoscaling != null`;
  const scaling = new TerraformLocal(scope, 'table_autoscaling', `\${{ for a in flatten([${each}]) : a.key => a }}`);
  const it = TerraformIterator.fromMap(scaling.asAnyMap);
  const tableName = `${autoscaled.terraformResourceType}.${autoscaled.friendlyUniqueId}[each.value.table].name`;
  const target = new AppautoscalingTarget(scope, 'table_capacity', {
    forEach: it,
    serviceNamespace: 'dynamodb',
    resourceId: `table/\${${tableName}}\${each.value.index}`,
    scalableDimension: it.getString('dimension'),
    minCapacity: it.getNumber('min'),
    maxCapacity: it.getNumber('max'),
  });
  const targetOf = (attribute: string) => `\${${target.terraformResourceType}.${target.friendlyUniqueId}[each.key].${attribute}}`;
  new AppautoscalingPolicy(scope, 'table_capacity_policy', {
    forEach: it,
    name: `\${each.value.metric}:${targetOf('resource_id')}`,
    policyType: 'TargetTrackingScaling',
    resourceId: targetOf('resource_id'),
    scalableDimension: targetOf('scalable_dimension'),
    serviceNamespace: targetOf('service_namespace'),
    targetTrackingScalingPolicyConfiguration: {
      predefinedMetricSpecification: { predefinedMetricType: it.getString('metric') },
      targetValue: it.getNumber('target'),
    },
  });
}

/** One `aws_dynamodb_table` over `each` (entries of var.tables). */
function tableResource(scope: Construct, id: string, each: MapTerraformIterator, namePrefix: string, tags: Record<string, string>): DynamodbTable {
  const name = `${namePrefix}-${each.key}`;
  const table = new DynamodbTable(scope, id, {
    forEach: each,
    name,
    billingMode: each.getString('billing_mode'),
    readCapacity: each.getNumber('read_capacity'),
    writeCapacity: each.getNumber('write_capacity'),
    tableClass: each.getString('table_class'),
    hashKey: each.getString('hash_key'),
    rangeKey: each.getString('range_key'),
    pointInTimeRecovery: { enabled: Token.asAny('${each.value.point_in_time_recovery}') },
    serverSideEncryption: { enabled: true, kmsKeyArn: each.getString('kms_key_arn') },
    streamEnabled: Token.asAny('${each.value.stream_view_type != null}'),
    streamViewType: each.getString('stream_view_type'),
    deletionProtectionEnabled: Token.asAny('${each.value.deletion_protection}'),
    // The table's own tags over the module's; Name last.
    tags: Token.asStringMap(Fn.merge([tags, each.getAnyMap('tags'), { Name: name }])),
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
      read_capacity: '${global_secondary_index.value.read_capacity}',
      write_capacity: '${global_secondary_index.value.write_capacity}',
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
