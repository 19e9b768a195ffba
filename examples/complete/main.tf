# Your own tables and functions in a new VPC: two private subnets, the DynamoDB gateway
# endpoint, flow logs, two tables and two functions, each function allowed exactly the actions
# it declares on exactly its tables. No NAT and no database; the S3 gateway endpoint is free,
# the Secrets Manager interface endpoint is the one fixed cost (per AZ-hour).
provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = {
      Project     = "orders"
      Environment = "dev"
    }
  }
}

module "vpc_lambda_dynamodb" {
  source = "../.."

  name_prefix        = "orders-dev"
  availability_zones = ["us-east-1a", "us-east-1b"]
  vpc_cidr           = "10.20.0.0/16"

  # Without NAT, a function reaches Secrets Manager only through an interface endpoint.
  interface_endpoints = ["secretsmanager"]

  tables = {
    orders = { hash_key = "id" }
    events = { hash_key = "pk", range_key = "sk", ttl_attribute = "expires_at" }
  }

  # The code is the module's bundled demo handlers, standing in for your own zips.
  functions = {
    api = {
      filename             = "${path.module}/../../assets/products.zip"
      handler              = "index.handler"
      memory_size          = 512
      reserved_concurrency = 10
      table_access         = { orders = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"] }
      environment          = { STAGE = "dev" }
    }
    audit = {
      filename     = "${path.module}/../../assets/user-activity.zip"
      handler      = "index.handler"
      table_access = { events = ["dynamodb:PutItem"] }
      # Through the free S3 gateway endpoint; its policy allows exactly this.
      bucket_access = { "arn:aws:s3:::orders-dev-audit-archive" = ["s3:PutObject", "s3:GetObject"] }
    }
  }
}
