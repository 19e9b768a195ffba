// The public API: constructs and their props. Deep provider imports stay inside modules/.
export { ConfigError } from './private/config-error';
export { Network, NetworkProps, ExistingVpcProps, MIN_AVAILABILITY_ZONES, MAX_AVAILABILITY_ZONES } from './constructs/network';
export { DynamoDbGatewayEndpoint, DynamoDbGatewayEndpointProps, EndpointPolicyScope } from './constructs/dynamodb-gateway-endpoint';
export { NatGateways, NatGatewaysProps, NatMode, NAT_MODES } from './constructs/nat-gateways';
export { FlowLogs, FlowLogsProps } from './constructs/flow-logs';
export { LOG_RETENTION_DAYS } from './private/log-retention';
export { VpcLambdaDynamoDb, VpcLambdaDynamoDbProps, FlowLogSettings } from './constructs/vpc-lambda-dynamodb';
export { DeployStack, FunctionBundles } from './stacks/deploy/deploy-stack';
export { VpcFunction, VpcFunctionProps, LAMBDA_RUNTIMES, LAMBDA_ARCHITECTURES, LAMBDA_MEMORY_MB, LAMBDA_TIMEOUT_S } from './constructs/vpc-function';
export { FunctionCode, FunctionCodeProps } from './constructs/function-code';
export { FunctionSecurityGroup, FunctionSecurityGroupProps } from './constructs/function-security-group';
export { DynamoDbTables, DynamoDbTablesProps, TableRef, ExistingTable, DYNAMODB_DATA_ACTIONS, IGrantable } from './constructs/dynamodb-tables';
export { PostgresDatabase, PostgresDatabaseProps, ExistingDatabaseProps, DATABASE_AUTH_MODES, POSTGRES_PORT } from './constructs/postgres-database';
export { DeployConfig, DeployConfigInput, DeployConfigSchema, parseDeployConfig, loadDeployConfig } from './stacks/deploy/deploy-config';
export { PlainIdStack } from './stacks/plain-id-stack';
export { ModuleStack, MODULE_REQUIRED_AWS_PROVIDER, MODULE_REQUIRED_TERRAFORM } from './stacks/module/module-stack';
export { ModuleInputs } from './stacks/module/module-inputs';
export { synthesizeApp, SynthesisResult } from './stacks/synthesize';
