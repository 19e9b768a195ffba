import { Fn, Token } from 'cdktf';
import { ConfigError } from '../private/config-error';
import { PolicyStatement, policyJson } from '../private/iam-statements';
import { isLiteral } from '../private/tokens';

/**
 * What a DynamoDB gateway endpoint lets through. A value, not a switch: `open()` keeps AWS's
 * default, `allowTables()` names tables and actions, `fromDocument()` takes a document built
 * elsewhere (the published module builds one from its variables at plan).
 */
export abstract class EndpointPolicy {
  /** AWS's default endpoint policy (full access); every principal's IAM policy still limits. */
  static open(): EndpointPolicy {
    return new OpenPolicy();
  }

  /**
   * Only these actions, only on these tables and their indexes. The arrays are read when the
   * stack synthesizes, so a caller may keep adding to them (grants made after construction).
   * Either may be a Terraform expression.
   */
  static allowTables(tableArns: string[], actions: string[]): EndpointPolicy {
    return new TablesPolicy(tableArns, actions);
  }

  /** A policy document: a JSON string, or a Terraform expression giving one (null keeps AWS's default). */
  static fromDocument(document: string): EndpointPolicy {
    return new DocumentPolicy(document);
  }

  /** The endpoint's `policy` argument; undefined keeps AWS's default. */
  abstract document(): string | undefined;
}

class OpenPolicy extends EndpointPolicy {
  document(): string | undefined {
    return undefined;
  }
}

class DocumentPolicy extends EndpointPolicy {
  constructor(private readonly json: string) {
    super();
  }
  document(): string {
    return this.json;
  }
}

class TablesPolicy extends EndpointPolicy {
  constructor(
    private readonly tableArns: string[],
    private readonly actions: string[],
  ) {
    super();
  }

  document(): string {
    // Checked when the document is produced: the lists may be filled after construction.
    const statement = (resources: string[]): PolicyStatement => ({ Sid: 'SystemTablesOnly', Effect: 'Allow', Principal: '*', Action: this.actions, Resource: resources });
    if (isLiteral(this.tableArns) && isLiteral(this.actions)) {
      return policyJson(() => {
        validate(this.tableArns, this.actions);
        return [statement(this.tableArns.flatMap((arn) => [arn, `${arn}/index/*`]))];
      });
    }
    // A list that is itself a Terraform expression cannot be spelled out here: jsonencode it.
    const arns = isLiteral(this.tableArns) ? this.tableArns.flatMap((arn) => [arn, `${arn}/index/*`]) : Token.asList(Fn.concat([this.tableArns, Fn.formatlist('%s/index/*', [this.tableArns])]));
    return Fn.jsonencode({ Version: '2012-10-17', Statement: [statement(arns)] });
  }
}

function validate(tableArns: string[], actions: string[]): void {
  if (actions.length === 0) {
    throw new ConfigError('endpointPolicy.actions', 'is empty; list the DynamoDB actions the functions use');
  }
  const bad = actions.filter((a) => isLiteral(a) && !/^dynamodb:[A-Za-z]+$/.test(a));
  if (bad.length > 0) {
    throw new ConfigError('endpointPolicy.actions', `${bad.join(', ')}: expected named DynamoDB actions like dynamodb:GetItem, no wildcards`);
  }
  if (tableArns.length === 0) {
    throw new ConfigError('endpointPolicy.tableArns', 'is empty; list the tables reachable through the endpoint');
  }
}
