# A complete system of your own in a new VPC: two private subnets, the DynamoDB and S3 gateway
# endpoints (free), a Secrets Manager interface endpoint, one NAT gateway, flow logs, a
# private PostgreSQL, three tables (one with a global and a local index and a stream, one
# provisioned with autoscaling) and three functions, each allowed exactly what it declares:
# its tables or index, its bucket, its statement, the stream it consumes.
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

  # One NAT gateway, for the one function that calls the internet (a payment provider).
  nat_mode = "single"
  # Secrets Manager through an interface endpoint: no secret call leaves for the internet.
  interface_endpoints = ["secretsmanager"]
  # A private PostgreSQL, reached with IAM authentication by the functions that ask for it.
  database_enabled = true

  tables = {
    orders = { hash_key = "id" }
    # A global index (its own partition key) and a local one (another sort key), typed by
    # attributes; its stream feeds the projector.
    events = {
      hash_key                 = "pk"
      range_key                = "sk"
      ttl_attribute            = "expires_at"
      stream_view_type         = "NEW_IMAGE"
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

  # The Node.js code is the module's bundled demo handlers, standing in for your own zips.
  functions = {
    api = {
      filename             = "${path.module}/../../assets/products.zip"
      handler              = "index.handler"
      memory_size          = 512
      reserved_concurrency = 10
      internet_egress      = true
      table_access = {
        orders   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"]
        counters = ["dynamodb:UpdateItem"]
      }
      environment = { STAGE = "dev" }
    }
    audit = {
      filename        = "${path.module}/../../assets/user-activity.zip"
      handler         = "index.handler"
      database_access = true
      # PutItem on the table; Query on one index only (<table arn>/index/by-type).
      table_access = {
        events                 = ["dynamodb:PutItem"]
        "events/index/by-type" = ["dynamodb:Query"]
      }
      # Through the free S3 gateway endpoint; its policy allows exactly this.
      bucket_access = { "arn:aws:s3:::orders-dev-audit-archive" = ["s3:PutObject", "s3:GetObject"] }
    }
    # A Python zip from your build bucket, with a layer and a statement of its own, consuming
    # the events stream into counters.
    projector = {
      s3_bucket    = "orders-dev-builds"
      s3_key       = "projector/2026-12-01.zip"
      handler      = "projector.handler"
      runtime      = "python3.13"
      layers       = ["arn:aws:lambda:us-east-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python313-arm64:7"]
      stream_from  = "events"
      table_access = { counters = ["dynamodb:UpdateItem"] }
      policy_statements = {
        ReadWebhookKey = {
          actions   = ["secretsmanager:GetSecretValue"]
          resources = ["arn:aws:secretsmanager:us-east-1:123456789012:secret:orders-dev/webhook-AbCdEf"]
        }
      }
      failure_queue_enabled = true
    }
  }
}
