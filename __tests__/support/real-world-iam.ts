import { RealWorldCase, SOUND_ABSENT } from './real-world-network';

/**
 * The IAM set of the second real-world fixtures (__tests__/fixtures/real-world-2/iam): role
 * and endpoint policies as other teams write them, with the verdict `npm run check` must
 * reach on each variant. The harness (variants, planning, reading the verdict) is in
 * real-world-network.ts.
 */

/** The accepted wildcard of case 10: the test passes it as `--skip`, so the run is judged on reachability. */
const ACCEPT_WILDCARD = ['--skip', 'VLD003=the team grants the whole table on purpose (fixture of case 10)'];

export const IAM_CASES: readonly RealWorldCase[] = [
  {
    id: 8,
    fixture: 'iam/lambda-policy-statements',
    title: 'terraform-aws-modules lambda with attach_policy_statements + policy_statements',
    variants: [
      {
        name: 'sound',
        about: "each function's statement grants its own table",
        expect: { exit: 0, verified: ['shop-audit-writer', 'shop-orders-api'], absent: SOUND_ABSENT },
      },
      {
        name: 'statement-other-table',
        about: "orders-api's statement grants the audit table; its environment names the orders table",
        edits: [{ kind: 'replace', pattern: /= \[.*\]/, with: '= [aws_dynamodb_table.audit.arn]' }],
        expect: { exit: 1, present: ['VLD103'], absent: ['VLD108', 'VLD109'], verified: ['shop-audit-writer'], failing: ['shop-orders-api'] },
      },
    ],
  },
  {
    id: 9,
    fixture: 'iam/jsonencode-apply-time-arn',
    title: 'jsonencode role policy whose Resource is a table ARN known only at apply',
    variants: [
      { name: 'sound', about: 'Resource = the orders table the function names', expect: { exit: 0, verified: ['checkout'], absent: SOUND_ABSENT } },
      {
        name: 'wrong-table',
        about: 'Resource = the sessions table: the function cannot use orders (an error, not "reachable with a warning")',
        edits: [{ kind: 'replace', pattern: /aws_dynamodb_table\.orders\.arn/, with: 'aws_dynamodb_table.sessions.arn' }],
        expect: { exit: 1, present: ['VLD103'], absent: ['VLD108', 'VLD109'], verified: [], failing: ['checkout'] },
      },
    ],
  },
  {
    id: 10,
    fixture: 'iam/broad-grants',
    title: 'dynamodb:* inline and AmazonDynamoDBFullAccess attached; a customer managed policy the plan cannot show',
    variants: [
      {
        name: 'sound',
        about: 'browse: dynamodb:* on its table; search: AmazonDynamoDBFullAccess (both VLD003, accepted with --skip)',
        expect: { exit: 0, present: ['VLD003'], absent: SOUND_ABSENT, verified: ['catalog-browse', 'catalog-search'], args: ACCEPT_WILDCARD },
      },
      {
        name: 'customer-managed-policy-only',
        about: "search's only grant is a customer managed policy ARN (arn:aws:iam::123456789012:policy/...): its document is not in the configuration",
        edits: [{ kind: 'replace', pattern: /"arn:aws:iam::aws:policy\/AmazonDynamoDBFullAccess"/, with: '"arn:aws:iam::123456789012:policy/catalog-products-access"' }],
        // Unverified, not made up: no VLD103 for a policy nobody can read.
        expect: {
          exit: 1,
          present: ['VLD109'],
          absent: ['VLD103'],
          verified: ['catalog-browse'],
          unverified: ['catalog-search'],
          unknownPolicies: ['catalog-search: role'],
          args: ACCEPT_WILDCARD,
        },
      },
    ],
  },
  {
    id: 11,
    fixture: 'iam/endpoint-policy-source-vpc',
    title: 'endpoint policy with a Deny unless aws:SourceVpc is this VPC (StringNotEquals)',
    variants: [
      { name: 'sound', about: 'the condition names aws_vpc.main.id, the VPC the function runs in', expect: { exit: 0, verified: ['billing-invoicer'], absent: SOUND_ABSENT } },
      {
        name: 'account-principal',
        about: "the Allow names this account's root ARN (data.aws_caller_identity) as principal: the function's role is in it",
        edits: [{ kind: 'replace', pattern: /\["\*"\]/, with: '["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]' }],
        expect: { exit: 0, verified: ['billing-invoicer'], absent: SOUND_ABSENT },
      },
      {
        name: 'condition-other-vpc',
        about: 'the condition names another VPC id (copied from another environment): the Deny covers every request',
        edits: [{ kind: 'replace', pattern: /\[aws_vpc\.main\.id\]/, with: '["vpc-0a1b2c3d4e5f67890"]' }],
        expect: { exit: 1, present: ['VLD104'], absent: ['VLD108', 'VLD109'], verified: [], failing: ['billing-invoicer'] },
      },
    ],
  },
  {
    id: 12,
    fixture: 'iam/endpoint-without-policy',
    title: 'gateway endpoint with no policy',
    variants: [
      {
        name: 'sound',
        about: "AWS's default policy (full access): reachable; the missing policy is VLD008, not an unknown (VLD108)",
        expect: { exit: 0, present: ['VLD008'], absent: SOUND_ABSENT, verified: ['tracking-collector'] },
      },
    ],
  },
  {
    id: 13,
    fixture: 'iam/published-module',
    title: "a root calling this repository's published module with its own tables and functions",
    extraModules: ['vpc-lambda-dynamodb'],
    variants: [
      {
        name: 'sound',
        about: 'two functions, two tables, the module grants exactly table_access; roles and endpoint policy read from the module',
        expect: { exit: 0, verified: ['basket-checkout', 'basket-history'], absent: SOUND_ABSENT },
      },
      {
        name: 'deny-put-item',
        about: "the root adds an aws_iam_role_policy on checkout's role (name from the role ARN output) denying dynamodb:PutItem on orders",
        edits: [{ kind: 'add-file', file: 'deny-put-item.tf' }],
        expect: { exit: 1, present: ['VLD103'], absent: ['VLD108', 'VLD109'], verified: ['basket-history'], failing: ['basket-checkout'] },
      },
      {
        name: 'timeout-typo',
        about: 'history says `timout = 60`: Terraform drops the attribute and plans the default timeout; check names it (VLD023)',
        edits: [{ kind: 'replace', pattern: /timeout /, with: 'timout  ' }],
        expect: { exit: 1, present: ['VLD023'], absent: ['VLD103', 'VLD108', 'VLD109'], verified: ['basket-checkout', 'basket-history'] },
      },
    ],
  },
  {
    id: 14,
    fixture: 'iam/published-module-additions',
    title: 'the published module with a Python zip, a layer, a declared statement, a managed policy, provisioned concurrency, a URL and a stream consumer',
    extraModules: ['vpc-lambda-dynamodb'],
    variants: [
      {
        name: 'sound',
        about: "api (python3.13, layer, ReadDbSecret, AWSLambdaBasicExecutionRole, alias live, AWS_IAM URL) and projector (an image reading entries' stream) reach their tables",
        expect: { exit: 0, verified: ['ledger-api', 'ledger-projector'], absent: [...SOUND_ABSENT, 'VLD024'] },
      },
      {
        name: 'public-url',
        about: "api's function URL has auth_type NONE: anyone may invoke it (VLD024)",
        edits: [{ kind: 'replace', pattern: /auth_type = "AWS_IAM"/, with: 'auth_type = "NONE"' }],
        expect: { exit: 0, present: ['VLD024'], absent: SOUND_ABSENT, verified: ['ledger-api', 'ledger-projector'] },
      },
    ],
  },
];
