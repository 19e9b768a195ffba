# Your own tables and functions in a new VPC: two private subnets, the DynamoDB gateway
# endpoint, flow logs, two tables and two functions, each function allowed exactly the actions
# it declares on exactly its tables. No NAT and no database: $0 fixed network cost.
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
    }
  }
}
