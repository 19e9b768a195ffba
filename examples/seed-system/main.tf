# The repo's demo system through the module's interface: the products and user-activity
# tables, the two bundled handlers shipped in the module's assets/, and a private PostgreSQL
# that user-activity reads with IAM authentication. No NAT: $0 fixed network cost.
provider "aws" {
  region = "us-east-1"
}

module "vpc_lambda_dynamodb" {
  source = "../.."

  name_prefix        = "seed"
  availability_zones = ["us-east-1a", "us-east-1b"]

  tables = {
    products      = { hash_key = "id" }
    user-activity = { hash_key = "userId", range_key = "timestamp", ttl_attribute = "expiresAt" }
  }

  functions = {
    # Puts a product and reads it back: PRODUCTS_TABLE names the table.
    products = {
      filename     = "${path.module}/../../assets/products.zip"
      handler      = "index.handler"
      description  = "Puts a product into the products table and reads it back"
      table_access = { products = ["dynamodb:PutItem", "dynamodb:GetItem"] }
    }
    # Reads a user from PostgreSQL (DB_HOST, DB_USER=app_lambda, IAM auth) and records the
    # activity in USER_ACTIVITY_TABLE; GetItem reads an event's idempotency record on redelivery,
    # and ttl_attribute expires those records.
    user-activity = {
      filename        = "${path.module}/../../assets/user-activity.zip"
      handler         = "index.handler"
      description     = "Reads a user from PostgreSQL and records the activity in DynamoDB"
      table_access    = { user-activity = ["dynamodb:PutItem", "dynamodb:GetItem"] }
      database_access = true
    }
  }

  database_enabled = true
}
