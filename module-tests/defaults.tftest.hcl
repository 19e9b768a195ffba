# The module with every default, applied against a mocked AWS provider: no credentials,
# no network, nothing created. Run from the module folder: terraform init && terraform test

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

run "defaults" {
  command = apply

  assert {
    condition     = length(output.private_subnet_ids) == 2 && length(output.private_route_table_ids) == 2
    error_message = "a private subnet and route table per default availability zone"
  }
  assert {
    condition     = output.nat_gateway_ids == [] && output.public_subnet_ids == []
    error_message = "no NAT by default"
  }
  assert {
    condition     = output.flow_log_id != null && output.flow_log_group_name == "/aws/vpc/flow-logs/vpc-lambda-dynamodb"
    error_message = "flow logs on by default"
  }
  assert {
    condition     = output.function_names == {} && output.table_names == {}
    error_message = "no functions and no tables unless given"
  }
  assert {
    condition     = output.database_endpoint == null && output.database_security_group_id == null
    error_message = "no database by default"
  }
  assert {
    condition     = aws_vpc_endpoint.dynamodb.vpc_endpoint_type == "Gateway" && aws_vpc_endpoint.dynamodb.service_name == "com.amazonaws.us-east-1.dynamodb"
    error_message = "the DynamoDB gateway endpoint in the region"
  }
  assert {
    condition     = length(aws_vpc_endpoint.dynamodb.route_table_ids) == 2
    error_message = "the endpoint is on every private route table"
  }
}

# flow_log_format = "v5": the default fields, then those that tell a gateway-endpoint path from
# a NAT one (verify --evidence flow-logs reads them). The default leaves log_format unset, so the
# flow log keeps AWS's own format.
run "flow_log_format_v5" {
  command = plan

  variables {
    flow_log_format = "v5"
  }

  assert {
    condition     = aws_flow_log.this[0].log_format == "$${version} $${account-id} $${interface-id} $${srcaddr} $${dstaddr} $${srcport} $${dstport} $${protocol} $${packets} $${bytes} $${start} $${end} $${action} $${log-status} $${pkt-srcaddr} $${pkt-dstaddr} $${pkt-dst-aws-service} $${flow-direction} $${traffic-path}"
    error_message = "v5: the 14 default fields, then pkt-srcaddr, pkt-dstaddr, pkt-dst-aws-service, flow-direction, traffic-path"
  }
}

# A table with indexes: every key attribute defined once (the table's, then the indexes'),
# typed by attributes, else S; projections ALL unless given.
run "table_with_indexes" {
  command = plan

  variables {
    tables = {
      orders = {
        hash_key   = "pk"
        range_key  = "sk"
        attributes = { placedAt = "N" }
        global_secondary_indexes = {
          byCustomer = { hash_key = "customerId", range_key = "placedAt" }
          byStatus   = { hash_key = "status", projection_type = "INCLUDE", non_key_attributes = ["total"] }
        }
        local_secondary_indexes = { byPlacedAt = { range_key = "placedAt", projection_type = "KEYS_ONLY" } }
      }
    }
  }

  assert {
    condition     = join(",", sort([for a in aws_dynamodb_table.table["orders"].attribute : "${a.name}:${a.type}"])) == "customerId:S,pk:S,placedAt:N,sk:S,status:S"
    error_message = "each key attribute once: the table's, the indexes' (placedAt N from attributes, the rest S)"
  }
  assert {
    condition     = join(",", sort([for i in aws_dynamodb_table.table["orders"].global_secondary_index : "${i.name}:${i.hash_key}:${i.projection_type}"])) == "byCustomer:customerId:ALL,byStatus:status:INCLUDE"
    error_message = "the global indexes by name, projection ALL unless given"
  }
  assert {
    condition     = [for i in aws_dynamodb_table.table["orders"].local_secondary_index : "${i.name}:${i.range_key}:${i.projection_type}"] == ["byPlacedAt:placedAt:KEYS_ONLY"]
    error_message = "the local index with its own sort key"
  }
}

