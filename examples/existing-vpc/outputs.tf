output "private_route_table_ids" {
  description = "The route tables the endpoint is attached to."
  value       = module.vpc_lambda_dynamodb.private_route_table_ids
}
