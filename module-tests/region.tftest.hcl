# The region and zones come from the caller's AWS provider: data "aws_region" names the
# DynamoDB service and the flow-log trust, data "aws_availability_zones" gives the zones when
# none are given. Here the provider is in eu-west-1 (mocked: no credentials, no network).

mock_provider "aws" {
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:mock" }
  }
  mock_resource "aws_vpc" {
    defaults = { owner_id = "123456789012" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  # Unsorted, as an account may list them: the module takes the first N by name.
  mock_data "aws_availability_zones" {
    defaults = { names = ["eu-west-1c", "eu-west-1a", "eu-west-1b"] }
  }
}

run "zones_from_the_region" {
  command = apply

  assert {
    condition     = aws_vpc_endpoint.dynamodb.service_name == "com.amazonaws.eu-west-1.dynamodb"
    error_message = "the DynamoDB service of the provider's region"
  }
  assert {
    condition     = aws_subnet.private[*].availability_zone == ["eu-west-1a", "eu-west-1b"]
    error_message = "no zones given: the region's first two zones by name"
  }
  assert {
    condition     = strcontains(aws_iam_role.flow_logs[0].assume_role_policy, "arn:aws:ec2:eu-west-1:123456789012:vpc-flow-log/*")
    error_message = "the flow-log trust names the provider's region"
  }
}

run "max_availability_zones" {
  command = plan
  variables {
    max_availability_zones = 3
  }
  assert {
    condition     = length(aws_subnet.private) == 3 && aws_subnet.private[2].availability_zone == "eu-west-1c"
    error_message = "max_availability_zones = 3 takes three of the region's zones"
  }
}

run "zones_given" {
  command = plan
  variables {
    availability_zones = ["eu-west-1b", "eu-west-1c"]
    region             = "eu-west-1"
  }
  assert {
    condition     = aws_subnet.private[*].availability_zone == ["eu-west-1b", "eu-west-1c"]
    error_message = "given zones are used as given; region matching the provider passes"
  }
}

run "zone_of_another_region" {
  command = plan
  variables {
    availability_zones = ["eu-west-1a", "us-east-1b"]
  }
  expect_failures = [var.availability_zones]
}

run "region_not_the_providers" {
  command = plan
  variables {
    region = "us-east-1"
  }
  expect_failures = [var.region]
}
