import { inputsTable, ModuleJson, outputsTable } from './module-docs';

/** What the published module's README says around the generated tables. */
export interface ModuleReadmeProps {
  /** The module's Terraform JSON: the tables are generated from it, so they never drift. */
  readonly module: ModuleJson;
  /** The module's version (package.json). */
  readonly version: string;
  /** Example folder names under `examples/`. */
  readonly examples: string[];
  /** Terraform and AWS provider constraints the module declares. */
  readonly requiredTerraform: string;
  readonly requiredAwsProvider: string;
}

/** The published module's README.md. */
export function renderModuleReadme(props: ModuleReadmeProps): string {
  return `# terraform-aws-vpc-lambda-dynamodb

Version ${props.version}. Lambda functions in private subnets that reach DynamoDB through a
**free gateway VPC endpoint**: no NAT and no internet path unless you ask for one, so the
network has no fixed cost. Generated from the vpc-lambda-dynamodb CDKTF constructs
(\`npm run synth:module\`); plain Terraform, no CDKTF needed to use it.

## What it builds

- A VPC with one private subnet and route table per availability zone (or an existing VPC, by ids)
- The DynamoDB gateway endpoint on every private route table, its policy scoped to the system's tables and actions
- Optional NAT (\`nat_mode\` = \`none\` | \`single\` | \`per-az\`), VPC flow logs to CloudWatch (on by default)
- Two Lambda functions (\`products\`, \`user-activity\`; nodejs22.x, arm64) in the private subnets, each with its own
  least-privilege role and a security group with no ingress and 443 egress to DynamoDB's prefix list only
- The \`products\` and \`user-activity\` DynamoDB tables (on-demand, point-in-time recovery, encryption), or existing ones
- A private RDS PostgreSQL for \`user-activity\` (IAM authentication, encrypted, RDS-managed master password), or an existing one

The module has no provider block and no backend: call it many times, with \`count\` or
\`for_each\`, and in several regions through provider aliases.

## Usage

\`\`\`hcl
module "vpc_lambda_dynamodb" {
  source = "<registry>/vpc-lambda-dynamodb/aws"

  name_prefix        = "orders-dev"
  region             = "us-east-1"
  availability_zones = ["us-east-1a", "us-east-1b"]
}
\`\`\`

With IAM database authentication (the default), create the functions' database user once:
\`CREATE USER app_lambda; GRANT rds_iam TO app_lambda;\` and grant it \`SELECT\` on \`users\`.

## Requirements

| Name | Version |
| --- | --- |
| terraform | \`${props.requiredTerraform}\` |
| hashicorp/aws | \`${props.requiredAwsProvider}\` |

## Examples

${props.examples.map((name) => `- [\`examples/${name}\`](examples/${name})`).join('\n')}

## Inputs

${inputsTable(props.module)}

## Outputs

${outputsTable(props.module)}

See CHANGELOG.md for what changed in each version.
`;
}
