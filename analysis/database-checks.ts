/**
 * The RDS rules Checkov and Trivy flag on `aws_db_instance` (VLD012-VLD017): deletion
 * protection, automated backups, IAM authentication, log exports, Performance Insights and
 * automatic minor upgrades. Each reads the planned value, or the configuration's when the
 * plan does not know it; a value computed at apply is not reported (nothing to verify yet).
 */
import { Finding, finding } from './findings';
import { SECURITY_CHECKS } from './security-checks';
import { TerraformGraph, TfInstance } from './terraform-graph';

/** The log types a PostgreSQL instance can export; `postgresql` is the one a review asks for. */
const REQUIRED_LOG_EXPORT: Record<string, string> = { postgres: 'postgresql', mysql: 'error', mariadb: 'error' };

/** Engines RDS IAM authentication exists for (Oracle and SQL Server have none). */
const IAM_AUTH_ENGINES = /^(aurora-)?(postgres(ql)?|mysql|mariadb)$/;

/** True when the attribute is set by an expression the plan does not know yet. */
function computed(graph: TerraformGraph, db: TfInstance, path: string): boolean {
  return graph.argumentUnknown(db, path);
}

/** Runs VLD012-VLD017 on every DB instance (read replicas keep no backups of their own). */
export function databaseFindings(graph: TerraformGraph): Finding[] {
  const c = SECURITY_CHECKS;
  const out: Finding[] = [];
  for (const db of graph.instancesOf('aws_db_instance')) {
    const value = (path: string) => graph.argumentValue(db, path);
    if (value('deletion_protection') !== true && !computed(graph, db, 'deletion_protection')) {
      out.push(finding(c.rdsDeletionProtection, db.address, 'deletion_protection is not true: one `terraform destroy` or replacement deletes the instance'));
    }
    const replica = graph.raw(db, 'replicate_source_db') !== undefined;
    const backups = value('backup_retention_period');
    if (!replica && !computed(graph, db, 'backup_retention_period') && (backups === 0 || backups === undefined)) {
      out.push(finding(c.rdsBackups, db.address, backups === 0 ? 'backup_retention_period = 0: no automated backups, no point-in-time restore' : 'backup_retention_period is not set'));
    }
    const engine = String(value('engine') ?? '');
    if (IAM_AUTH_ENGINES.test(engine) && value('iam_database_authentication_enabled') !== true && !computed(graph, db, 'iam_database_authentication_enabled')) {
      out.push(finding(c.rdsIamAuth, db.address, 'iam_database_authentication_enabled is not true: clients need a stored password'));
    }
    const exports = value('enabled_cloudwatch_logs_exports');
    const wanted = REQUIRED_LOG_EXPORT[engine.replace(/^aurora-/, '')];
    const list = Array.isArray(exports) ? exports.map(String) : [];
    if (!computed(graph, db, 'enabled_cloudwatch_logs_exports') && (list.length === 0 || (wanted !== undefined && !list.includes(wanted)))) {
      out.push(finding(c.rdsLogExports, db.address, list.length === 0 ? 'enabled_cloudwatch_logs_exports is empty: the database logs stay on the instance' : `enabled_cloudwatch_logs_exports lacks "${wanted}"`));
    }
    if (value('performance_insights_enabled') !== true && !computed(graph, db, 'performance_insights_enabled')) {
      out.push(finding(c.rdsPerformanceInsights, db.address, 'performance_insights_enabled is not true'));
    }
    if (value('auto_minor_version_upgrade') === false) {
      out.push(finding(c.rdsMinorUpgrades, db.address, 'auto_minor_version_upgrade = false: minor (security) releases wait for someone to apply them'));
    }
  }
  return out;
}
