# One NAT gateway, for a function that must also call an internet API. DynamoDB traffic still
# goes through the free gateway endpoint, never through NAT.
provider "aws" {
  region = "us-west-2"
}

module "vpc_lambda_dynamodb" {
  source = "../.."

  name_prefix        = "catalog"
  availability_zones = ["us-west-2a", "us-west-2b"]

  nat_mode = "single"

  tables = {
    products = { hash_key = "id" }
  }

  functions = {
    # Calls a supplier's HTTPS API (internet_egress) and stores products.
    sync = {
      filename        = "${path.module}/../../assets/products.zip"
      handler         = "index.handler"
      table_access    = { products = ["dynamodb:PutItem", "dynamodb:GetItem"] }
      internet_egress = true
    }
  }
}
