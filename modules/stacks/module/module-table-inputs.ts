import { TerraformVariable, TerraformVariableValidationConfig } from 'cdktf';
import { Construct } from 'constructs';
import { declareVariable, entryValidations, hclList, MODULE_KEY_PATTERN, MODULE_KEY_RULE, nestedValidation } from './variable-validations';

// The published module's `tables` variable: its type, and every rule DynamoDB would enforce
// at apply as a validation naming the table key and the field.

/** DynamoDB attribute types a key may have. */
export const KEY_ATTRIBUTE_TYPES = ['S', 'N', 'B'] as const;
/** DynamoDB stream view types. */
export const STREAM_VIEW_TYPES = ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'] as const;
/** DynamoDB billing modes: on-demand, or provisioned capacity. */
export const BILLING_MODES = ['PAY_PER_REQUEST', 'PROVISIONED'] as const;
/** DynamoDB table classes. */
export const TABLE_CLASSES = ['STANDARD', 'STANDARD_INFREQUENT_ACCESS'] as const;
/** Target utilization Application Auto Scaling accepts for DynamoDB, in percent. */
export const TARGET_UTILIZATION = { min: 20, max: 90, default: 70 } as const;
/** The `tables` variable's type. */
export const TABLES_TYPE =
  'map(object({ hash_key = string, hash_key_type = optional(string, "S"), range_key = optional(string), range_key_type = optional(string), ' +
  'attributes = optional(map(string), {}), ' +
  'global_secondary_indexes = optional(map(object({ hash_key = string, range_key = optional(string), projection_type = optional(string, "ALL"), non_key_attributes = optional(list(string)), ' +
  'read_capacity = optional(number), write_capacity = optional(number) })), {}), ' +
  'local_secondary_indexes = optional(map(object({ range_key = string, projection_type = optional(string, "ALL"), non_key_attributes = optional(list(string)) })), {}), ' +
  'billing_mode = optional(string, "PAY_PER_REQUEST"), read_capacity = optional(number), write_capacity = optional(number), ' +
  'autoscaling = optional(object({ read_min_capacity = number, read_max_capacity = number, write_min_capacity = number, write_max_capacity = number, ' +
  `target_utilization = optional(number, ${TARGET_UTILIZATION.default}) })), ` +
  'table_class = optional(string, "STANDARD"), tags = optional(map(string), {}), ' +
  'ttl_attribute = optional(string), deletion_protection = optional(bool, true), point_in_time_recovery = optional(bool, true), kms_key_arn = optional(string), stream_view_type = optional(string) }))';
/** DynamoDB index projections. */
export const PROJECTION_TYPES = ['ALL', 'KEYS_ONLY', 'INCLUDE'] as const;

/** `x`'s read_capacity and write_capacity: both given (whole, at least 1) with PROVISIONED, neither on demand. */
const PROVISIONED_CAPACITY = (x: string) =>
  `f.billing_mode == "PROVISIONED" ? ${x}.read_capacity != null && ${x}.write_capacity != null && ` +
  `alltrue([for c in [${x}.read_capacity, ${x}.write_capacity] : c >= 1 && floor(c) == c]) : ${x}.read_capacity == null && ${x}.write_capacity == null`;
/** The rule behind {@link PROVISIONED_CAPACITY}, in words. */
const CAPACITY_RULE = 'read_capacity and write_capacity (whole numbers, at least 1) go with billing_mode PROVISIONED, and only with it';
/** An autoscaling's bounds: each min at least 1 and at most its max. */
const AUTOSCALING_BOUNDS = 'alltrue([for d in ["read", "write"] : f.autoscaling["${d}_min_capacity"] >= 1 && f.autoscaling["${d}_min_capacity"] <= f.autoscaling["${d}_max_capacity"]])';

/** Per index `n => i` of `kind` of every table `k => f`. */
function perIndex(kind: 'global_secondary_indexes' | 'local_secondary_indexes', holds: string, message: string): TerraformVariableValidationConfig {
  return nestedValidation((item) => `flatten([for k, f in var.tables : [for n, i in f.${kind} : ${item}]])`, `try(${holds}, false)`, message);
}

/** The rules every index of `tables` follows: name, projection and its attributes, and a local index's own sort key. */
function indexValidations(): TerraformVariableValidationConfig[] {
  return (['global_secondary_indexes', 'local_secondary_indexes'] as const).flatMap((kind) => [
    perIndex(kind, 'can(regex("^[A-Za-z0-9_.-]{3,255}$", n))', `tables.\${k}.${kind}.\${n}: an index name must be 3 to 255 letters, digits, '_', '-' or '.'`),
    perIndex(kind, `can(regex("^(${PROJECTION_TYPES.join('|')})$", i.projection_type))`, `tables.\${k}.${kind}.\${n}: projection_type must be one of ${PROJECTION_TYPES.join(', ')}`),
    perIndex(
      kind,
      '(i.projection_type == "INCLUDE") == (length(coalesce(i.non_key_attributes, [])) > 0)',
      `tables.\${k}.${kind}.\${n}: non_key_attributes go with projection_type INCLUDE, and only with it`,
    ),
    ...(kind === 'local_secondary_indexes'
      ? [perIndex(kind, 'i.range_key != f.range_key', `tables.\${k}.${kind}.\${n}: range_key is the table's own sort key; a local index needs another one`)]
      : [perIndex(kind, PROVISIONED_CAPACITY('i'), `tables.\${k}.${kind}.\${n}: ${CAPACITY_RULE}`)]),
  ]);
}

