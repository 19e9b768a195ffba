# The whole system in a new VPC: two private subnets, the DynamoDB gateway endpoint,
# flow logs, both functions, both tables and a private PostgreSQL. No NAT: $0 fixed network cost.
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
  region = "us-east-1"
  default_tags {
    tags = {
      Project     = "orders"
      Environment = "dev"
    }
  }
}

module "vpc_lambda_dynamodb" {
  source = "../.."

  name_prefix        = "orders-dev"
  region             = "us-east-1"
  availability_zones = ["us-east-1a", "us-east-1b"]
  vpc_cidr           = "10.20.0.0/16"

  function_memory_size          = 512
  function_reserved_concurrency = 10
}

output "function_names" {
  description = "The deployed functions."
  value       = module.vpc_lambda_dynamodb.function_names
}

output "dynamodb_endpoint_id" {
  description = "The gateway endpoint the functions reach DynamoDB through."
  value       = module.vpc_lambda_dynamodb.dynamodb_endpoint_id
}
