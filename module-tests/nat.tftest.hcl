# NAT switched none -> single -> per-az -> none on one state, as a user would change it.

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
  availability_zones = ["us-east-1a", "us-east-1b", "us-east-1c"]
}

run "nat_none" {
  command = apply
  variables {
    nat_mode = "none"
  }
  assert {
    condition     = length(output.nat_gateway_ids) == 0 && length(output.public_subnet_ids) == 0
    error_message = "none: no NAT gateway, no public subnet"
  }
}

run "nat_single" {
  command = apply
  variables {
    nat_mode = "single"
  }
  assert {
    condition     = length(output.nat_gateway_ids) == 1 && length(output.public_subnet_ids) == 1
    error_message = "single: one NAT gateway in one public subnet"
  }
  assert {
    condition     = length(aws_route.private_nat) == 3
    error_message = "single: a default route in each of the 3 private route tables"
  }
}

run "nat_per_az" {
  command = apply
  variables {
    nat_mode = "per-az"
  }
  assert {
    condition     = length(output.nat_gateway_ids) == 3 && length(output.public_subnet_ids) == 3
    error_message = "per-az: a NAT gateway and public subnet per availability zone"
  }
}

run "nat_none_again" {
  command = apply
  variables {
    nat_mode = "none"
  }
  assert {
    condition     = length(output.nat_gateway_ids) == 0 && length(aws_internet_gateway.this) == 0
    error_message = "back to none: the gateways and the internet gateway are gone"
  }
}
