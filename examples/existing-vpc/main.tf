# Adopt a VPC made elsewhere: the module creates no VPC, subnets or route tables. It
# attaches the DynamoDB gateway endpoint to the given private route tables and runs the
# functions in the given private subnets. Replace the ids with your own.
terraform {
  required_version = ">= 1.9.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.51, < 6.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

module "vpc_lambda_dynamodb" {
  source = "../.."

  name_prefix        = "payments"
  region             = "eu-west-1"
  availability_zones = ["eu-west-1a", "eu-west-1b"]

  existing_vpc_id                  = "vpc-0a1b2c3d4e5f60718"
  existing_private_subnet_ids      = ["subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719"]
  existing_private_route_table_ids = ["rtb-0a1b2c3d4e5f60718", "rtb-0a1b2c3d4e5f60719"]
  account_id                       = "123456789012"

  # The adopted VPC already has its PostgreSQL: wire it instead of creating one. The module
  # opens 5432 from user-activity into its security group; IAM auth needs its resource id.
  existing_database = {
    security_group_id = "sg-0a1b2c3d4e5f60718"
    host              = "payments.c1a2b3c4d5e6.eu-west-1.rds.amazonaws.com"
    database_name     = "payments"
    resource_id       = "db-ABCDEFGHIJKLMNOPQRSTUVWXY2"
    instance_arn      = "arn:aws:rds:eu-west-1:123456789012:db:payments"
  }
}

output "private_route_table_ids" {
  description = "The route tables the endpoint is attached to."
  value       = module.vpc_lambda_dynamodb.private_route_table_ids
}
