import { DeployConfigInput } from '../../modules/stacks/deploy/deploy-config';

/**
 * Every rejected input, one row each: the synth-time cases (construct props through the
 * deploy configuration) and the plan-time cases (module variables). The tests run each row;
 * the tables of docs/rejected-inputs.md are generated from the same rows
 * (`npm run docs:rejected`), and a test keeps the two equal.
 */

const existingVpc = {
  vpcId: 'vpc-0123456789abcdef0',
  privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
  privateRouteTableIds: ['rtb-0123456789abcdef0'],
};

/** [what is wrong, the configuration, the message (or its start) the error must carry]. */
export const SYNTH_REJECTIONS: Array<[string, DeployConfigInput, string]> = [
  ['CIDR that is not a CIDR', { vpcCidr: '10.0.0/16' }, 'vpcCidr: "10.0.0/16" is not an IPv4 CIDR block; expected a form like 10.0.0.0/16'],
  ['CIDR with an octet over 255', { vpcCidr: '10.0.300.0/16' }, 'vpcCidr: "10.0.300.0/16" is not an IPv4 CIDR block'],
  ['CIDR with host bits set', { vpcCidr: '10.0.1.0/16' }, 'vpcCidr: "10.0.1.0/16" has host bits set; the network address of that block is 10.0.0.0/16'],
  ['VPC prefix too large a block', { vpcCidr: '10.0.0.0/8' }, 'vpcCidr: "10.0.0.0/8" has prefix /8; allowed /16 to /24'],
  ['VPC prefix too small a block', { vpcCidr: '10.0.0.0/26' }, 'vpcCidr: "10.0.0.0/26" has prefix /26; allowed /16 to /24'],
  ['subnet outside the VPC', { privateSubnetCidrs: ['10.0.0.0/20', '10.1.0.0/20'] }, 'privateSubnetCidrs[1]: 10.1.0.0/20 is outside the VPC 10.0.0.0/16'],
  ['subnets overlapping each other', { privateSubnetCidrs: ['10.0.0.0/20', '10.0.8.0/21'] }, 'privateSubnetCidrs: 10.0.8.0/21 overlaps 10.0.0.0/20 (privateSubnetCidrs); subnets must not share addresses'],
  ['public subnet overlapping a private one', { publicSubnetCidrs: ['10.0.0.0/24', '10.0.200.0/24'] }, 'publicSubnetCidrs: 10.0.0.0/24 overlaps 10.0.0.0/20 (privateSubnetCidrs)'],
  ['one subnet CIDR for two AZs', { privateSubnetCidrs: ['10.0.0.0/20'] }, 'privateSubnetCidrs: has 1 blocks but there are 2 availability zones; give one per zone'],
  ['subnet smaller than /28', { privateSubnetCidrs: ['10.0.0.0/29', '10.0.0.16/29'] }, 'privateSubnetCidrs[0]: 10.0.0.0/29 is smaller than /28'],
  ['fewer than two AZs', { availabilityZones: ['us-east-1a'] }, 'availabilityZones: needs 2 to 6 availability zones, got 1'],
  ['more than six AZs', { availabilityZones: ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((z) => `us-east-1${z}`) }, 'availabilityZones: needs 2 to 6 availability zones, got 7'],
  ['the same AZ twice', { availabilityZones: ['us-east-1a', 'us-east-1a'] }, 'availabilityZones: lists a zone twice'],
  ['AZ outside the region', { availabilityZones: ['us-east-1a', 'us-west-2b'] }, 'availabilityZones: us-west-2b is not in region us-east-1; expected names like us-east-1a, us-east-1b'],
  ['unknown NAT mode', { natMode: 'gateway' as never }, 'natMode: Invalid option: expected one of "none"|"single"|"per-az"'],
  ['retention CloudWatch does not accept', { flowLogs: { retentionInDays: 45 } }, 'flowLogs.retentionInDays: 45 days is not a CloudWatch Logs retention; allowed: 1, 3, 5, 7, 14, 30, 60'],
  ['unknown flow-log format', { flowLogs: { format: 'custom' as never } }, 'flowLogs.format: Invalid option: expected one of "default"|"v5"'],
  ['retention 0 (never expire)', { flowLogs: { retentionInDays: 0 } }, 'flowLogs.retentionInDays: 0 days is not a CloudWatch Logs retention'],
  ['existing VPC with no route tables', { existingVpc: { ...existingVpc, privateRouteTableIds: [] }, accountId: '123456789012' }, 'existingVpc.privateRouteTableIds: is empty; give the route table of every private subnet'],
  ['existing VPC id that is not one', { existingVpc: { ...existingVpc, vpcId: 'vpc-xyz' }, accountId: '123456789012' }, 'existingVpc.vpcId: "vpc-xyz" is not a VPC id'],
  ['existing VPC with one subnet', { existingVpc: { ...existingVpc, privateSubnetIds: ['subnet-0123456789abcdef0'] }, accountId: '123456789012' }, 'existingVpc.privateSubnetIds: needs at least 2 private subnets'],
  ['NAT on an adopted VPC', { existingVpc, natMode: 'single', accountId: '123456789012' }, 'natMode: "single" needs a VPC this module creates'],
  ['adopted VPC with flow logs and no account id', { existingVpc }, 'accountId: is required when flow logs are on and the VPC is adopted'],
  ['account id that is not 12 digits', { existingVpc, accountId: '1234' }, 'accountId: "1234" is not a 12-digit AWS account id'],
  ['region that is not a region', { region: 'us-east', availabilityZones: ['us-easta', 'us-eastb'] }, 'region: "us-east" is not an AWS region name like us-east-1'],
  ['name prefix with capitals', { namePrefix: 'MyApp' }, 'namePrefix: "MyApp" must be 2 to 32 characters of lowercase letters'],
  ['unknown configuration key', { natGateways: 1 } as never, 'config: Unrecognized key: "natGateways"'],
  ['wrong type', { availabilityZones: 'us-east-1a' as never }, 'availabilityZones: Invalid input: expected array, received string'],
  ['memory below Lambda\'s minimum', { functions: { memorySize: 64 } }, 'functions.products.memorySize: 64 is outside Lambda\'s limits; allowed 128 to 10240 MB'],
  ['memory above Lambda\'s maximum', { functions: { memorySize: 10241 } }, 'functions.products.memorySize: 10241 is outside Lambda\'s limits; allowed 128 to 10240 MB'],
  ['timeout over 900 s', { functions: { timeout: 901 } }, 'functions.products.timeout: 901 is outside Lambda\'s limits; allowed 1 to 900 seconds'],
  ['negative reserved concurrency', { functions: { reservedConcurrency: -1 } }, 'functions.products.reservedConcurrency: -1 is outside Lambda\'s limits'],
  ['log retention CloudWatch refuses', { functions: { logRetentionInDays: 10 } }, 'functions.products.logRetentionInDays: 10 days is not a CloudWatch Logs retention'],
  ['internet egress without NAT', { functions: { allowInternetEgress: true } }, 'functions.allowInternetEgress: needs natMode single or per-az: without NAT there is no internet path to allow'],
  ['secret auth with no path to Secrets Manager', { database: { auth: 'secret' } }, 'database.auth: "secret" needs a path to Secrets Manager'],
  ['unknown architecture', { functions: { architecture: 'arm32' as never } }, 'functions.architecture: Invalid option: expected one of "arm64"|"x86_64"'],
  ['existing table with a bad ARN', { tables: { create: false, existing: { products: { name: 'p', arn: 'arn:aws:s3:::p' }, userActivity: { name: 'u', arn: 'arn:aws:dynamodb:us-east-1:123456789012:table/u' } } } }, 'tables.existing.products.arn: "arn:aws:s3:::p" is not a DynamoDB table ARN'],
  ['no tables and none existing', { tables: { create: false } }, 'tables.existing: is required when tables.create is false'],
  ['tracing mode that is not one', { functions: { tracing: 'On' as never } }, 'functions.tracing: Invalid option: expected one of "PassThrough"|"Active"'],
  ['monitoring interval RDS refuses', { database: { monitoringIntervalSeconds: 45 } }, 'database.monitoringIntervalSeconds: 45 is not an enhanced monitoring interval; allowed: 0, 1, 5, 10, 15, 30, 60'],
  ['log key that is not a KMS key ARN', { logKmsKeyArn: 'alias/logs' }, 'logKmsKeyArn: "alias/logs" is not a KMS key ARN (arn:aws:kms:...)'],
  ['interface endpoint for an unknown service', { interfaceEndpoints: ['secretmanager' as never] }, 'interfaceEndpoints.0: Invalid option: expected one of "secretsmanager"|"sqs"'],

];

