import { evaluateLiteral, graphFromPlan, graphFromStack, interpolations } from '../../analysis/terraform-graph';

describe('terraform graph: links from interpolations and plan references', () => {
  const json = {
    resource: {
      aws_route_table: { private: { count: 2 } },
      aws_nat_gateway: { nat: { count: 1 } },
      aws_route: { nat: { count: 2, route_table_id: '${element(aws_route_table.private[*].id, count.index)}', nat_gateway_id: '${element(aws_nat_gateway.nat[*].id, count.index)}' } },
      aws_subnet: { private: { count: 2, availability_zone: '${element(["us-east-1a", "us-east-1b"], count.index)}' } },
      aws_route_table_association: { a: { count: 2, subnet_id: '${aws_subnet.private[count.index].id}', route_table_id: '${aws_route_table.private[count.index].id}' } },
      aws_vpc_endpoint: { e: { route_table_ids: '${aws_route_table.private[*].id}' } },
      aws_lambda_function: { f: { vpc_config: { subnet_ids: ['subnet-0abc', '${aws_subnet.private[1].id}'] } } },
    },
  };
  const graph = graphFromStack(json);
  const [route0, route1] = graph.instancesOf('aws_route');

  test('count.index picks the same index; element() wraps around; [*] is every instance', () => {
    expect(graph.resolve(route1, 'route_table_id').instances.map((i) => i.address)).toEqual(['aws_route_table.private[1]']);
    expect(graph.resolve(route1, 'nat_gateway_id').instances.map((i) => i.address)).toEqual(['aws_nat_gateway.nat[0]']);
    expect(graph.resolve(route0, 'route_table_id').instances.map((i) => i.address)).toEqual(['aws_route_table.private[0]']);
    const [endpoint] = graph.instancesOf('aws_vpc_endpoint');
    expect(graph.resolve(endpoint, 'route_table_ids').instances).toHaveLength(2);
  });

  test('literal ids and a constant index in one list; nested blocks by dotted path', () => {
    const [fn] = graph.instancesOf('aws_lambda_function');
    const resolved = graph.resolve(fn, 'vpc_config.subnet_ids');
    expect(resolved.literals).toEqual(['subnet-0abc']);
    expect(resolved.instances.map((i) => i.address)).toEqual(['aws_subnet.private[1]']);
  });

  test('element() over a literal list evaluates per instance', () => {
    expect(graph.instancesOf('aws_subnet').map((s) => graph.value(s, 'availability_zone'))).toEqual(['us-east-1a', 'us-east-1b']);
    expect(evaluateLiteral('${aws_vpc.x.id}')).toBeUndefined();
    expect(interpolations('a ${try(format("%s", x), "")} b ${y}')).toEqual(['try(format("%s", x), "")', 'y']);
  });

  test('an HCL plan (references only, no template strings) links the same way', () => {
    const plan = {
      format_version: '1.2',
      configuration: {
        root_module: {
          module_calls: {
            system: {
              module: {
                resources: [
                  { address: 'aws_route_table.private', mode: 'managed', type: 'aws_route_table', name: 'private', expressions: {} },
                  { address: 'aws_vpc_endpoint.e', mode: 'managed', type: 'aws_vpc_endpoint', name: 'e', expressions: { route_table_ids: { references: ['aws_route_table.private[0].id', 'aws_route_table.private[0]', 'aws_route_table.private'] } } },
                ],
              },
            },
          },
        },
      },
      resource_changes: [0, 1].map((index) => ({ address: `module.system.aws_route_table.private[${index}]`, module_address: 'module.system', mode: 'managed', type: 'aws_route_table', name: 'private', index, change: { actions: ['create'], after: {} } })).concat([
        { address: 'module.system.aws_vpc_endpoint.e', module_address: 'module.system', mode: 'managed', type: 'aws_vpc_endpoint', name: 'e', index: undefined as never, change: { actions: ['create'], after: { vpc_endpoint_type: 'Gateway' } } },
      ]),
    };
    const g = graphFromPlan(plan);
    const [endpoint] = g.instancesOf('aws_vpc_endpoint');
    expect(endpoint.address).toBe('module.system.aws_vpc_endpoint.e');
    expect(g.resolve(endpoint, 'route_table_ids').instances.map((i) => i.address)).toEqual(['module.system.aws_route_table.private[0]']);
  });
});
