import { inputsTable, ModuleJson, objectInputNotes, outputsTable } from './module-docs';

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
- The DynamoDB gateway endpoint on every private route table; its policy allows the union of the functions'
  declared actions on their tables only (and denies everything while no function declares table access)
- Optional NAT (\`nat_mode\` = \`none\` | \`single\` | \`per-az\`), VPC flow logs to CloudWatch (on by default)
- Your DynamoDB tables (\`tables\`, by key: on-demand, point-in-time recovery, encryption, deletion protection)
- Your Lambda functions (\`functions\`, by key) in the private subnets, each with its own log group, a role
  allowed exactly the \`table_access\` actions on exactly those tables, and a security group with no ingress
  and 443 egress to DynamoDB's prefix list only (5432 to the database with \`database_access\`, 443 to the
  internet with \`internet_egress\`)
- Optionally a private RDS PostgreSQL (\`database_enabled\`; IAM authentication, encrypted, RDS-managed master
  password), or an existing one (\`existing_database\`)

With the defaults (no tables, no functions, no database) it builds only the private network, the endpoint
and the flow logs. The module has no provider block and no backend: call it many times, with \`count\` or
\`for_each\`, and in several regions through provider aliases.

The region is the caller's AWS provider's (\`data "aws_region"\`): it names the DynamoDB service, the ARNs
and, for \`npm run check\`, the prices. \`availability_zones\` defaults to the region's first
\`max_availability_zones\` (2) zones by name, read with \`data "aws_availability_zones"\` (an EC2 call at
plan); give them to plan without AWS. A zone of another region fails at plan, naming \`availability_zones\`;
\`region\`, when given, only cross-checks the provider's.

## Usage

\`\`\`hcl
module "orders" {
  source = "<registry>/vpc-lambda-dynamodb/aws"

  name_prefix        = "orders-dev"
  availability_zones = ["us-east-1a", "us-east-1b"] # optional: the region's first two by default

  tables = {
    orders = { hash_key = "id" }                       # hash_key_type defaults to "S"
    events = { hash_key = "pk", range_key = "sk", ttl_attribute = "expires_at" }
  }

  functions = {
    api = {
      filename     = "\${path.module}/build/api.zip"   # or s3_bucket + s3_key
      handler      = "index.handler"
      table_access = { orders = ["dynamodb:GetItem", "dynamodb:PutItem"] }
      environment  = { STAGE = "dev" }
    }
    audit = {
      filename     = "\${path.module}/build/audit.zip"
      handler      = "index.handler"
      table_access = {
        events                                                          = ["dynamodb:PutItem"]
        "arn:aws:dynamodb:us-east-1:123456789012:table/shared-customers" = ["dynamodb:GetItem"]
      }
    }
  }
}
\`\`\`

Each \`table_access\` entry becomes \`<KEY>_TABLE\` in the function's environment (\`orders\` ->
\`ORDERS_TABLE\`; for an ARN, the table's name: \`SHARED_CUSTOMERS_TABLE\`). A function with
\`database_access\` also gets \`DB_HOST\`, \`DB_PORT\`, \`DB_NAME\`, \`DB_USER=app_lambda\` and
\`DB_AUTH=iam\`; create that user once: \`CREATE USER app_lambda; GRANT rds_iam TO app_lambda;\`.
Every rule AWS would enforce at apply (key names, action names, code source, memory, timeout,
runtime, retention...) fails at plan with a message naming the function or table and the field.

${objectInputNotes(props.module)}

## Examples

${props.examples.map((name) => `- [\`examples/${name}\`](examples/${name})`).join('\n')}

## Tests

\`tests/*.tftest.hcl\` run with \`terraform test\` (Terraform >= 1.7) against a mocked AWS provider:
no credentials, no network, nothing created. From this folder: \`terraform init && terraform test\`.

The tables below are generated (between the terraform-docs markers, so \`terraform-docs\`
users can regenerate them).

<!-- BEGIN_TF_DOCS -->
## Requirements

| Name | Version |
| --- | --- |
| terraform | \`${props.requiredTerraform}\` |
| hashicorp/aws | \`${props.requiredAwsProvider}\` |

## Inputs

${inputsTable(props.module)}

## Outputs

${outputsTable(props.module)}
<!-- END_TF_DOCS -->

See CHANGELOG.md for what changed in each version.
`;
}