export const vpcId = 'vpc-0123456789abcdef0';
export const subnets = ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'];
export const routeTables = ['rtb-0123456789abcdef0'];
export const tableArn = (name: string) => `arn:aws:dynamodb:us-east-1:123456789012:table/${name}`;
export const database = {
  security_group_id: 'sg-0123456789abcdef0',
  host: 'orders.abc123.us-east-1.rds.amazonaws.com',
  database_name: 'app',
  resource_id: 'db-ABCDEFGHIJKLMNOP',
  instance_arn: 'arn:aws:rds:us-east-1:123456789012:db:orders',
};

/** A valid module function (code in S3: nothing to read at plan), with overrides. */
export const fn = (overrides: Record<string, unknown> = {}) => ({ s3_bucket: 'builds', s3_key: 'api.zip', handler: 'index.handler', ...overrides });

/**
 * [module call name, its arguments, the message it must get, when Terraform catches it].
 * `terraform validate` checks a variable on its own; a validation that refers to another
 * variable runs at `plan`, once all values are known.
 */
export const PLAN_REJECTIONS: Array<[string, Record<string, unknown>, string, 'validate' | 'plan']> = [
  ['name_prefix_capitals', { name_prefix: 'My_App' }, 'name_prefix must be 2 to 32 lowercase letters', 'validate'],
  ['region_not_a_region', { region: 'useast1' }, 'region must be an AWS region name like us-east-1.', 'validate'],
  ['region_not_the_providers', { region: 'eu-west-1' }, "region is eu-west-1 but the caller's AWS provider is in us-east-1", 'plan'],
  ['max_availability_zones_over_six', { max_availability_zones: 7 }, 'max_availability_zones must be a whole number from 2 to 6.', 'validate'],
  ['one_availability_zone', { availability_zones: ['us-east-1a'] }, 'availability_zones needs 2 to 6 zones.', 'validate'],
  ['availability_zone_twice', { availability_zones: ['us-east-1a', 'us-east-1a'] }, 'availability_zones lists a zone twice.', 'validate'],
  ['availability_zone_outside_region', { availability_zones: ['us-east-1a', 'us-west-2a'] }, "availability_zones must all be in the AWS provider's region us-east-1; outside it: us-west-2a.", 'plan'],
  ['vpc_cidr_not_a_cidr', { vpc_cidr: 'banana' }, 'vpc_cidr must be an IPv4 network address with prefix /16 to /24', 'validate'],
  ['vpc_cidr_host_bits', { vpc_cidr: '10.0.1.0/16' }, 'vpc_cidr must be an IPv4 network address with prefix /16 to /24', 'validate'],
  ['vpc_cidr_too_big', { vpc_cidr: '10.0.0.0/8' }, 'vpc_cidr must be an IPv4 network address with prefix /16 to /24', 'validate'],
  ['private_subnets_count', { private_subnet_cidrs: ['10.0.0.0/20'] }, 'private_subnet_cidrs must have one block per availability zone.', 'plan'],
  ['private_subnet_not_a_cidr', { private_subnet_cidrs: ['10.0.0.0/20', 'nope'] }, 'private_subnet_cidrs must hold IPv4 network addresses', 'validate'],
  ['private_subnet_outside_vpc', { private_subnet_cidrs: ['10.0.0.0/20', '10.1.0.0/20'] }, 'private_subnet_cidrs must lie inside vpc_cidr.', 'plan'],
  ['private_subnets_overlap', { private_subnet_cidrs: ['10.0.0.0/20', '10.0.8.0/21'] }, 'private_subnet_cidrs must not overlap each other.', 'validate'],
  ['public_overlaps_derived_private', { public_subnet_cidrs: ['10.0.0.0/24', '10.0.200.0/24'] }, 'public_subnet_cidrs and private_subnet_cidrs (given, or derived when null) must not overlap.', 'plan'],
  ['existing_vpc_id_malformed', { existing_vpc_id: 'vpc-xyz', existing_private_subnet_ids: subnets, existing_private_route_table_ids: routeTables, account_id: '123456789012' }, 'existing_vpc_id must be a VPC id', 'validate'],
  ['existing_vpc_without_route_tables', { existing_vpc_id: vpcId, existing_private_subnet_ids: subnets, account_id: '123456789012' }, 'existing_private_route_table_ids must list the private route tables when existing_vpc_id is set', 'plan'],
  ['existing_vpc_one_subnet', { existing_vpc_id: vpcId, existing_private_subnet_ids: [subnets[0]], existing_private_route_table_ids: routeTables, account_id: '123456789012' }, 'existing_private_subnet_ids needs at least 2 subnets when existing_vpc_id is set.', 'plan'],
  ['existing_subnet_malformed', { existing_vpc_id: vpcId, existing_private_subnet_ids: ['subnet-1', 'subnet-2'], existing_private_route_table_ids: routeTables, account_id: '123456789012' }, 'existing_private_subnet_ids must hold subnet ids', 'validate'],
  ['existing_route_table_malformed', { existing_vpc_id: vpcId, existing_private_subnet_ids: subnets, existing_private_route_table_ids: ['rtb-1'], account_id: '123456789012' }, 'existing_private_route_table_ids must hold route table ids', 'validate'],
  ['nat_mode_unknown', { nat_mode: 'gateway' }, 'nat_mode must be one of none, single, per-az.', 'validate'],
  ['nat_on_existing_vpc', { nat_mode: 'single', existing_vpc_id: vpcId, existing_private_subnet_ids: subnets, existing_private_route_table_ids: routeTables, account_id: '123456789012' }, 'nat_mode must be none when existing_vpc_id is set', 'plan'],
  ['retention_not_accepted', { flow_log_retention_days: 45 }, 'flow_log_retention_days must be one of 1, 3, 5, 7, 14, 30', 'validate'],
  ['retention_never_expire', { flow_log_retention_days: 0 }, 'flow_log_retention_days must be one of 1, 3, 5, 7, 14, 30', 'validate'],
  ['flow_log_format_unknown', { flow_log_format: 'custom' }, 'flow_log_format must be one of default, v5.', 'validate'],
  ['kms_key_not_an_arn', { flow_log_kms_key_arn: 'alias/flow-logs' }, 'flow_log_kms_key_arn must be a KMS key ARN', 'validate'],
  ['log_kms_key_not_an_arn', { log_kms_key_arn: 'alias/logs' }, 'log_kms_key_arn must be a KMS key ARN', 'validate'],
  ['account_id_malformed', { account_id: '1234' }, 'account_id must be a 12-digit AWS account id.', 'validate'],
  ['existing_vpc_flow_logs_without_account', { existing_vpc_id: vpcId, existing_private_subnet_ids: subnets, existing_private_route_table_ids: routeTables }, 'account_id is required when existing_vpc_id is set and flow_logs_enabled is true', 'plan'],
  ['table_key_capitals', { tables: { Orders: { hash_key: 'id' } } }, 'tables.Orders: the key must be 1 to 32 lowercase letters, digits and hyphens, starting with a letter (it is part of the table name)', 'validate'],
  ['table_key_type_unknown', { tables: { orders: { hash_key: 'id', hash_key_type: 'STRING' } } }, 'tables.orders: hash_key_type and range_key_type must be S, N, B', 'validate'],
  ['range_key_type_without_range_key', { tables: { orders: { hash_key: 'id', range_key_type: 'N' } } }, 'tables.orders: range_key_type is set but range_key is not', 'validate'],
  ['index_projection_unknown', { tables: { orders: { hash_key: 'id', global_secondary_indexes: { byStatus: { hash_key: 'status', projection_type: 'SOME' } } } } }, 'tables.orders.global_secondary_indexes.byStatus: projection_type must be one of ALL, KEYS_ONLY, INCLUDE', 'validate'],
  ['index_include_without_attributes', { tables: { orders: { hash_key: 'id', global_secondary_indexes: { byStatus: { hash_key: 'status', projection_type: 'INCLUDE' } } } } }, 'tables.orders.global_secondary_indexes.byStatus: non_key_attributes go with projection_type INCLUDE, and only with it', 'validate'],
  ['local_index_without_table_range_key', { tables: { orders: { hash_key: 'id', local_secondary_indexes: { byDate: { range_key: 'date' } } } } }, 'tables.orders.local_secondary_indexes: needs the table to have a range_key', 'validate'],
  ['local_index_on_the_table_sort_key', { tables: { orders: { hash_key: 'id', range_key: 'date', local_secondary_indexes: { again: { range_key: 'date' } } } } }, "tables.orders.local_secondary_indexes.again: range_key is the table's own sort key; a local index needs another one", 'validate'],
  ['index_attribute_type_unknown', { tables: { orders: { hash_key: 'id', attributes: { status: 'DATE' } } } }, 'tables.orders.attributes: each type must be S, N, B', 'validate'],
  ['stream_view_type_unknown', { tables: { orders: { hash_key: 'id', stream_view_type: 'ALL' } } }, 'tables.orders: stream_view_type must be one of KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES', 'validate'],
  ['billing_mode_unknown', { tables: { orders: { hash_key: 'id', billing_mode: 'ON_DEMAND' } } }, 'tables.orders: billing_mode must be one of PAY_PER_REQUEST, PROVISIONED', 'validate'],
  ['provisioned_without_capacity', { tables: { orders: { hash_key: 'id', billing_mode: 'PROVISIONED', read_capacity: 5 } } }, 'tables.orders: read_capacity and write_capacity (whole numbers, at least 1) go with billing_mode PROVISIONED, and only with it', 'validate'],
  ['capacity_on_demand', { tables: { orders: { hash_key: 'id', read_capacity: 5, write_capacity: 5 } } }, 'tables.orders: read_capacity and write_capacity (whole numbers, at least 1) go with billing_mode PROVISIONED, and only with it', 'validate'],
  ['index_without_capacity_on_provisioned', { tables: { orders: { hash_key: 'id', billing_mode: 'PROVISIONED', read_capacity: 5, write_capacity: 5, global_secondary_indexes: { byStatus: { hash_key: 'status' } } } } }, 'tables.orders.global_secondary_indexes.byStatus: read_capacity and write_capacity (whole numbers, at least 1) go with billing_mode PROVISIONED, and only with it', 'validate'],
  ['autoscaling_on_demand', { tables: { orders: { hash_key: 'id', autoscaling: { read_min_capacity: 1, read_max_capacity: 10, write_min_capacity: 1, write_max_capacity: 10 } } } }, 'tables.orders.autoscaling: only with billing_mode PROVISIONED (on demand scales by itself)', 'validate'],
  ['autoscaling_min_over_max', { tables: { orders: { hash_key: 'id', billing_mode: 'PROVISIONED', read_capacity: 5, write_capacity: 5, autoscaling: { read_min_capacity: 20, read_max_capacity: 10, write_min_capacity: 1, write_max_capacity: 10 } } } }, 'tables.orders.autoscaling: each min_capacity must be at least 1 and at most its max_capacity', 'validate'],
  ['autoscaling_target_out_of_range', { tables: { orders: { hash_key: 'id', billing_mode: 'PROVISIONED', read_capacity: 5, write_capacity: 5, autoscaling: { read_min_capacity: 1, read_max_capacity: 10, write_min_capacity: 1, write_max_capacity: 10, target_utilization: 95 } } } }, 'tables.orders.autoscaling: target_utilization must be 20 to 90 (percent)', 'validate'],
  ['table_class_unknown', { tables: { orders: { hash_key: 'id', table_class: 'GLACIER' } } }, 'tables.orders: table_class must be one of STANDARD, STANDARD_INFREQUENT_ACCESS', 'validate'],
  ['table_tag_aws_prefix', { tables: { orders: { hash_key: 'id', tags: { 'aws:owner': 'team' } } } }, 'tables.orders.tags: each key 1 to 128 characters, not starting with aws:, each value at most 256', 'validate'],
  ['function_key_underscore', { functions: { my_api: fn() } }, 'functions.my_api: the key must be 1 to 32 lowercase letters, digits and hyphens, starting with a letter (it is part of resource names)', 'validate'],
  ['function_name_too_long', { name_prefix: 'a-rather-long-name-prefix-for-it', functions: { 'an-equally-long-function-key-xy': fn() } }, 'functions.an-equally-long-function-key-xy: a-rather-long-name-prefix-for-it-an-equally-long-function-key-xy is longer than 59 characters (the role is named <name_prefix>-<key>-role and IAM allows 64)', 'plan'],
  ['code_both_filename_and_s3', { functions: { api: fn({ filename: 'api.zip' }) } }, 'functions.api: give the code as one of filename, s3_bucket and s3_key, or image_uri', 'validate'],
  ['code_neither', { functions: { api: { handler: 'index.handler' } } }, 'functions.api: give the code as one of filename, s3_bucket and s3_key, or image_uri', 'validate'],
  ['s3_bucket_without_key', { functions: { api: { handler: 'index.handler', s3_bucket: 'builds' } } }, 'functions.api: s3_bucket and s3_key go together (and s3_object_version needs them)', 'validate'],
  ['runtime_unknown', { functions: { api: fn({ runtime: 'python2.7' }) } }, 'functions.api: runtime must be one of nodejs22.x, nodejs20.x, nodejs24.x, python3.14', 'validate'],
  ['architecture_unknown', { functions: { api: fn({ architecture: 'arm' }) } }, 'functions.api: architecture must be one of arm64, x86_64', 'validate'],
  ['application_log_level_unknown', { functions: { api: fn({ application_log_level: 'VERBOSE' }) } }, 'functions.api: application_log_level must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL', 'validate'],
  ['system_log_level_unknown', { functions: { api: fn({ system_log_level: 'ERROR' }) } }, 'functions.api: system_log_level must be one of DEBUG, INFO, WARN', 'validate'],
  ['retry_attempts_over_two', { functions: { api: fn({ maximum_retry_attempts: 3 }) } }, 'functions.api: maximum_retry_attempts must be a whole number from 0 to 2', 'validate'],
  ['tracing_mode_unknown', { functions: { api: fn({ tracing_mode: 'On' }) } }, 'functions.api: tracing_mode must be one of PassThrough, Active', 'validate'],
  ['failure_destination_not_sqs_or_sns', { functions: { api: fn({ on_failure_destination_arn: 'arn:aws:s3:::bucket' }) } }, 'functions.api: on_failure_destination_arn must be an SQS queue or SNS topic ARN', 'validate'],
  ['failure_queue_and_destination', { functions: { api: fn({ failure_queue_enabled: true, on_failure_destination_arn: 'arn:aws:sqs:us-east-1:123456789012:q' }) } }, 'functions.api: failure_queue_enabled and on_failure_destination_arn both name a destination; give one', 'validate'],
  ['memory_below_lambda_minimum', { functions: { api: fn({ memory_size: 64 }) } }, 'functions.api: memory_size must be a whole number of MB from 128 to 10240', 'validate'],
  ['memory_fractional', { functions: { api: fn({ memory_size: 256.5 }) } }, 'functions.api: memory_size must be a whole number of MB from 128 to 10240', 'validate'],
  ['timeout_over_900', { functions: { api: fn({ timeout: 901 }) } }, 'functions.api: timeout must be a whole number of seconds from 1 to 900', 'validate'],
  ['function_retention_not_accepted', { functions: { api: fn({ log_retention_days: 45 }) } }, 'functions.api: log_retention_days must be one of 1, 3, 5, 7, 14, 30', 'validate'],
  ['reserved_concurrency_negative', { functions: { api: fn({ reserved_concurrency: -1 }) } }, 'functions.api: reserved_concurrency must be null or a whole number from 0', 'validate'],
  ['environment_credential', { functions: { api: fn({ environment: { DB_PASSWORD: 'hunter2' } }) } }, 'functions.api.environment: DB_PASSWORD looks like a credential (PASSWORD, SECRET, TOKEN)', 'validate'],
  ['table_access_unknown_table', { functions: { api: fn({ table_access: { nope: ['dynamodb:GetItem'] } }) } }, 'functions.api.table_access.nope: not a key of tables [] nor a DynamoDB table ARN', 'plan'],
  ['table_access_arn_not_dynamodb', { functions: { api: fn({ table_access: { 'arn:aws:s3:::orders': ['dynamodb:GetItem'] } }) } }, 'functions.api.table_access.arn:aws:s3:::orders: not a key of tables [] nor a DynamoDB table ARN', 'plan'],
  ['table_access_unknown_index', { tables: { orders: { hash_key: 'id', global_secondary_indexes: { byStatus: { hash_key: 'status' } } } }, functions: { api: fn({ table_access: { 'orders/index/byCustomer': ['dynamodb:Query'] } }) } }, 'functions.api.table_access.orders/index/byCustomer: the table orders has no index byCustomer; its indexes: ["byStatus"]', 'plan'],
  ['table_access_index_write', { functions: { api: fn({ table_access: { 'orders/index/byStatus': ['dynamodb:PutItem'] } }) } }, 'functions.api.table_access.orders/index/byStatus: dynamodb:PutItem does not apply to an index; an index grant takes dynamodb:Query or dynamodb:Scan', 'validate'],
  ['table_access_no_action', { functions: { api: fn({ table_access: { [tableArn('orders')]: [] } }) } }, `functions.api.table_access.${tableArn('orders')}: lists no action; name the DynamoDB actions the function uses`, 'validate'],
  ['table_access_all_actions', { functions: { api: fn({ table_access: { [tableArn('orders')]: ['dynamodb:*'] } }) } }, `functions.api.table_access.${tableArn('orders')}: dynamodb:* is not allowed; name actions from dynamodb:GetItem`, 'validate'],
  ['table_access_star', { functions: { api: fn({ table_access: { [tableArn('orders')]: ['*'] } }) } }, `functions.api.table_access.${tableArn('orders')}: * is not allowed`, 'validate'],
  ['table_access_prefix_wildcard', { functions: { api: fn({ table_access: { [tableArn('orders')]: ['dynamodb:Get*'] } }) } }, `functions.api.table_access.${tableArn('orders')}: dynamodb:Get* is not allowed`, 'validate'],
  ['table_access_not_dynamodb', { functions: { api: fn({ table_access: { [tableArn('orders')]: ['s3:GetObject'] } }) } }, `functions.api.table_access.${tableArn('orders')}: s3:GetObject is not allowed`, 'validate'],
  ['code_zip_and_image', { functions: { api: fn({ image_uri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1.0' }) } }, 'functions.api: give the code as one of filename, s3_bucket and s3_key, or image_uri', 'validate'],
  ['image_uri_not_ecr', { functions: { api: { image_uri: 'docker.io/library/node:22' } } }, 'functions.api.image_uri: not an ECR image URI', 'validate'],
  ['layers_with_image', { functions: { api: { image_uri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1.0', layers: ['arn:aws:lambda:us-east-1:123456789012:layer:shared:3'] } } }, 'functions.api.layers: an image (image_uri) carries its libraries; layers do not apply', 'validate'],
  ['layer_not_a_version_arn', { functions: { api: fn({ layers: ['arn:aws:lambda:us-east-1:123456789012:layer:shared'] }) } }, 'functions.api.layers: at most 5, each a layer version ARN', 'validate'],
  ['managed_policy_administrator', { functions: { api: fn({ managed_policy_arns: ['arn:aws:iam::aws:policy/AdministratorAccess'] }) } }, 'functions.api.managed_policy_arns: each must be a managed policy ARN, and not AdministratorAccess, PowerUserAccess, IAMFullAccess', 'validate'],
  ['provisioned_over_reserved', { functions: { api: fn({ reserved_concurrency: 2, provisioned_concurrency: 5 }) } }, 'functions.api.provisioned_concurrency: must be a whole number from 0, and at most reserved_concurrency when that is set', 'validate'],
  ['function_url_auth_unknown', { functions: { api: fn({ function_url: { auth_type: 'COGNITO' } }) } }, 'functions.api.function_url: auth_type must be one of AWS_IAM, NONE', 'validate'],
  ['stream_from_unknown_table', { functions: { api: fn({ stream_from: 'orders' }) } }, 'functions.api.stream_from: orders is not a key of tables []', 'plan'],
  ['stream_from_table_without_stream', { tables: { orders: { hash_key: 'id' } }, functions: { api: fn({ stream_from: 'orders' }) } }, 'functions.api.stream_from: table orders has no stream; set tables.orders.stream_view_type', 'plan'],
  ['statement_sid_not_alphanumeric', { functions: { api: fn({ policy_statements: { 'read-secret': { actions: ['secretsmanager:GetSecretValue'], resources: ['arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf'] } } }) } }, 'functions.api.policy_statements.read-secret: the key is the statement id: 1 to 128 letters and digits', 'validate'],
  ['statement_action_not_iam', { functions: { api: fn({ policy_statements: { ReadSecret: { actions: ['GetSecretValue'], resources: ['arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf'] } } }) } }, 'functions.api.policy_statements.ReadSecret.actions: name one or more IAM actions, each <service>:<Action>', 'validate'],
  ['statement_no_resource', { functions: { api: fn({ policy_statements: { ReadSecret: { actions: ['secretsmanager:GetSecretValue'], resources: [] } } }) } }, 'functions.api.policy_statements.ReadSecret.resources: name one or more ARNs (or *)', 'validate'],
  ['statement_effect_unknown', { functions: { api: fn({ policy_statements: { ReadSecret: { effect: 'Permit', actions: ['secretsmanager:GetSecretValue'], resources: ['arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf'] } } }) } }, 'functions.api.policy_statements.ReadSecret.effect: must be Allow or Deny', 'validate'],
  ['statement_grants_dynamodb', { functions: { api: fn({ policy_statements: { Orders: { actions: ['dynamodb:GetItem'], resources: [tableArn('orders')] } } }) } }, 'functions.api.policy_statements.Orders.actions: dynamodb is granted through table_access, s3 is granted through bucket_access', 'validate'],
  ['statement_wildcard_unacknowledged', { functions: { api: fn({ policy_statements: { Queues: { actions: ['sqs:SendMessage'], resources: ['*'] } } }) } }, 'functions.api.policy_statements.Queues: allows a wildcard (*); name the actions and resources, or set wildcard_acknowledged = true', 'validate'],
  ['database_access_without_database', { functions: { api: fn({ database_access: true }) } }, 'functions.api: database_access needs a database: set database_enabled = true', 'plan'],
  ['internet_egress_without_nat', { functions: { api: fn({ internet_egress: true }) } }, 'functions.api: internet_egress needs nat_mode single or per-az', 'plan'],
  ['endpoint_policy_unknown', { endpoint_policy: 'closed' }, 'endpoint_policy must be one of system-tables, open.', 'validate'],
  ['interface_endpoint_unknown_service', { interface_endpoints: ['secretmanager'] }, 'interface_endpoints: secretmanager not a known interface endpoint service; allowed: secretsmanager, sqs', 'validate'],
  ['interface_endpoint_for_a_gateway_service', { interface_endpoints: ['sqs', 's3'] }, 'interface_endpoints: s3 not a known interface endpoint service', 'validate'],
  ['interface_endpoint_twice', { interface_endpoints: ['sqs', 'kms', 'sqs'] }, 'interface_endpoints: sqs listed more than once; one endpoint per service.', 'validate'],
  ['bucket_access_object_arn', { functions: { api: fn({ bucket_access: { 'arn:aws:s3:::orders/*': ['s3:GetObject'] } }) } }, 'functions.api.bucket_access.arn:aws:s3:::orders/*: not an S3 bucket ARN', 'validate'],
  ['bucket_access_not_s3', { functions: { api: fn({ bucket_access: { [tableArn('orders')]: ['s3:GetObject'] } }) } }, `functions.api.bucket_access.${tableArn('orders')}: not an S3 bucket ARN`, 'validate'],
  ['bucket_access_no_action', { functions: { api: fn({ bucket_access: { 'arn:aws:s3:::orders': [] } }) } }, 'functions.api.bucket_access.arn:aws:s3:::orders: lists no action; name the S3 actions the function uses', 'validate'],
  ['bucket_access_all_actions', { functions: { api: fn({ bucket_access: { 'arn:aws:s3:::orders': ['s3:*'] } }) } }, 'functions.api.bucket_access.arn:aws:s3:::orders: s3:* is not allowed; name actions from s3:ListBucket', 'validate'],
  ['bucket_access_prefix_wildcard', { functions: { api: fn({ bucket_access: { 'arn:aws:s3:::orders': ['s3:Get*'] } }) } }, 'functions.api.bucket_access.arn:aws:s3:::orders: s3:Get* is not allowed', 'validate'],
  ['bucket_access_configuration_action', { functions: { api: fn({ bucket_access: { 'arn:aws:s3:::orders': ['s3:PutBucketPolicy'] } }) } }, 'functions.api.bucket_access.arn:aws:s3:::orders: s3:PutBucketPolicy is not allowed', 'validate'],
  ['bucket_access_without_s3_path', { s3_gateway_endpoint: false, functions: { api: fn({ bucket_access: { 'arn:aws:s3:::orders': ['s3:GetObject'] } }) } }, 'functions.api.bucket_access.arn:aws:s3:::orders: needs a path to S3', 'plan'],
  ['bucket_access_on_adopted_vpc', { existing_vpc_id: vpcId, existing_private_subnet_ids: subnets, existing_private_route_table_ids: routeTables, account_id: '123456789012', functions: { api: fn({ bucket_access: { 'arn:aws:s3:::orders': ['s3:GetObject'] } }) } }, 'functions.api.bucket_access.arn:aws:s3:::orders: needs a path to S3: s3_gateway_endpoint (off by default with existing_vpc_id; set it true)', 'plan'],
  ['existing_database_sg_malformed', { existing_database: { ...database, security_group_id: 'db-sg' } }, 'existing_database.security_group_id must be a security group id', 'validate'],
  ['existing_database_without_iam_ids', { existing_database: { ...database, resource_id: 'mydb' } }, 'existing_database needs resource_id (db-...) and instance_arn', 'validate'],
  ['existing_database_but_disabled', { existing_database: database, database_enabled: false }, 'existing_database is set but database_enabled is false', 'plan'],
  ['instance_class_malformed', { database_instance_class: 't4g.micro' }, 'database_instance_class must be an RDS instance class like db.t4g.micro.', 'validate'],
  ['monitoring_interval_unknown', { database_monitoring_interval: 45 }, 'database_monitoring_interval must be one of 0, 1, 5, 10, 15, 30, 60.', 'validate'],
  ['database_kms_key_not_an_arn', { database_kms_key_arn: 'alias/aws/rds' }, 'database_kms_key_arn must be a KMS key ARN', 'validate'],
];

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** The tables of rejected inputs in docs/rejected-inputs.md (npm run docs:rejected). */
export function rejectedInputsMarkdown(): string {
  const synthRows = SYNTH_REJECTIONS.map(([what, config, message]) => `| ${cell(what)} | \`${cell(JSON.stringify(config))}\` | ${cell(message)} |`);
  const planRows = PLAN_REJECTIONS.map(([name, args, message, stage]) => `| \`${name}\` | \`${cell(JSON.stringify(args))}\` | ${stage} | ${cell(message)} |`);
  return [
    '## At synth (construct props, `npm run synth -- --config`)',
    '',
    '| what is wrong | configuration | message (`error: <input>: ...`) |',
    '| --- | --- | --- |',
    ...synthRows,
    '',
    '## At plan (module variables)',
    '',
    '| case | module arguments | caught by | message |',
    '| --- | --- | --- | --- |',
    ...planRows,
  ].join('\n');
}
