import { Stack, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CfnPackagingGroup } from 'aws-cdk-lib/aws-mediapackage';
import { Construct } from 'constructs';
import type { IPackagingGroup } from '../packaging-group';
import { vodArn } from '../private/arns';
import { fail, validationProblem } from '../private/errors';
import { BundledProvider, bundledResource, stackProvider } from '../private/providers';
import { MEDIAPACKAGE_SERVICE } from '../private/roles';
import { validateLogGroup, validateSameEnvironment } from '../private/validate';

/** The custom resource type in the template. */
const RESOURCE_TYPE = 'Custom::MediaPackageVodEgressAccessLogs';
/** The stack-unique id of the provider (one function and role per stack, however many groups). */
const PROVIDER_ID = 'Custom::MediaPackageVodAccessLogsProvider';
/** The service-linked role MediaPackage creates when logging is first turned on. */
const SERVICE_LINKED_ROLE_NAME = 'AWSServiceRoleForMediaPackage';

/**
 * Options of egress access logs configured on an existing packaging group (`IPackagingGroup.configureEgressAccessLogs`).
 */
export interface PackagingGroupAccessLogsOptions {
  /**
   * The CloudWatch log group MediaPackage writes the egress access logs to.
   *
   * MediaPackage writes through its service-linked role AWSServiceRoleForMediaPackage, which may write only to log
   * groups named `/aws/MediaPackage/...`: the name must match `/aws/MediaPackage/[0-9a-zA-Z-_/.#]+` (checked when known;
   * a log group created in this app must be given such a `logGroupName`). The log group is never deleted by this
   * construct.
   *
   * @default - the service's default log group: ConfigureLogs is sent with `egressAccessLogs: {}` and no name, and
   * MediaPackage picks the group (documented as /aws/MediaPackage/EgressAccessLogs; read `logGroupName` for the name
   * the service reports)
   */
  readonly logGroup?: logs.ILogGroup;

  /**
   * Encrypt the log group of the library's ConfigureLogs function (its own operational logs: one function and log group
   * per stack, shared by every PackagingGroupAccessLogs of the stack, which must then give the same key) with this KMS
   * key. Not the key of the egress access logs' `logGroup`, which is yours. A key of this app gets the key policy
   * statement CloudWatch Logs needs; the policy of an imported key must allow `logs.<region>.amazonaws.com`.
   *
   * @default - CloudWatch Logs encrypts the function's logs with its own key
   */
  readonly logEncryptionKey?: kms.IKey;
}

/**
 * Properties of `PackagingGroupAccessLogs`.
 */
export interface PackagingGroupAccessLogsProps extends PackagingGroupAccessLogsOptions {
  /**
   * The packaging group whose egress access logs to turn on, typically one this app does not create
   * (`PackagingGroup.fromPackagingGroupId`). It must be in the stack's account and Region.
   */
  readonly packagingGroup: IPackagingGroup;
}

/**
 * Egress access logs of a packaging group, turned on with the MediaPackage VOD ConfigureLogs API from a custom resource:
 * for a group this app does not own (for a group created here, prefer `PackagingGroupProps.egressAccessLogs`).
 *
 * - Create and update turn logging on (to `logGroup`, or the service's default group). Moving the resource to another
 *   packaging group turns logging off on the old group.
 * - Delete turns logging off (ConfigureLogs without egress access logs); the log group is kept. Deleting it when the
 *   group no longer exists succeeds.
 * - Throttling and server errors are retried with backoff; other errors fail the deployment with the service's message.
 *
 * All such resources of a stack share one provider function, whose role may call `mediapackage-vod:ConfigureLogs` on
 * the stack's packaging groups and create MediaPackage's service-linked role (which MediaPackage creates when logging
 * is first turned on).
 *
 * One group takes one such resource: two would overwrite each other, and deleting either turns logging off. Changing
 * this construct's id or path replaces the resource, and the Delete of the old one runs after the Create of the new
 * one and turns logging off: keep the id stable (or deploy once more).
 */
export class PackagingGroupAccessLogs extends Construct {
  /** The packaging group whose egress access logs are configured. */
  public readonly packagingGroup: IPackagingGroup;

  /**
   * The log group given in the props.
   *
   * @default - undefined: the service's default log group is used (see `logGroupName`)
   */
  public readonly logGroup?: logs.ILogGroup;

