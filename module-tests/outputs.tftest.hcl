# Each output over the inputs that switch its thing on and off: null (or empty) when off,
# never a name for something that does not exist.

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
  mock_resource "aws_vpc" {
    defaults = { owner_id = "123456789012" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
}

run "flow_logs_off" {
  command = apply
  variables {
    flow_logs_enabled = false
  }
  assert {
    condition     = output.flow_log_id == null && output.flow_log_group_name == null
    error_message = "flow logs off: flow_log_id and flow_log_group_name are null"
  }
}

run "flow_logs_on" {
  command = apply
  variables {
    flow_logs_enabled = true
  }
  assert {
    condition     = output.flow_log_id != null && output.flow_log_group_name == "/aws/vpc/flow-logs/vpc-lambda-dynamodb"
    error_message = "flow logs on: the flow log and its log group"
  }
}

run "one_table_and_function" {
  command = apply
  variables {
    tables = { orders = { hash_key = "id" } }
    functions = {
      api = {
        s3_bucket    = "builds"
        s3_key       = "api.zip"
        handler      = "index.handler"
        table_access = { orders = ["dynamodb:GetItem"] }
      }
    }
  }
  assert {
    condition     = keys(output.table_names) == ["orders"] && keys(output.table_arns) == ["orders"]
    error_message = "table outputs keyed by the table's key"
  }
  assert {
    condition     = keys(output.function_names) == ["api"] && keys(output.function_arns) == ["api"] && keys(output.function_role_arns) == ["api"] && keys(output.function_log_group_names) == ["api"] && keys(output.lambda_security_group_ids) == ["api"]
    error_message = "function outputs keyed by the function's key"
  }
  assert {
    condition     = output.database_endpoint == null && output.database_security_group_id == null
    error_message = "no database unless asked for"
  }
}
