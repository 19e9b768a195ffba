// setupFilesAfterEnv of the "constructs on cdktn" project (jest.cdktn.config.js): the run
// stops unless `cdktf` really resolves to CDK Terrain, so a mapping that stopped applying
// cannot pass the tier on cdktf.
const RTTI = Symbol.for('jsii.rtti');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const framework = require('cdktf') as { TerraformStack: Record<symbol, { fqn?: string } | undefined> };
const fqn = framework.TerraformStack[RTTI]?.fqn;
if (fqn !== 'cdktn.TerraformStack') throw new Error(`the cdktn tier expected require('cdktf') to be CDK Terrain, got ${fqn ?? 'no jsii type information'}`);