  /**
   * The name of the log group MediaPackage writes to, as the service reports it after ConfigureLogs (the default
   * group's name when no `logGroup` was given; the given name, or empty, if the service does not report one).
   *
   * @attribute
   */
  public readonly logGroupName: string;

  constructor(scope: Construct, id: string, props: PackagingGroupAccessLogsProps) {
    super(scope, id);
    this.packagingGroup = props.packagingGroup;
    this.logGroup = props.logGroup;
    const stack = Stack.of(this);

    validateSameEnvironment(this, 'packagingGroup', props.packagingGroup, 'ConfigureLogs is called from the stack');
    const logGroupName = props.logGroup?.logGroupName;
    validateLogGroup(this, 'logGroup.logGroupName', props.logGroup);
    claimGroup(this, props.packagingGroup, stack);

    const resource = bundledResource(this, 'Resource', providerOf(this, stack, props.logEncryptionKey), {
      resourceType: RESOURCE_TYPE,
      properties: {
        PackagingGroupId: props.packagingGroup.packagingGroupId,
        // Absent for the service's default group: the handler then sends `egressAccessLogs: {}`.
        LogGroupName: logGroupName,
      },
    });
    this.logGroupName = resource.getAttString('LogGroupName');

    this.node.addValidation({
      validate: () => {
        // A group created here that also sets egress access logs itself: two writers of one setting.
        const cfn = props.packagingGroup.node.defaultChild;
        if (cfn instanceof CfnPackagingGroup && cfn.egressAccessLogs !== undefined) {
          return [validationProblem('packagingGroup', 'already configures egress access logs (PackagingGroupProps.egressAccessLogs); '
            + 'configure them in one place only', props.packagingGroup.node.path)];
        }
        return [];
      },
    });
  }
}

/** Which construct configures which group, per stack (a known id, or the group object when its id is a Token). */
const claims = new WeakMap<Stack, Map<unknown, string>>();

/** Fails when another PackagingGroupAccessLogs of this stack already configures the group. */
function claimGroup(scope: Construct, group: IPackagingGroup, stack: Stack): void {
  let stackClaims = claims.get(stack);
  if (!stackClaims) {
    stackClaims = new Map();
    claims.set(stack, stackClaims);
  }
  const key = Token.isUnresolved(group.packagingGroupId) ? group : group.packagingGroupId;
  const other = stackClaims.get(key);
  if (other !== undefined) {
    fail(scope, 'packagingGroup', `already has egress access logs configured by ${other}: one group takes one `
      + 'PackagingGroupAccessLogs (two would overwrite each other, and deleting either turns logging off)', group.packagingGroupId);
  }
  stackClaims.set(key, scope.node.path);
}

/**
 * The stack's provider: one Lambda function and role for all PackagingGroupAccessLogs of the stack.
 */
function providerOf(owner: Construct, stack: Stack, logEncryptionKey: kms.IKey | undefined): BundledProvider {
  return stackProvider(owner, PROVIDER_ID, {
    entry: 'access-logs/handler',
    logEncryptionKey,
    description: 'Configures MediaPackage VOD egress access logs (ConfigureLogs) of packaging groups',
    // These statements are fixed when the provider is first created, and shared by every group of the stack. They
    // name a pattern, not one ARN per group, on purpose:
    // - the policy stays the same size however many groups the stack configures (IAM's 10,240-byte limit);
    // - a per-group list would drop a group's ARN from the role in the same deployment that removes its resource, and
    //   CloudFormation deletes removed resources (the ConfigureLogs that turns logging off) only after it has updated
    //   the role: that Delete would be denied. The pattern keeps it allowed.
    // It covers the packaging groups of the stack's account and Region only.
    policyStatements: [
      {
        Effect: 'Allow',
        Action: 'mediapackage-vod:ConfigureLogs',
        Resource: vodArn(stack, 'packaging-groups', '*'),
      },
      {
        // Turning logging on creates MediaPackage's service-linked role if the account does not have it yet; the caller
        // of ConfigureLogs needs this permission for that (the role itself writes the logs, so the caller needs no logs:*).
        Effect: 'Allow',
        Action: 'iam:CreateServiceLinkedRole',
        Resource: stack.formatArn({
          service: 'iam',
          region: '',
          resource: 'role',
          resourceName: `aws-service-role/${MEDIAPACKAGE_SERVICE}/${SERVICE_LINKED_ROLE_NAME}`,
        }),
        Condition: { StringEquals: { 'iam:AWSServiceName': MEDIAPACKAGE_SERVICE } },
      },
    ],
  });
}
