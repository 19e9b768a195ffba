// The constructs' public API: what `vpc-lambda-dynamodb` exports for them, and all that
// `vpc-lambda-dynamodb/cdktn` exports (this folder and private/, rewritten for CDK Terrain:
// scripts/cdktn/build.ts). The envelopes in ../stacks stay cdktf-only.

// The composed system: one declaration of tables, functions and who may touch what.
export { VpcLambdaDynamoDb, VpcLambdaDynamoDbProps, SystemNetworkProps, FunctionSettings, FunctionOwnProps, TableSettings, DatabaseSettings, FlowLogSettings } from './vpc-lambda-dynamodb';

// The constructs it is built from, for stacks that compose their own.
export { Network, NetworkProps, ExistingVpcProps, SubnetGroup, MIN_AVAILABILITY_ZONES, MAX_AVAILABILITY_ZONES } from './network';
export { DynamoDbGatewayEndpoint, DynamoDbGatewayEndpointProps } from './dynamodb-gateway-endpoint';
export { EndpointPolicy } from './endpoint-policy';
export { S3GatewayEndpoint, S3GatewayEndpointProps, S3Action, S3_DATA_ACTIONS, S3_BUCKET_ACTIONS, S3_OBJECT_ACTIONS } from './s3-gateway-endpoint';
export { InterfaceEndpoints, InterfaceEndpointsProps, InterfaceEndpointService, INTERFACE_ENDPOINT_SERVICES } from './interface-endpoints';
export { NatGateways, NatGatewaysProps, NatMode, NAT_MODES } from './nat-gateways';
export { FlowLogs, FlowLogsProps, FlowLogFormat, FLOW_LOG_FORMATS } from './flow-logs';
export {
  VpcFunction,
  VpcFunctionProps,
  LAMBDA_RUNTIMES,
  LAMBDA_ARCHITECTURES,
  LAMBDA_MEMORY_MB,
  LAMBDA_TIMEOUT_S,
  LAMBDA_APPLICATION_LOG_LEVELS,
  LAMBDA_SYSTEM_LOG_LEVELS,
  LAMBDA_ASYNC_RETRIES,
} from './vpc-function';
export { FunctionCode, FunctionCodeConfig, EntryBundleOptions } from './function-code';
export { FunctionSecurityGroup, FunctionSecurityGroupProps } from './function-security-group';
export {
  DynamoDbTable,
  DynamoDbTableProps,
  ITable,
  IGrantable,
  DynamoDbAction,
  DYNAMODB_DATA_ACTIONS,
  DYNAMODB_READ_ACTIONS,
  DYNAMODB_WRITE_ACTIONS,
  DYNAMODB_KEY_TYPES,
  DYNAMODB_PROJECTION_TYPES,
  DYNAMODB_STREAM_VIEW_TYPES,
  DynamoDbProjectionType,
  GlobalSecondaryIndexProps,
  LocalSecondaryIndexProps,
} from './dynamodb-table';
export { PostgresDatabase, PostgresDatabaseProps, IPostgresDatabase, ExistingDatabaseProps, DatabaseAuthMode, DATABASE_AUTH_MODES, POSTGRES_PORT } from './postgres-database';
export { LOG_RETENTION_DAYS } from '../private/log-retention';
export { ConfigError } from '../private/config-error';
