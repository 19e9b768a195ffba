import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init, planJson, terraform, writeOfflineProvider } from '../../scripts/terraform-offline';
import { createdByType, plannedOf } from '../support/plan';
import { publishedModule } from '../support/synth';
import { database, PLAN_REJECTIONS, routeTables, subnets, tableArn, vpcId } from '../support/rejected-inputs';
import { describeWithTerraform, expectEndpointOnEveryPrivateRouteTable, expectOk } from '../support/terraform';



const badValues = PLAN_REJECTIONS;

describeWithTerraform('the module envelope: choices switch at plan, validations reject bad values', (tool) => {
  let moduleDir: string;
  beforeAll(async () => {
    moduleDir = await publishedModule();
  });

  test('variables switch resources at plan time: one module source, called six times and with for_each, no synth', () => {
    const root = mkdtempSync(join(tmpdir(), 'vld-root-'));
    writeOfflineProvider(root);
    const adopted = { existing_vpc_id: vpcId, existing_private_subnet_ids: subnets, existing_private_route_table_ids: routeTables, account_id: '123456789012' };
    writeFileSync(
      join(root, 'main.tf.json'),
      JSON.stringify({
        module: {
          nat_none: { source: moduleDir, name_prefix: 'nat-none', nat_mode: 'none' },
          nat_single: { source: moduleDir, name_prefix: 'nat-single', nat_mode: 'single' },
          nat_per_az: { source: moduleDir, name_prefix: 'nat-per-az', nat_mode: 'per-az' },
          adopted: { source: moduleDir, name_prefix: 'adopted', ...adopted },
          existing_data: {
            source: moduleDir,
            name_prefix: 'existing-data',
            create_tables: false,
            existing_tables: { products: { name: 'products', arn: tableArn('products') }, user_activity: { name: 'user-activity', arn: tableArn('user-activity') } },
            existing_database: database,
            endpoint_policy: 'open',
          },
          // No provider block inside is what makes for_each (and count) legal on the module.
          per_env: { source: moduleDir, for_each: '${toset(["dev", "prod"])}', name_prefix: 'env-${each.key}', database_enabled: false },
        },
      }),
    );
    expectOk(init(tool(), root), 'terraform init');
    expectOk(terraform(tool(), root, ['validate']), 'terraform validate');
    const run = planJson(tool(), root);
    expectOk(run, 'terraform plan');
    const plan = run.plan!;
    const createdIn = (call: string) => createdByType({ ...plan, resource_changes: (plan.resource_changes ?? []).filter((c) => c.module_address === `module.${call}`) });

    const expected = { nat_none: 0, nat_single: 1, nat_per_az: 2 } as const;
    for (const [call, gateways] of Object.entries(expected)) {
      const created = createdIn(call);
      expect([call, created.aws_nat_gateway ?? 0, created.aws_eip ?? 0]).toEqual([call, gateways, gateways]);
      expect([call, created.aws_internet_gateway ?? 0]).toEqual([call, gateways > 0 ? 1 : 0]);
      const defaultRoutes = plannedOf(plan, 'aws_route').filter((r) => r.address.startsWith(`module.${call}.`) && r.address.includes('private_nat_route'));
      expect([call, defaultRoutes.length]).toEqual([call, gateways > 0 ? 2 : 0]);
      expect([call, created.aws_vpc_endpoint]).toEqual([call, 1]);
    }
    expectEndpointOnEveryPrivateRouteTable(plan);

    const adoptedCreated = createdIn('adopted');
    expect(adoptedCreated.aws_vpc).toBeUndefined();
    expect(adoptedCreated.aws_subnet).toBeUndefined();
    expect(adoptedCreated.aws_route_table).toBeUndefined();
    const endpoint = plannedOf(plan, 'aws_vpc_endpoint').find((e) => e.address.startsWith('module.adopted.'))!;
    expect(endpoint.after.vpc_id).toBe(vpcId);
    expect(endpoint.after.route_table_ids).toEqual(routeTables);

    // Existing tables and database: none created, the functions told their names and host,
    // 5432 opened into the given security group.
    const existingData = createdIn('existing_data');
    expect([existingData.aws_dynamodb_table, existingData.aws_db_instance, existingData.aws_lambda_function]).toEqual([undefined, undefined, 2]);
    const envOf = (name: string) => (plannedOf(plan, 'aws_lambda_function').find((f) => f.address === `module.existing_data.aws_lambda_function.${name}`)!.after.environment as Array<{ variables: Record<string, string> }>)[0].variables;
    expect(envOf('system_products_function').PRODUCTS_TABLE).toBe('products');
    expect(envOf('system_user_activity_function')).toMatchObject({ USER_ACTIVITY_TABLE: 'user-activity', DB_HOST: database.host, DB_AUTH: 'iam' });
    const ingress = plannedOf(plan, 'aws_vpc_security_group_ingress_rule').filter((r) => r.address.startsWith('module.existing_data.'));
    expect(ingress.map((r) => [r.after.security_group_id, r.after.from_port])).toEqual([[database.security_group_id, 5432]]);

    // for_each: one full system per key.
    for (const key of ['dev', 'prod']) {
      const created = createdIn(`per_env["${key}"]`);
      expect([key, created.aws_vpc, created.aws_lambda_function, created.aws_db_instance]).toEqual([key, 1, 2, undefined]);
    }
  });

  type Diagnostic = { severity: string; detail?: string; summary: string; snippet?: { context?: string } };

  /** Error details per module call, from `validate -json` (one document) or `plan -json` (a stream of lines). */
  function errorsByCall(diagnostics: Diagnostic[]): Map<string, string[]> {
    const byCall = new Map<string, string[]>();
    for (const d of diagnostics.filter((x) => x.severity === 'error')) {
      // The call is named by the snippet, or, for a defaulted variable, by the module's install path.
      const call =
        /^module[. ]"?([a-z0-9_]+)"?$/.exec(d.snippet?.context ?? '')?.[1] ??
        /\.terraform\/modules\/([a-z0-9_]+)\//.exec(d.detail ?? '')?.[1] ??
        '(outside any module call)';
      byCall.set(call, [...(byCall.get(call) ?? []), d.detail ?? d.summary]);
    }
    return byCall;
  }

  function rootCalling(cases: typeof badValues): string {
    const root = mkdtempSync(join(tmpdir(), 'vld-bad-'));
    writeOfflineProvider(root);
    const modules: Record<string, Record<string, unknown>> = { defaults: { source: moduleDir } };
    for (const [name, args] of cases) modules[name] = { source: moduleDir, ...args };
    writeFileSync(join(root, 'main.tf.json'), JSON.stringify({ module: modules }));
    expectOk(init(tool(), root), 'terraform init');
    return root;
  }

  function expectEachRejected(cases: typeof badValues, errors: Map<string, string[]>): void {
    expect(errors.get('defaults')).toBeUndefined();
    for (const [name, , message] of cases) {
      expect([name, (errors.get(name) ?? []).some((e) => e.includes(message))]).toEqual([name, true]);
    }
    // Nothing else failed: every error belongs to one of the bad calls.
    expect([...errors.keys()].sort()).toEqual(cases.map(([name]) => name).sort());
  }

  test('validate: each single-variable validation rejects its bad value with its message, defaults pass', () => {
    const cases = badValues.filter((c) => c[3] === 'validate');
    const run = terraform(tool(), rootCalling(cases), ['validate', '-json']);
    expect(run.ok).toBe(false);
    expectEachRejected(cases, errorsByCall((JSON.parse(run.stdout) as { diagnostics: Diagnostic[] }).diagnostics));
  });

  test('plan: each cross-variable validation rejects its bad value with its message, defaults pass', () => {
    const cases = badValues.filter((c) => c[3] === 'plan');
    const root = rootCalling(cases);
    expectOk(terraform(tool(), root, ['validate']), 'terraform validate (cross-variable checks wait for plan)');
    const run = terraform(tool(), root, ['plan', '-json', '-input=false', '-lock=false']);
    expect(run.ok).toBe(false);
    const diagnostics = run.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { type: string; diagnostic?: Diagnostic })
      .filter((m) => m.type === 'diagnostic')
      .map((m) => m.diagnostic!);
    expectEachRejected(cases, errorsByCall(diagnostics));
  });
});
