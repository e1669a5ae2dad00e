import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { validateLogGroup } from '../private/validate';

/**
 * What egress access logging renders to.
 * @internal
 */
export interface _EgressAccessLogsConfig {
  /**
   * The log group name, or undefined for the service's default group.
   *
   * @default - the service's default log group
   */
  readonly logGroupName?: string;
}

/**
 * Egress access logs of a packaging group, written by MediaPackage's service-linked role to a log group whose name
 * starts with `/aws/MediaPackage/`.
 */
export abstract class EgressAccessLogs {
  /**
   * Write the logs to `logGroup`; its name must match `/aws/MediaPackage/[0-9a-zA-Z-_/.#]+` (checked when known).
   */
  public static toLogGroup(logGroup: logs.ILogGroup): EgressAccessLogs {
    return new LogGroupEgressAccessLogs(logGroup);
  }

  /**
   * Write the logs to the service's default log group (MediaPackage picks its name; documented as
   * /aws/MediaPackage/EgressAccessLogs).
   */
  public static toDefaultLogGroup(): EgressAccessLogs {
    return new LogGroupEgressAccessLogs(undefined);
  }

  /** The log group, when one was given. */
  public abstract readonly logGroup?: logs.ILogGroup;

  /**
   * Validates and renders.
   * @internal
   */
  public abstract _bind(scope: Construct, propertyPath: string): _EgressAccessLogsConfig;
}

class LogGroupEgressAccessLogs extends EgressAccessLogs {
  constructor(public readonly logGroup: logs.ILogGroup | undefined) {
    super();
  }

  public _bind(scope: Construct, propertyPath: string): _EgressAccessLogsConfig {
    validateLogGroup(scope, `${propertyPath}.logGroupName`, this.logGroup);
    return { logGroupName: this.logGroup?.logGroupName };
  }
}
