# Adopt a VPC made elsewhere: the module creates no VPC, subnets or route tables. It
# attaches the DynamoDB gateway endpoint to the given private route tables, runs the function
# in the given private subnets, wires the VPC's existing PostgreSQL and grants access to a
# table made elsewhere by its ARN. Replace the ids with your own.
provider "aws" {
  region = "eu-west-1"
}

module "vpc_lambda_dynamodb" {
  source = "../.."

  name_prefix = "payments"

  existing_vpc_id                  = "vpc-0a1b2c3d4e5f60718"
  existing_private_subnet_ids      = ["subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719"]
  existing_private_route_table_ids = ["rtb-0a1b2c3d4e5f60718", "rtb-0a1b2c3d4e5f60719"]
  account_id                       = "123456789012"

  functions = {
    # Reads users from the existing PostgreSQL, records payments in an existing table.
    ledger = {
      filename        = "${path.module}/../../assets/user-activity.zip"
      handler         = "index.handler"
      database_access = true
      table_access = {
        "arn:aws:dynamodb:eu-west-1:123456789012:table/payments-ledger" = ["dynamodb:PutItem", "dynamodb:GetItem"]
      }
    }
  }

  # The adopted VPC already has its PostgreSQL: wire it instead of creating one. The module
  # opens 5432 from ledger into its security group; IAM auth needs its resource id.
  database_enabled = true
  existing_database = {
    security_group_id = "sg-0a1b2c3d4e5f60718"
    host              = "payments.c1a2b3c4d5e6.eu-west-1.rds.amazonaws.com"
    database_name     = "payments"
    resource_id       = "db-ABCDEFGHIJKLMNOPQRSTUVWXY2"
    instance_arn      = "arn:aws:rds:eu-west-1:123456789012:db:payments"
  }
}
