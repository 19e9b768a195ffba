// The public API: constructs and their props. Deep provider imports stay inside modules/.
export { ConfigError } from './config-error';
export { Network, NetworkProps, ExistingVpcProps, MIN_AVAILABILITY_ZONES, MAX_AVAILABILITY_ZONES } from './network';
export { DynamoDbGatewayEndpoint, DynamoDbGatewayEndpointProps, EndpointPolicyScope } from './dynamodb-gateway-endpoint';
export { NatGateways, NatGatewaysProps, NatMode, NAT_MODES } from './nat-gateways';
export { FlowLogs, FlowLogsProps } from './flow-logs';
export { LOG_RETENTION_DAYS } from './log-retention';
export { VpcLambdaDynamoDb, VpcLambdaDynamoDbProps, FlowLogSettings } from './vpc-lambda-dynamodb';
export { DeployStack } from './deploy-stack';
export { DeployConfig, DeployConfigInput, DeployConfigSchema, parseDeployConfig, loadDeployConfig } from './deploy-config';
export { PlainIdStack } from './plain-id-stack';
export { ModuleStack, MODULE_REQUIRED_AWS_PROVIDER, MODULE_REQUIRED_TERRAFORM } from './module-stack';
export { ModuleInputs } from './module-inputs';
export { synthesizeApp, SynthesisResult } from './synthesize';
