// The public API: what the npm package exports. Deep provider imports stay inside modules/.

// The constructs: the system and what it is built from (also the whole of vpc-lambda-dynamodb/cdktn).
export * from './constructs';

// The two envelopes: the deploy stack (provider + backend) and the published module.
export { DeployStack, FunctionBundles } from './stacks/deploy/deploy-stack';
export { DeployConfig, DeployConfigInput, DeployConfigSchema, parseDeployConfig, loadDeployConfig } from './stacks/deploy/deploy-config';
export { PlainIdStack } from './stacks/plain-id-stack';
export { ModuleStack, MODULE_REQUIRED_AWS_PROVIDER, MODULE_REQUIRED_TERRAFORM } from './stacks/module/module-stack';
export { synthesizeApp, SynthesisResult } from './stacks/synthesize';
