output "function_names" {
  description = "The deployed functions, by key."
  value       = module.vpc_lambda_dynamodb.function_names
}

output "dynamodb_endpoint_id" {
  description = "The gateway endpoint the functions reach DynamoDB through."
  value       = module.vpc_lambda_dynamodb.dynamodb_endpoint_id
}
