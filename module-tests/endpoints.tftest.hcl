# The endpoints: the S3 gateway endpoint (on by default, off, on an adopted VPC), its policy
# from the functions' bucket_access, and interface endpoints with their security group.

# The caller's provider in us-east-1, as data "aws_region" and "aws_availability_zones" read it.
mock_provider "aws" {
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:mock" }
  }
  mock_resource "aws_vpc" {
    defaults = { owner_id = "123456789012" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { name = "us-east-1" }
  }
  mock_data "aws_availability_zones" {
    defaults = { names = ["us-east-1a", "us-east-1b", "us-east-1c"] }
  }
}

variables {
  name_prefix = "orders-dev"
  functions = {
    api = {
      s3_bucket = "builds"
      s3_key    = "api.zip"
      handler   = "index.handler"
    }
    worker = {
      s3_bucket = "builds"
      s3_key    = "worker.zip"
      handler   = "index.handler"
    }
  }
}

run "s3_endpoint_by_default_allows_nothing_without_bucket_access" {
  command = apply
  assert {
    condition     = length(aws_vpc_endpoint.s3) == 1 && aws_vpc_endpoint.s3[0].service_name == "com.amazonaws.us-east-1.s3"
    error_message = "a created VPC gets the S3 gateway endpoint by default"
  }
  assert {
    condition     = aws_vpc_endpoint.s3[0].vpc_endpoint_type == "Gateway" && length(aws_vpc_endpoint.s3[0].route_table_ids) == 2
    error_message = "a gateway endpoint on every private route table (one per AZ)"
  }
  assert {
    condition     = jsondecode(aws_vpc_endpoint.s3[0].policy).Statement[0].Effect == "Deny" && jsondecode(aws_vpc_endpoint.s3[0].policy).Statement[0].Sid == "NoBucketAccessDeclared"
    error_message = "no bucket_access declared: the S3 endpoint policy allows nothing"
  }
  assert {
    condition     = length(aws_iam_role_policy.function_bucket_policy) == 0 && length(aws_vpc_security_group_egress_rule.function_s3_https) == 0
    error_message = "no function declares bucket access: no bucket policy, no S3 egress"
  }
  assert {
    condition     = length(aws_vpc_endpoint.interface) == 0 && length(aws_security_group.endpoints) == 0 && length(aws_vpc_security_group_egress_rule.function_endpoints_https) == 0
    error_message = "no interface endpoints by default"
  }
}

run "s3_endpoint_off" {
  command = apply
  variables {
    s3_gateway_endpoint = false
  }
  assert {
    condition     = length(aws_vpc_endpoint.s3) == 0 && length(aws_vpc_endpoint.dynamodb.route_table_ids) == 2
    error_message = "s3_gateway_endpoint = false: no S3 endpoint, the DynamoDB one unchanged"
  }
}