/** Declares `var.tables` on `scope`. */
export function declareTablesVariable(scope: Construct, variables: Map<string, TerraformVariable>): TerraformVariable {
  return declareVariable(scope, variables, 'tables', {
    type: TABLES_TYPE,
    default: {},
    description:
      'DynamoDB tables to create, by key: table <name_prefix>-<key>, on-demand, point-in-time recovery, encrypted (kms_key_arn: your key), deletion protection on. ' +
      'hash_key_type and range_key_type are S (default), N or B; global_secondary_indexes and local_secondary_indexes by index name (projection_type ALL by default), ' +
      'attributes types their key attributes (S when not listed); ttl_attribute turns TTL on; stream_view_type turns a stream on. ' +
      'billing_mode PROVISIONED takes read_capacity and write_capacity (the table\'s and each global index\'s) and optional target-tracking autoscaling ' +
      `(min and max per direction, target_utilization ${TARGET_UTILIZATION.default}% by default) of the table and its global indexes; ` +
      'table_class STANDARD or STANDARD_INFREQUENT_ACCESS; tags merge over the module\'s tags. ' +
      'Functions name a key in table_access, or one of its indexes as <key>/index/<index>.',
    validation: [
      ...entryValidations('tables', [
        ['key', `can(regex("${MODULE_KEY_PATTERN}", k))`, `tables.\${k}: the key must be ${MODULE_KEY_RULE} (it is part of the table name)`],
        ['key_types',
          `contains(${hclList(KEY_ATTRIBUTE_TYPES)}, f.hash_key_type) && (f.range_key_type == null ? true : contains(${hclList(KEY_ATTRIBUTE_TYPES)}, f.range_key_type))`,
          `tables.\${k}: hash_key_type and range_key_type must be ${KEY_ATTRIBUTE_TYPES.join(', ')}`,
        ],
        ['range_key_type', 'f.range_key_type == null || f.range_key != null', 'tables.${k}: range_key_type is set but range_key is not'],
        ['key_names', 'length(f.hash_key) > 0 && (f.range_key == null ? true : length(f.range_key) > 0 && f.hash_key != f.range_key)', 'tables.${k}: hash_key must be a non-empty attribute name, and range_key (when set) another one'],
        ['stream_view_type',
          `f.stream_view_type == null ? true : contains(${hclList(STREAM_VIEW_TYPES)}, f.stream_view_type)`,
          `tables.\${k}: stream_view_type must be one of ${STREAM_VIEW_TYPES.join(', ')}`,
        ],
        ['kms_key_arn', 'f.kms_key_arn == null ? true : can(regex("^arn:aws[a-z-]*:kms:", f.kms_key_arn))', 'tables.${k}: kms_key_arn must be a KMS key ARN (arn:aws:kms:...)'],
        ['attributes', `alltrue([for a, t in f.attributes : contains(${hclList(KEY_ATTRIBUTE_TYPES)}, t)])`, `tables.\${k}.attributes: each type must be ${KEY_ATTRIBUTE_TYPES.join(', ')}`],
        ['attributes_keys',
          'alltrue([for a, t in f.attributes : !(a == f.hash_key && t != f.hash_key_type) && !(a == f.range_key && f.range_key_type != null && t != f.range_key_type)])',
          "tables.${k}.attributes: a table key's type must match hash_key_type / range_key_type",
        ],
        ['billing_mode', `contains(${hclList(BILLING_MODES)}, f.billing_mode)`, `tables.\${k}: billing_mode must be one of ${BILLING_MODES.join(', ')}`],
        ['capacity', PROVISIONED_CAPACITY('f'), `tables.\${k}: ${CAPACITY_RULE}`],
        ['autoscaling', 'f.autoscaling == null || f.billing_mode == "PROVISIONED"', 'tables.${k}.autoscaling: only with billing_mode PROVISIONED (on demand scales by itself)'],
        ['autoscaling_bounds', `f.autoscaling == null ? true : ${AUTOSCALING_BOUNDS}`, 'tables.${k}.autoscaling: each min_capacity must be at least 1 and at most its max_capacity'],
        ['autoscaling_target',
          `f.autoscaling == null ? true : f.autoscaling.target_utilization >= ${TARGET_UTILIZATION.min} && f.autoscaling.target_utilization <= ${TARGET_UTILIZATION.max}`,
          `tables.\${k}.autoscaling: target_utilization must be ${TARGET_UTILIZATION.min} to ${TARGET_UTILIZATION.max} (percent)`,
        ],
        ['table_class', `contains(${hclList(TABLE_CLASSES)}, f.table_class)`, `tables.\${k}: table_class must be one of ${TABLE_CLASSES.join(', ')}`],
        ['tags', 'alltrue([for t, v in f.tags : length(t) >= 1 && length(t) <= 128 && length(v) <= 256 && !startswith(lower(t), "aws:")])',
          'tables.${k}.tags: each key 1 to 128 characters, not starting with aws:, each value at most 256',
        ],
        ['local_indexes_need_range_key', 'length(f.local_secondary_indexes) == 0 || f.range_key != null', 'tables.${k}.local_secondary_indexes: needs the table to have a range_key'],
      ]),
      ...indexValidations(),
    ],
  });
}
