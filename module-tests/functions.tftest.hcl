# The caller's tables and functions: table access, the database off and on, an existing VPC.

# Computed values the provider would return, shaped as AWS shapes them (the provider
# validates ARNs it is given, so a random mock string would not do).
mock_provider "aws" {
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:mock" }
  }
  mock_resource "aws_dynamodb_table" {
    defaults = { arn = "arn:aws:dynamodb:us-east-1:123456789012:table/mock" }
  }
  mock_resource "aws_db_instance" {
    defaults = {
      arn         = "arn:aws:rds:us-east-1:123456789012:db:mock"
      address     = "mock.c1a2b3c4d5e6.us-east-1.rds.amazonaws.com"
      port        = 5432
      resource_id = "db-MOCK"
    }
  }
  mock_resource "aws_vpc" {
    defaults = { owner_id = "123456789012" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
}

variables {
  name_prefix = "orders-dev"
  tables = {
    orders = { hash_key = "id" }
  }
  functions = {
    api = {
      s3_bucket    = "builds"
      s3_key       = "api.zip"
      handler      = "index.handler"
      table_access = { orders = ["dynamodb:GetItem", "dynamodb:PutItem"] }
    }
  }
}

run "function_with_table_access" {
  command = apply
  assert {
    condition     = output.function_names == { api = "orders-dev-api" } && output.table_names == { orders = "orders-dev-orders" }
    error_message = "one function, one table, named from name_prefix and the keys"
  }
  assert {
    condition     = aws_lambda_function.function["api"].environment[0].variables["ORDERS_TABLE"] == "orders-dev-orders"
    error_message = "table_access gives the function ORDERS_TABLE"
  }
  assert {
    condition     = length(aws_vpc_security_group_egress_rule.function_postgres) == 0 && output.database_endpoint == null
    error_message = "database off: no 5432 rule, no endpoint"
  }
}

run "database_on" {
  command = apply
  variables {
    database_enabled = true
    functions = {
      api = {
        s3_bucket       = "builds"
        s3_key          = "api.zip"
        handler         = "index.handler"
        table_access    = { orders = ["dynamodb:GetItem"] }
        database_access = true
      }
    }
  }
  assert {
    condition     = length(aws_db_instance.this) == 1 && output.database_endpoint != null
    error_message = "database on: one instance and its endpoint"
  }
  assert {
    condition     = length(aws_vpc_security_group_egress_rule.function_postgres) == 1 && length(aws_vpc_security_group_ingress_rule.database_from_function) == 1
    error_message = "5432 out of the function and into the database, for the function with database_access"
  }
  assert {
    condition     = aws_lambda_function.function["api"].environment[0].variables["DB_USER"] == "app_lambda"
    error_message = "the function gets the database settings"
  }
}

run "existing_vpc" {
  command = apply
  variables {
    existing_vpc_id                  = "vpc-0123456789abcdef0"
    existing_private_subnet_ids      = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
    existing_private_route_table_ids = ["rtb-0123456789abcdef0", "rtb-0123456789abcdef1"]
    account_id                       = "123456789012"
  }
  assert {
    condition     = output.vpc_id == "vpc-0123456789abcdef0" && length(aws_vpc.this) == 0 && length(aws_subnet.private) == 0
    error_message = "an existing VPC: nothing of the network is created"
  }
  assert {
    condition     = aws_vpc_endpoint.dynamodb.route_table_ids == toset(["rtb-0123456789abcdef0", "rtb-0123456789abcdef1"])
    error_message = "the endpoint goes on the given route tables"
  }
  assert {
    condition     = aws_lambda_function.function["api"].vpc_config[0].subnet_ids == toset(["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"])
    error_message = "the function runs in the given subnets"
  }
}