# Billing: on demand by default; PROVISIONED with the table's and each global index's capacity;
# autoscaling moves the table to aws_dynamodb_table.autoscaled (capacity left to Auto Scaling)
# with a target and a target-tracking policy per direction for the table and each global index.
# table_class and the table's tags (merged over the module's) on either resource.
run "table_billing_and_autoscaling" {
  command = plan

  variables {
    tags = { env = "dev" }
    tables = {
      ondemand = { hash_key = "pk" }
      fixed    = { hash_key = "pk", billing_mode = "PROVISIONED", read_capacity = 3, write_capacity = 1 }
      events = {
        hash_key       = "pk"
        billing_mode   = "PROVISIONED"
        read_capacity  = 5
        write_capacity = 5
        table_class    = "STANDARD_INFREQUENT_ACCESS"
        tags           = { team = "orders", env = "test" }
        global_secondary_indexes = {
          byType = { hash_key = "type", read_capacity = 2, write_capacity = 1 }
        }
        autoscaling = { read_min_capacity = 5, read_max_capacity = 50, write_min_capacity = 2, write_max_capacity = 20 }
      }
    }
  }

  assert {
    condition     = join(",", sort(keys(aws_dynamodb_table.table))) == "fixed,ondemand" && join(",", keys(aws_dynamodb_table.autoscaled)) == "events"
    error_message = "a table with autoscaling is aws_dynamodb_table.autoscaled, the others aws_dynamodb_table.table"
  }
  assert {
    condition     = aws_dynamodb_table.table["ondemand"].billing_mode == "PAY_PER_REQUEST" && aws_dynamodb_table.table["ondemand"].table_class == "STANDARD"
    error_message = "on demand and STANDARD by default"
  }
  assert {
    condition     = aws_dynamodb_table.table["fixed"].billing_mode == "PROVISIONED" && aws_dynamodb_table.table["fixed"].read_capacity == 3 && aws_dynamodb_table.table["fixed"].write_capacity == 1
    error_message = "PROVISIONED without autoscaling: the given capacity, managed by Terraform"
  }
  assert {
    condition     = aws_dynamodb_table.autoscaled["events"].read_capacity == 5 && aws_dynamodb_table.autoscaled["events"].table_class == "STANDARD_INFREQUENT_ACCESS"
    error_message = "the autoscaled table starts at its capacity, in its table class"
  }
  assert {
    condition     = join(",", [for i in aws_dynamodb_table.autoscaled["events"].global_secondary_index : "${i.name}:${i.read_capacity}:${i.write_capacity}"]) == "byType:2:1"
    error_message = "a global index of a PROVISIONED table has its own capacity"
  }
  assert {
    condition     = join(",", sort(keys(aws_appautoscaling_target.table_capacity))) == "events/index/byType/read,events/index/byType/write,events/read,events/write"
    error_message = "one scalable target per direction for the table and its global index"
  }
  assert {
    condition = (
      aws_appautoscaling_target.table_capacity["events/index/byType/read"].resource_id == "table/${var.name_prefix}-events/index/byType"
      && aws_appautoscaling_target.table_capacity["events/index/byType/read"].scalable_dimension == "dynamodb:index:ReadCapacityUnits"
      && aws_appautoscaling_target.table_capacity["events/write"].resource_id == "table/${var.name_prefix}-events"
      && aws_appautoscaling_target.table_capacity["events/write"].scalable_dimension == "dynamodb:table:WriteCapacityUnits"
      && aws_appautoscaling_target.table_capacity["events/write"].min_capacity == 2
      && aws_appautoscaling_target.table_capacity["events/write"].max_capacity == 20
    )
    error_message = "targets name the table or its index, the dimension, and the direction's bounds"
  }
  assert {
    condition = (
      aws_appautoscaling_policy.table_capacity_policy["events/read"].policy_type == "TargetTrackingScaling"
      && aws_appautoscaling_policy.table_capacity_policy["events/read"].target_tracking_scaling_policy_configuration[0].target_value == 70
      && aws_appautoscaling_policy.table_capacity_policy["events/read"].target_tracking_scaling_policy_configuration[0].predefined_metric_specification[0].predefined_metric_type == "DynamoDBReadCapacityUtilization"
    )
    error_message = "target tracking on DynamoDB's utilization metric, 70% by default"
  }
  assert {
    condition     = aws_dynamodb_table.autoscaled["events"].tags["team"] == "orders" && aws_dynamodb_table.autoscaled["events"].tags["env"] == "test" && aws_dynamodb_table.table["fixed"].tags["env"] == "dev"
    error_message = "a table's tags merge over the module's"
  }
  assert {
    condition     = join(",", sort(keys(output.table_names))) == "events,fixed,ondemand" && output.table_names["events"] == "${var.name_prefix}-events"
    error_message = "the outputs name every table, autoscaled or not"
  }
}
