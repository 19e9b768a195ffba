// The public API: constructs and their props. Deep provider imports stay inside modules/.
export { ConfigError } from './config-error';
export { Network, NetworkProps, ExistingVpcProps, MIN_AVAILABILITY_ZONES, MAX_AVAILABILITY_ZONES } from './network';
export { DynamoDbGatewayEndpoint, DynamoDbGatewayEndpointProps, EndpointPolicyScope } from './dynamodb-gateway-endpoint';
export { NatGateways, NatGatewaysProps, NatMode, NAT_MODES } from './nat-gateways';
export { FlowLogs, FlowLogsProps } from './flow-logs';
export { LOG_RETENTION_DAYS } from './log-retention';
export { VpcLambdaDynamoDb, VpcLambdaDynamoDbProps, FlowLogSettings } from './vpc-lambda-dynamodb';
export { DeployStack, FunctionBundles } from './deploy-stack';
export { VpcFunction, VpcFunctionProps, LAMBDA_RUNTIMES, LAMBDA_ARCHITECTURES, LAMBDA_MEMORY_MB, LAMBDA_TIMEOUT_S } from './vpc-function';
export { FunctionCode, FunctionCodeProps } from './function-code';
export { FunctionSecurityGroup, FunctionSecurityGroupProps } from './function-security-group';
export { DynamoDbTables, DynamoDbTablesProps, TableRef, ExistingTable, DYNAMODB_DATA_ACTIONS, IGrantable } from './dynamodb-tables';
export { PostgresDatabase, PostgresDatabaseProps, ExistingDatabaseProps, DATABASE_AUTH_MODES, POSTGRES_PORT } from './postgres-database';
export { DeployConfig, DeployConfigInput, DeployConfigSchema, parseDeployConfig, loadDeployConfig } from './deploy-config';
export { PlainIdStack } from './plain-id-stack';
export { ModuleStack, MODULE_REQUIRED_AWS_PROVIDER, MODULE_REQUIRED_TERRAFORM } from './module-stack';
export { ModuleInputs } from './module-inputs';
export { synthesizeApp, SynthesisResult } from './synthesize';
