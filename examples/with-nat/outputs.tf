output "nat_gateway_ids" {
  description = "The NAT gateway (one, shared by both AZs)."
  value       = module.vpc_lambda_dynamodb.nat_gateway_ids
}
