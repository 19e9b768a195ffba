// The public API: what the npm package exports. Deep provider imports stay inside modules/.

// The composed system: one declaration of tables, functions and who may touch what.
export { VpcLambdaDynamoDb, VpcLambdaDynamoDbProps, SystemNetworkProps, FunctionSettings, FunctionOwnProps, TableSettings, DatabaseSettings, FlowLogSettings } from './constructs/vpc-lambda-dynamodb';

// The constructs it is built from, for stacks that compose their own.
export { Network, NetworkProps, ExistingVpcProps, SubnetGroup, MIN_AVAILABILITY_ZONES, MAX_AVAILABILITY_ZONES } from './constructs/network';
export { DynamoDbGatewayEndpoint, DynamoDbGatewayEndpointProps } from './constructs/dynamodb-gateway-endpoint';
export { EndpointPolicy } from './constructs/endpoint-policy';
export { NatGateways, NatGatewaysProps, NatMode, NAT_MODES } from './constructs/nat-gateways';
export { FlowLogs, FlowLogsProps } from './constructs/flow-logs';
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
} from './constructs/vpc-function';
export { FunctionCode, FunctionCodeConfig, EntryBundleOptions } from './constructs/function-code';
export { FunctionSecurityGroup, FunctionSecurityGroupProps } from './constructs/function-security-group';
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
} from './constructs/dynamodb-table';
export { PostgresDatabase, PostgresDatabaseProps, IPostgresDatabase, ExistingDatabaseProps, DatabaseAuthMode, DATABASE_AUTH_MODES, POSTGRES_PORT } from './constructs/postgres-database';
export { LOG_RETENTION_DAYS } from './private/log-retention';
export { ConfigError } from './private/config-error';

// The two envelopes: the deploy stack (provider + backend) and the published module.
export { DeployStack, FunctionBundles } from './stacks/deploy/deploy-stack';
export { DeployConfig, DeployConfigInput, DeployConfigSchema, parseDeployConfig, loadDeployConfig } from './stacks/deploy/deploy-config';
export { PlainIdStack } from './stacks/plain-id-stack';
export { ModuleStack, MODULE_REQUIRED_AWS_PROVIDER, MODULE_REQUIRED_TERRAFORM } from './stacks/module/module-stack';
export { synthesizeApp, SynthesisResult } from './stacks/synthesize';
