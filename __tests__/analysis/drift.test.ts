import { analyze } from '../../analysis/analyze';
import { reachabilityDrift } from '../../analysis/drift';
import { renderMarkdown } from '../../analysis/markdown';
import { renderText } from '../../analysis/report';
import { graphFromPlan, PlanInput } from '../../analysis/terraform-graph';

/** What `terraform plan -refresh-only` records when someone changed the account by hand. */
const drift = [
  // The endpoint detached from one route table in the console.
  { address: 'aws_vpc_endpoint.dynamodb', mode: 'managed', type: 'aws_vpc_endpoint', change: { actions: ['update'], before: { id: 'vpce-1', route_table_ids: ['rtb-a', 'rtb-b'], tags_all: { a: '1' } }, after: { id: 'vpce-1', route_table_ids: ['rtb-a'], tags_all: { a: '2' } } } },
  // A rule deleted.
  { address: 'aws_vpc_security_group_egress_rule.https', mode: 'managed', type: 'aws_vpc_security_group_egress_rule', change: { actions: ['delete'], before: { id: 'sgr-1' }, after: null } },
  // Not about reachability: a log group's retention; a data source.
  { address: 'aws_cloudwatch_log_group.fn', mode: 'managed', type: 'aws_cloudwatch_log_group', change: { actions: ['update'], before: { retention_in_days: 30 }, after: { retention_in_days: 7 } } },
  { address: 'data.aws_vpc.main', mode: 'data', type: 'aws_vpc', change: { actions: ['update'], before: { id: 'vpc-1' }, after: { id: 'vpc-2' } } },
];

test('drift on reachability resources from a refresh-only plan: what changed, what was deleted; tags and other resources left out', () => {
  expect(reachabilityDrift({ resource_drift: drift })).toEqual([
    { address: 'aws_vpc_endpoint.dynamodb', type: 'aws_vpc_endpoint', attributes: ['route_table_ids'], deleted: false },
    { address: 'aws_vpc_security_group_egress_rule.https', type: 'aws_vpc_security_group_egress_rule', attributes: [], deleted: true },
  ]);
  expect(reachabilityDrift({})).toEqual([]);
});

test('the report says it in text, markdown and JSON', () => {
  const plan: PlanInput = { format_version: '1.2', configuration: { root_module: {} }, resource_changes: [], resource_drift: drift };
  const report = analyze(graphFromPlan(plan));
  expect(report.drift?.map((d) => d.address)).toEqual(['aws_vpc_endpoint.dynamodb', 'aws_vpc_security_group_egress_rule.https']);
  const text = renderText(report);
  expect(text).toContain('Drift since the last apply (refresh-only plan), on what reachability depends on (2):');
  expect(text).toContain('  dynamodb: changed outside Terraform: route_table_ids');
  expect(text).toContain('  https: deleted outside Terraform');
  expect(renderMarkdown(report)).toContain('- `aws_vpc_endpoint.dynamodb`: changed outside Terraform: `route_table_ids`');
});
