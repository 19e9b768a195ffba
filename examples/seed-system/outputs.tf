output "function_names" {
  description = "The deployed functions, by key."
  value       = module.vpc_lambda_dynamodb.function_names
}

output "table_names" {
  description = "The tables, by key."
  value       = module.vpc_lambda_dynamodb.table_names
}

output "database_endpoint" {
  description = "The PostgreSQL host user-activity connects to."
  value       = module.vpc_lambda_dynamodb.database_endpoint
}