run "bucket_access" {
  command = plan
  variables {
    functions = {
      api = {
        s3_bucket     = "builds"
        s3_key        = "api.zip"
        handler       = "index.handler"
        bucket_access = { "arn:aws:s3:::orders-uploads" = ["s3:GetObject", "s3:ListBucket", "s3:PutObject"] }
      }
      worker = {
        s3_bucket     = "builds"
        s3_key        = "worker.zip"
        handler       = "index.handler"
        bucket_access = { "arn:aws:s3:::orders-reports" = ["s3:GetObject"] }
      }
      plain = {
        s3_bucket = "builds"
        s3_key    = "plain.zip"
        handler   = "index.handler"
      }
    }
  }
  assert {
    condition     = join(",", keys(aws_iam_role_policy.function_bucket_policy)) == "api,worker"
    error_message = "a bucket policy only for the functions that declare bucket_access"
  }
  assert {
    condition = (
      jsonencode(jsondecode(aws_iam_role_policy.function_bucket_policy["api"].policy).Statement) ==
      jsonencode([
        { Effect = "Allow", Action = ["s3:ListBucket"], Resource = ["arn:aws:s3:::orders-uploads"] },
        { Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject"], Resource = ["arn:aws:s3:::orders-uploads/*"] },
      ])
    )
    error_message = "bucket-level actions on the bucket, object actions on its objects, nothing else"
  }
  assert {
    condition = (
      jsonencode(jsondecode(aws_iam_role_policy.function_bucket_policy["worker"].policy).Statement) ==
      jsonencode([{ Effect = "Allow", Action = ["s3:GetObject"], Resource = ["arn:aws:s3:::orders-reports/*"] }])
    )
    error_message = "object actions only: one statement on the objects"
  }
  assert {
    condition = (
      jsonencode(jsondecode(aws_vpc_endpoint.s3[0].policy).Statement) ==
      jsonencode([{
        Sid       = "SystemBucketsOnly"
        Effect    = "Allow"
        Principal = "*"
        Action    = ["s3:GetObject", "s3:ListBucket", "s3:PutObject"]
        Resource  = ["arn:aws:s3:::orders-reports", "arn:aws:s3:::orders-reports/*", "arn:aws:s3:::orders-uploads", "arn:aws:s3:::orders-uploads/*"]
      }])
    )
    error_message = "the S3 endpoint policy is exactly the union of the declared actions on the declared buckets and their objects"
  }
  assert {
    condition     = join(",", keys(aws_vpc_security_group_egress_rule.function_s3_https)) == "api,worker"
    error_message = "443 to the S3 prefix list only for the functions with bucket access"
  }
  assert {
    condition     = aws_vpc_security_group_egress_rule.function_s3_https["api"].from_port == 443 && aws_vpc_security_group_egress_rule.function_s3_https["api"].cidr_ipv4 == null
    error_message = "the S3 egress is 443 to a prefix list, never a CIDR"
  }
}

run "bucket_access_open_policy" {
  command = plan
  variables {
    endpoint_policy = "open"
    functions = {
      api = {
        s3_bucket     = "builds"
        s3_key        = "api.zip"
        handler       = "index.handler"
        bucket_access = { "arn:aws:s3:::orders-uploads" = ["s3:GetObject"] }
      }
    }
  }
  assert {
    # The policy left out is AWS's default, computed (unknown at plan); the grants stay exact.
    condition     = length(aws_vpc_endpoint.s3) == 1 && join(",", keys(aws_iam_role_policy.function_bucket_policy)) == "api"
    error_message = "endpoint_policy = open: the S3 endpoint stays, the role still gets only the declared grant"
  }
}

run "interface_endpoints" {
  command = apply
  variables {
    interface_endpoints = ["secretsmanager", "sqs"]
  }
  assert {
    condition     = join(",", sort([for e in aws_vpc_endpoint.interface : e.service_name])) == "com.amazonaws.us-east-1.secretsmanager,com.amazonaws.us-east-1.sqs"
    error_message = "one interface endpoint per service, in the provider's region"
  }
  assert {
    condition     = alltrue([for e in aws_vpc_endpoint.interface : e.vpc_endpoint_type == "Interface" && e.private_dns_enabled && length(e.subnet_ids) == 2])
    error_message = "Interface type, private DNS on, in every private subnet"
  }
  assert {
    condition     = aws_security_group.endpoints[0].name == "orders-dev-endpoints" && length(aws_security_group.endpoints[0].ingress) == 0
    error_message = "one shared group <name_prefix>-endpoints with no inline rules"
  }
  assert {
    condition = (
      join(",", keys(aws_vpc_security_group_ingress_rule.endpoints_from_function)) == "api,worker" &&
      alltrue([for r in aws_vpc_security_group_ingress_rule.endpoints_from_function : r.from_port == 443 && r.to_port == 443 && r.cidr_ipv4 == null])
    )
    error_message = "443 into the endpoints' group from each function's group, one rule per function, no CIDR"
  }
  assert {
    condition     = join(",", keys(aws_vpc_security_group_egress_rule.function_endpoints_https)) == "api,worker"
    error_message = "each function's group gets 443 out to the endpoints' group"
  }
}

run "adopted_vpc_keeps_its_s3_path" {
  command = plan
  variables {
    existing_vpc_id                  = "vpc-0123456789abcdef0"
    existing_private_subnet_ids      = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
    existing_private_route_table_ids = ["rtb-0123456789abcdef0", "rtb-0123456789abcdef1"]
    account_id                       = "123456789012"
  }
  assert {
    condition     = length(aws_vpc_endpoint.s3) == 0
    error_message = "an adopted VPC: no S3 endpoint unless asked for (its route tables carry other workloads' S3 traffic)"
  }
}

run "adopted_vpc_s3_endpoint_asked_for" {
  command = plan
  variables {
    existing_vpc_id                  = "vpc-0123456789abcdef0"
    existing_private_subnet_ids      = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
    existing_private_route_table_ids = ["rtb-0123456789abcdef0", "rtb-0123456789abcdef1"]
    account_id                       = "123456789012"
    s3_gateway_endpoint              = true
  }
  assert {
    condition     = join(",", aws_vpc_endpoint.s3[0].route_table_ids) == "rtb-0123456789abcdef0,rtb-0123456789abcdef1"
    error_message = "s3_gateway_endpoint = true attaches it to the adopted route tables"
  }
}
