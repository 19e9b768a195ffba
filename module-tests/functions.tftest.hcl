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
    defaults = {
      arn        = "arn:aws:dynamodb:us-east-1:123456789012:table/mock"
      stream_arn = "arn:aws:dynamodb:us-east-1:123456789012:table/mock/stream/2026-01-01T00:00:00.000"
    }
  }
  mock_resource "aws_sqs_queue" {
    defaults = { arn = "arn:aws:sqs:us-east-1:123456789012:mock" }
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

# A function with a Python zip, a layer, an extra statement, a managed policy, provisioned
# concurrency and a URL, and a container-image function consuming a table's stream.
run "function_additions" {
  command = apply
  variables {
    tables = {
      orders = { hash_key = "id", stream_view_type = "NEW_IMAGE" }
    }
    functions = {
      api = {
        s3_bucket               = "builds"
        s3_key                  = "api.zip"
        handler                 = "app.handler"
        runtime                 = "python3.13"
        layers                  = ["arn:aws:lambda:us-east-1:123456789012:layer:shared:3"]
        table_access            = { orders = ["dynamodb:GetItem"] }
        managed_policy_arns     = ["arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"]
        provisioned_concurrency = 2
        function_url            = {}
        policy_statements = {
          ReadDbSecret = {
            actions   = ["secretsmanager:GetSecretValue"]
            resources = ["arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"]
          }
        }
      }
      projector = {
        image_uri             = "123456789012.dkr.ecr.us-east-1.amazonaws.com/projector:1.4.0"
        stream_from           = "orders"
        failure_queue_enabled = true
      }
    }
  }
  assert {
    condition     = aws_lambda_function.function["api"].runtime == "python3.13" && join(",", aws_lambda_function.function["api"].layers) == "arn:aws:lambda:us-east-1:123456789012:layer:shared:3"
    error_message = "a prebuilt zip runs on the runtime given, with its layers"
  }
  assert {
    condition     = aws_lambda_function.function["projector"].package_type == "Image" && aws_lambda_function.function["projector"].handler == null && aws_lambda_function.function["projector"].runtime == null
    error_message = "an image function has package_type Image and no handler or runtime"
  }
  assert {
    condition     = jsondecode(aws_iam_role_policy.function_declared_policy["api"].policy).Statement[0].Sid == "ReadDbSecret" && length(aws_iam_role_policy.function_declared_policy) == 1
    error_message = "the declared statement is its own inline policy, only for the function that declares one"
  }
  assert {
    condition     = join(",", keys(aws_iam_role_policy_attachment.function_managed_policy)) == "api arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"
    error_message = "one attachment per function and managed policy"
  }
  assert {
    condition     = aws_lambda_function.function["api"].publish && !aws_lambda_function.function["projector"].publish && aws_lambda_alias.function_alias["api"].name == "live" && length(aws_lambda_alias.function_alias) == 1
    error_message = "provisioned concurrency publishes versions and points the alias live at the latest"
  }
  assert {
    condition     = aws_lambda_provisioned_concurrency_config.function_provisioned_concurrency["api"].provisioned_concurrent_executions == 2 && aws_lambda_provisioned_concurrency_config.function_provisioned_concurrency["api"].qualifier == "live"
    error_message = "provisioned concurrency on the alias"
  }
  assert {
    condition     = aws_lambda_function_url.function_url["api"].authorization_type == "AWS_IAM" && aws_lambda_function_url.function_url["api"].qualifier == "live" && join(",", keys(output.function_urls)) == "api"
    error_message = "a function URL is AWS_IAM by default, on the alias when there is one"
  }
  assert {
    condition     = aws_lambda_event_source_mapping.function_stream["projector"].event_source_arn == aws_dynamodb_table.table["orders"].stream_arn && aws_lambda_event_source_mapping.function_stream["projector"].destination_config[0].on_failure[0].destination_arn == aws_sqs_queue.function_failure_queue["projector"].arn
    error_message = "stream_from maps the table's stream to the function; failed batches go to its failure queue"
  }
  assert {
    condition = one([
      for s in jsondecode(aws_iam_role_policy.function_policy["projector"].policy).Statement : join(",", s.Resource) if try(s.Sid, "") == "ReadTableStream"
    ]) == "${aws_dynamodb_table.table["orders"].arn}/stream/*"
    error_message = "the stream consumer may read that table's stream and nothing else"
  }
  assert {
    condition     = !strcontains(aws_iam_role_policy.function_policy["api"].policy, "stream")
    error_message = "a function without stream_from gets no stream read"
  }
  assert {
    condition     = join(",", keys(output.function_alias_arns)) == "api" && join(",", sort(keys(output.function_invoke_arns))) == "api,projector" && output.function_role_names["api"] == "orders-dev-api-role"
    error_message = "the alias, invoke ARN and role name outputs are keyed by function"
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
