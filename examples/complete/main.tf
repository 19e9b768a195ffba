# Your own tables and functions in a new VPC: two private subnets, the DynamoDB gateway
# endpoint, flow logs, three tables (one with a global and a local index, one provisioned with
# autoscaling) and two functions, each function allowed exactly the actions it declares on
# exactly its tables or index. No NAT and no database: $0 fixed network cost.
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
    # A global index (its own partition key) and a local one (another sort key), typed by attributes.
    events = {
      hash_key                 = "pk"
      range_key                = "sk"
      ttl_attribute            = "expires_at"
      attributes               = { created_at = "N" }
      global_secondary_indexes = { by-type = { hash_key = "type", range_key = "created_at" } }
      local_secondary_indexes  = { by-created = { range_key = "created_at", projection_type = "KEYS_ONLY" } }
    }
    # Provisioned capacity, scaled by Application Auto Scaling between the bounds (70% target).
    counters = {
      hash_key       = "name"
      billing_mode   = "PROVISIONED"
      read_capacity  = 5
      write_capacity = 5
      autoscaling    = { read_min_capacity = 5, read_max_capacity = 100, write_min_capacity = 5, write_max_capacity = 50 }
      tags           = { DataClass = "internal" }
    }
  }

  # The code is the module's bundled demo handlers, standing in for your own zips.
  functions = {
    api = {
      filename             = "${path.module}/../../assets/products.zip"
      handler              = "index.handler"
      memory_size          = 512
      reserved_concurrency = 10
      table_access = {
        orders   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"]
        counters = ["dynamodb:UpdateItem"]
      }
      environment = { STAGE = "dev" }
    }
    audit = {
      filename = "${path.module}/../../assets/user-activity.zip"
      handler  = "index.handler"
      # PutItem on the table; Query on one index only (<table arn>/index/by-type).
      table_access = {
        events                 = ["dynamodb:PutItem"]
        "events/index/by-type" = ["dynamodb:Query"]
      }
    }
  }
}
