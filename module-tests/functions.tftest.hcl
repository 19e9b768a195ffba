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
  # The caller's provider in us-east-1, as data "aws_region" and "aws_availability_zones" read it.
  mock_data "aws_region" {
    defaults = { name = "us-east-1" }
  }
  mock_data "aws_availability_zones" {
    defaults = { names = ["us-east-1a", "us-east-1b", "us-east-1c"] }
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
  assert {
    condition     = aws_cloudwatch_log_group.database_postgresql[0].retention_in_days == 30 && aws_cloudwatch_log_group.database_upgrade[0].retention_in_days == 30 && toset(aws_db_instance.this[0].enabled_cloudwatch_logs_exports) == toset(["postgresql", "upgrade"])
    error_message = "the database exports its postgresql and upgrade logs into log groups kept 30 days"
  }
  assert {
    condition     = aws_db_instance.this[0].performance_insights_enabled && aws_db_instance.this[0].performance_insights_retention_period == 7 && !aws_db_instance.this[0].multi_az && length(aws_iam_role.database_monitoring) == 0
    error_message = "by default: Performance Insights 7 days, single-AZ, no enhanced monitoring role"
  }
  assert {
    condition     = aws_lambda_function.function["api"].tracing_config[0].mode == "PassThrough" && !strcontains(aws_iam_role_policy.function_policy["api"].policy, "xray:")
    error_message = "by default no X-Ray tracing and no X-Ray permission"
  }
}

run "database_and_functions_opted_in" {
  command = apply
  variables {
    database_enabled             = true
    database_multi_az            = true
    database_monitoring_interval = 60
    database_kms_key_arn         = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    log_kms_key_arn              = "arn:aws:kms:us-east-1:123456789012:key/66666666-7777-8888-9999-000000000000"
    functions = {
      api = {
        s3_bucket       = "builds"
        s3_key          = "api.zip"
        handler         = "index.handler"
        table_access    = { orders = ["dynamodb:GetItem"] }
        database_access = true
        tracing_mode    = "Active"
      }
    }
  }
  assert {
    condition     = aws_db_instance.this[0].multi_az && aws_db_instance.this[0].monitoring_interval == 60 && aws_db_instance.this[0].monitoring_role_arn == aws_iam_role.database_monitoring[0].arn
    error_message = "Multi-AZ, and enhanced monitoring every 60 s through the monitoring role"
  }
  assert {
    condition     = aws_iam_role_policy_attachment.database_monitoring[0].policy_arn == "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
    error_message = "the monitoring role has AWS's managed policy for RDS enhanced monitoring"
  }
  assert {
    condition     = aws_db_instance.this[0].kms_key_id == var.database_kms_key_arn && aws_db_instance.this[0].performance_insights_kms_key_id == var.database_kms_key_arn
    error_message = "the key of yours encrypts the storage and Performance Insights"
  }
  assert {
    condition     = aws_cloudwatch_log_group.function_log_group["api"].kms_key_id == var.log_kms_key_arn && aws_cloudwatch_log_group.database_postgresql[0].kms_key_id == var.log_kms_key_arn
    error_message = "log_kms_key_arn encrypts the function's and the database's log groups"
  }
  assert {
    condition     = aws_lambda_function.function["api"].tracing_config[0].mode == "Active" && strcontains(aws_iam_role_policy.function_policy["api"].policy, "xray:PutTraceSegments")
    error_message = "tracing_mode Active: traced, and the role may write traces"
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

# A grant on one index: exactly <table arn>/index/<name> (not the table, not index/*); a grant on
# the table keeps the table and, for Query/Scan, index/*; the endpoint policy has both.
# A table's grant reads the autoscaled resource as well.
run "index_grant" {
  command = apply
  variables {
    tables = {
      orders = {
        hash_key                 = "id"
        global_secondary_indexes = { byCustomer = { hash_key = "customerId" } }
      }
      events = {
        hash_key       = "id"
        billing_mode   = "PROVISIONED"
        read_capacity  = 1
        write_capacity = 1
        autoscaling    = { read_min_capacity = 1, read_max_capacity = 5, write_min_capacity = 1, write_max_capacity = 5 }
      }
    }
    functions = {
      api = {
        s3_bucket    = "builds"
        s3_key       = "api.zip"
        handler      = "index.handler"
        table_access = { "orders/index/byCustomer" = ["dynamodb:Query"], orders = ["dynamodb:GetItem"], events = ["dynamodb:PutItem"] }
      }
    }
  }
  assert {
    condition = join(",", [
      for s in jsondecode(aws_iam_role_policy.function_policy["api"].policy).Statement : join("|", s.Resource)
      if contains(s.Action, "dynamodb:Query")
    ]) == "arn:aws:dynamodb:us-east-1:123456789012:table/mock/index/byCustomer"
    error_message = "the Query grant names the index only (the GetItem grant on its table is a statement of its own)"
  }
  assert {
    condition = join(",", [
      for s in jsondecode(aws_vpc_endpoint.dynamodb.policy).Statement : join("|", s.Resource)
    ]) == "arn:aws:dynamodb:us-east-1:123456789012:table/mock|arn:aws:dynamodb:us-east-1:123456789012:table/mock/index/*|arn:aws:dynamodb:us-east-1:123456789012:table/mock/index/byCustomer"
    error_message = "the endpoint policy: the table with its indexes for the table grant (events), and the index"
  }
  assert {
    condition     = aws_lambda_function.function["api"].environment[0].variables["ORDERS_TABLE"] == "orders-dev-orders" && aws_lambda_function.function["api"].environment[0].variables["EVENTS_TABLE"] == "orders-dev-events"
    error_message = "an index grant names its table in the environment; an autoscaled table is named too"
  }
  assert {
    condition     = terraform_data.function_table_names["api"].input.table_environment == { EVENTS_TABLE = "orders-dev-events", ORDERS_TABLE = "orders-dev-orders" }
    error_message = "one record per table variable, though the table and its index are both granted"
  }
}
