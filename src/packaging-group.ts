import { IResource, Lazy, Resource, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CfnPackagingGroup, IPackagingGroupRef, PackagingGroupReference } from 'aws-cdk-lib/aws-mediapackage';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { PackagingGroupAccessLogs, PackagingGroupAccessLogsOptions } from './access-logs/packaging-group-access-logs';
import { Asset, AssetOptions } from './asset';
import { BucketIngest, BucketIngestOptions } from './ingest/bucket-ingest';
import { PackagingConfiguration, PackagingConfigurationOptions } from './packaging-configuration';
import { idFromVodArn, vodArn } from './private/arns';
import { skipCheckov } from './private/checkov';
import { hostOfDomainNameToken, parseEgressDomain } from './private/egress-domain';
import { fail, warn } from './private/errors';
import { claimFixedId } from './private/fixed-ids';
import { registerGroup } from './private/group-registry';
import { generateId } from './private/ids';
import { aggregateMetric, configurationMetric, VodMetricName } from './private/metrics';
import { newMediaPackageRole } from './private/roles';
import { validateId, validateLogGroup } from './private/validate';

/**
 * A MediaPackage VOD packaging group, created here or imported.
 */
export interface IPackagingGroup extends IResource, IPackagingGroupRef {
  /**
   * The id of the packaging group.
   *
   * @attribute
   */
  readonly packagingGroupId: string;

  /**
   * The ARN of the packaging group.
   *
   * @attribute
   */
  readonly packagingGroupArn: string;

  /**
   * The group's egress domain as MediaPackage returns it (the DomainName attribute): a URL with scheme,
   * `https://<id>.egress.mediapackage-vod.<region>.amazonaws.com`. Egress (playback) URLs start with it.
   *
   * Not a host name: a CDN origin needs `egressDomain`. Throws for an imported group whose domain name was not given.
   *
   * @attribute
   */
  readonly domainName: string;

  /**
   * The bare host of the group's egress domain (`<id>.egress.mediapackage-vod.<region>.amazonaws.com`, no scheme, no
   * path): what a CDN origin points at (see `PackagingGroupOrigin`).
   *
   * For a group created here, CloudFormation derives it from the DomainName attribute (`Fn::Select(2, Fn::Split('/',
   * DomainName))`). Throws for an imported group whose domain name was not given.
   *
   * @attribute
   */
  readonly egressDomain: string;

  /**
   * A CloudWatch metric of this group: the configurations added to it in this app, aggregated.
   *
   * MediaPackage VOD publishes its metrics per packaging configuration (dimension `PackagingConfiguration`) and has no
   * packaging-group dimension, so the group metric is a math expression over its configurations' metrics
   * (SUM for Sum and SampleCount, AVG for Average (unweighted), MIN, MAX). Throws when the group has no configurations.
   *
   * @param metricName one of EgressRequestCount, EgressBytes, EgressResponseTime
   * @param props metric options (statistic, period, label ...)
   */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.IMetric;

  /**
   * Number of egress requests (Sum, per 5 minutes), over the group's configurations.
   */
  metricEgressRequestCount(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;

  /**
   * Bytes sent to clients (Sum, per 5 minutes), over the group's configurations.
   */
  metricEgressBytes(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;

  /**
   * Time to serve a request in milliseconds (Average, per 5 minutes), over the group's configurations.
   */
  metricEgressResponseTime(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;

  /**
   * Add a packaging configuration (an output format) to this group.
   *
   * @param id the construct id, in the scope of this group
   * @param options the configuration
   */
  addPackagingConfiguration(id: string, options: PackagingConfigurationOptions): PackagingConfiguration;

  /**
   * Add an asset to this group: source content in S3 that MediaPackage ingests and serves through the group's
   * packaging configurations.
   *
   * @param id the construct id of the asset, in the scope of this group
   * @param options the asset's source and, optionally, role, id and resource id
   */
  addAsset(id: string, options: AssetOptions): Asset;

  /**
   * Turn on this group's egress access logs with the MediaPackage VOD ConfigureLogs API, from a custom resource: for a
   * group this app does not own (for a group created here, prefer `PackagingGroupProps.egressAccessLogs`).
   *
   * Deleting the resource turns logging off again (the log group is kept). All such resources of a stack share one
   * provider function. The group must be in the stack's account and Region.
   *
   * @param id the construct id, in the scope of this group
   * @param options the log group (default: the service's default log group)
   */
  configureEgressAccessLogs(id: string, options?: PackagingGroupAccessLogsOptions): PackagingGroupAccessLogs;

  /**
   * Ingest a bucket at catalog scale: every object created in `bucket` whose key matches the key patterns becomes an
   * asset of this group, without a deployment (S3 events → EventBridge → SQS → a Lambda function → CreateAsset).
   *
   * @param id the construct id, in the scope of this group
   * @param options the bucket, the key patterns and how to ingest
   */
  addBucketIngest(id: string, options: BucketIngestOptions): BucketIngest;
}

/**
 * Shared implementation of packaging groups created here and imported.
 */
abstract class PackagingGroupBase extends Resource implements IPackagingGroup {
  public abstract readonly packagingGroupId: string;
  public abstract readonly packagingGroupArn: string;
  public abstract readonly domainName: string;
  public abstract readonly egressDomain: string;

  /** The configurations added to this group in this app (src/private/group-registry.ts). */
  private readonly internals = registerGroup(this);

  public get packagingGroupRef(): PackagingGroupReference {
    return { packagingGroupId: this.packagingGroupId, packagingGroupArn: this.packagingGroupArn };
  }

  public addPackagingConfiguration(id: string, options: PackagingConfigurationOptions): PackagingConfiguration {
    return new PackagingConfiguration(this, id, { ...options, packagingGroup: this });
  }

  public addAsset(id: string, options: AssetOptions): Asset {
    return new Asset(this, id, { ...options, packagingGroup: this });
  }

  public configureEgressAccessLogs(id: string, options: PackagingGroupAccessLogsOptions = {}): PackagingGroupAccessLogs {
    return new PackagingGroupAccessLogs(this, id, { ...options, packagingGroup: this });
  }

  public addBucketIngest(id: string, options: BucketIngestOptions): BucketIngest {
    return new BucketIngest(this, id, { ...options, packagingGroup: this });
  }

  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    const configurations = this.internals.configurations;
    if (configurations.length === 0) {
      fail(this, 'metric', 'MediaPackage VOD publishes metrics per packaging configuration only; add a configuration to this '
        + 'group in this app first, or use the configuration\'s metric()', metricName);
    }
    const metrics = configurations.map(c => configurationMetric(this, metricName, c.packagingConfigurationId, props));
    return aggregateMetric(this, metricName, metrics, props);
  }

  public metricEgressRequestCount(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric(VodMetricName.EGRESS_REQUEST_COUNT, props);
  }

  public metricEgressBytes(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric(VodMetricName.EGRESS_BYTES, props);
  }

  public metricEgressResponseTime(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric(VodMetricName.EGRESS_RESPONSE_TIME, props);
  }
}

/**
 * Options of `CdnAuthorization.fromSecret`.
 */
export interface CdnAuthorizationOptions {
  /**
   * The role MediaPackage assumes to read the secret. A given role is used as it is; if it is a mutable role of this
   * app, it is also granted the read (the same as `CdnAuthorization.grantSecretRead`).
   *
   * @default - a role trusted by mediapackage.amazonaws.com that may read only this secret (and decrypt it with its key)
   */
  readonly role?: iam.IRole;

  /**
   * Add an `aws:SourceAccount` condition (this stack's account) to the created role's trust policy.
   *
   * Off by default: it is not confirmed that MediaPackage VOD sends aws:SourceAccount when it assumes the role, and a
   * condition it does not satisfy breaks CDN authorization. Ignored when `role` is given.
   *
   * @default false
   */
  readonly restrictToAccount?: boolean;
}

/**
 * Options of `CdnAuthorization.withGeneratedSecret`.
 */
export interface GeneratedCdnAuthorizationOptions extends CdnAuthorizationOptions {
  /**
   * The name of the secret.
   *
   * @default - a name generated by CloudFormation
   */
  readonly secretName?: string;

  /**
   * Encrypt the generated secret with this KMS key. The role MediaPackage assumes is granted `kms:Decrypt` on it; the
   * principal that deploys a distribution reading the secret (`{{resolve:secretsmanager:...}}`) needs it too.
   *
   * @default - the AWS managed key of Secrets Manager (aws/secretsmanager)
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * What a CDN authorization renders to.
 * @internal
 */
export interface _CdnAuthorizationConfig {
  /** The secret that holds the CDN identifier. */
  readonly secret: secretsmanager.ISecret;
  /** The ARN of the secret that holds the CDN identifier. */
  readonly cdnIdentifierSecretArn: string;
  /** The role MediaPackage assumes to read the secret. */
  readonly role: iam.IRole;
  /** The grant of the secret's read to the role: the group is created after it. */
  readonly grant: iam.Grant;
}

/**
 * CDN authorization: MediaPackage serves only requests that carry the CDN identifier kept in a Secrets Manager secret
 * (header X-MediaPackage-CDNIdentifier). The secret holds JSON `{"MediaPackageCDNIdentifier": "<value>"}` and must be in
 * the same account and Region as the group.
 */
export abstract class CdnAuthorization {
  /**
   * Authorize the CDN with the identifier kept in `secret`.
   */
  public static fromSecret(secret: secretsmanager.ISecret, options: CdnAuthorizationOptions = {}): CdnAuthorization {
    return new SecretCdnAuthorization(secret, options);
  }

  /**
   * Authorize the CDN with an identifier this library generates: a Secrets Manager secret, created in the group's stack
   * (under the group, id `CdnIdentifier`), holding `{"MediaPackageCDNIdentifier": "<36 letters and digits>"}`, and the
   * role MediaPackage assumes to read it. `PackagingGroupOrigin` sends it to MediaPackage; its value never appears in
   * the template.
   */
  public static withGeneratedSecret(options: GeneratedCdnAuthorizationOptions = {}): CdnAuthorization {
    return new GeneratedCdnAuthorization(options);
  }

  /**
   * Grant `grantee` what MediaPackage needs to read the CDN identifier in `secret`: secretsmanager:GetSecretValue,
   * DescribeSecret, ListSecretVersionIds and GetResourcePolicy on that secret; kms:Decrypt on its key if it has one;
   * and, when the grantee is a role, iam:GetRole and iam:PassRole on that role itself.
   */
  public static grantSecretRead(secret: secretsmanager.ISecret, grantee: iam.IGrantable): iam.Grant {
    // Sources: user guide "Secrets Manager access for CDN authorization" (setting-up-create-trust-rel-policy-cdn: the
    // four reads below but GetResourcePolicy, plus ListSecrets, and iam:GetRole/iam:PassRole on the role itself) and the
    // guide's IAM examples page (adds GetResourcePolicy). ListSecrets is left out on purpose: it cannot be scoped to one
    // secret, and design/service-rules.md (newer than that page) records it as not needed.
    let grant = iam.Grant.addToPrincipal({
      grantee,
      actions: [
        'secretsmanager:GetSecretValue',
        'secretsmanager:DescribeSecret',
        'secretsmanager:ListSecretVersionIds',
        'secretsmanager:GetResourcePolicy',
      ],
      // A secret known only by its partial ARN has a 6-character suffix in its full ARN.
      resourceArns: [secret.secretFullArn ?? `${secret.secretArn}-??????`],
    });
    const principal = grantee.grantPrincipal;
    if ('roleArn' in principal && typeof (principal as iam.IRole).roleArn === 'string') {
      grant = grant.combine(iam.Grant.addToPrincipal({
        grantee,
        actions: ['iam:GetRole', 'iam:PassRole'],
        resourceArns: [(principal as iam.IRole).roleArn],
      }));
    }
    secret.encryptionKey?.grantDecrypt(grantee);
    return grant;
  }

  /**
   * The secret that holds the CDN identifier. For `withGeneratedSecret`, known once the authorization is given to a
   * packaging group (also `PackagingGroup.cdnIdentifierSecret`); reading it before throws.
   */
  public abstract readonly secret: secretsmanager.ISecret;

  /**
   * Binds to a group: creates the role if needed.
   * @internal
   */
  public abstract _bind(scope: Construct): _CdnAuthorizationConfig;
}

class SecretCdnAuthorization extends CdnAuthorization {
  private config?: _CdnAuthorizationConfig;

  constructor(public readonly secret: secretsmanager.ISecret, private readonly options: CdnAuthorizationOptions) {
    super();
  }

  public _bind(scope: Construct): _CdnAuthorizationConfig {
    if (!this.config) {
      checkSecretEnvironment(scope, this.secret);
      const role = this.options.role ?? newMediaPackageRole(scope, 'CdnSecretsRole', {
        description: 'Lets MediaPackage VOD read the CDN identifier secret',
        restrictToAccount: this.options.restrictToAccount,
      });
      const grant = CdnAuthorization.grantSecretRead(this.secret, role);
      this.config = { secret: this.secret, cdnIdentifierSecretArn: this.secret.secretArn, role, grant };
    }
    return this.config;
  }
}

/**
 * MediaPackage reads the CDN identifier only from a secret in the group's account and Region (user guide, CDN
 * authorization): fails when both sides are known and differ, also for a secret created in another stack of the app.
 */
function checkSecretEnvironment(scope: Construct, secret: secretsmanager.ISecret): void {
  const group = Stack.of(scope);
  for (const [what, mine, theirs] of [['account', group.account, secret.env.account], ['Region', group.region, secret.env.region]]) {
    if (!Token.isUnresolved(mine) && !Token.isUnresolved(theirs) && mine !== theirs) {
      fail(scope, 'authorization.secret', `MediaPackage reads the CDN identifier only from a secret in the group's ${what} `
        + `(${mine}); this secret is in ${theirs}`, secret.secretArn);
    }
  }
}

class GeneratedCdnAuthorization extends CdnAuthorization {
  private config?: _CdnAuthorizationConfig;

  constructor(private readonly options: GeneratedCdnAuthorizationOptions) {
    super();
  }

  public get secret(): secretsmanager.ISecret {
    if (!this.config) {
      throw new Error('CdnAuthorization.withGeneratedSecret(): the secret is created when the authorization is given to a '
        + 'packaging group; read it there (group.cdnIdentifierSecret)');
    }
    return this.config.secret;
  }

  public _bind(scope: Construct): _CdnAuthorizationConfig {
    if (!this.config) {
      // 36 letters and digits: as long as a UUID (the guide's recommendation), and no character a header value or a
      // dynamic reference could mangle.
      const secret = new secretsmanager.Secret(scope, 'CdnIdentifier', {
        secretName: this.options.secretName,
        description: 'MediaPackage VOD CDN identifier (header X-MediaPackage-CDNIdentifier)',
        encryptionKey: this.options.encryptionKey,
        generateSecretString: {
          secretStringTemplate: '{}',
          generateStringKey: 'MediaPackageCDNIdentifier',
          excludePunctuation: true,
          includeSpace: false,
          passwordLength: 36,
        },
      });
      if (!this.options.encryptionKey) {
        skipCheckov(secret, 'CKV_AWS_149', 'Encrypted with the AWS managed key of Secrets Manager (the default): the value is '
          + 'a CDN identifier, not a credential. Pass encryptionKey for a customer managed KMS key.');
      }
      this.config = new SecretCdnAuthorization(secret, this.options)._bind(scope);
    }
    return this.config;
  }
}

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

/**
 * Properties of a packaging group.
 */
export interface PackagingGroupProps {
  /**
   * The id of the packaging group: 1 to 256 letters, digits, hyphens and underscores. Create-only: changing it replaces
   * the group (and its configurations and assets).
   *
   * @default - generated from the construct path, stable across synths
   */
  readonly packagingGroupId?: string;

  /**
   * Require CDN authorization: MediaPackage serves only requests carrying the identifier kept in a secret.
   *
   * @default - no CDN authorization
   */
  readonly authorization?: CdnAuthorization;

  /**
   * Write egress access logs to CloudWatch Logs.
   *
   * @default - no egress access logs
   */
  readonly egressAccessLogs?: EgressAccessLogs;
}

/**
 * Attributes to import a packaging group.
 */
export interface PackagingGroupAttributes {
  /**
   * The id of the packaging group.
   */
  readonly packagingGroupId: string;

  /**
   * The group's egress domain: its URL as MediaPackage returns it (`https://<id>.egress.mediapackage-vod.<region>.amazonaws.com`)
   * or the bare host. Checked when not a Token; a Token is taken to be the URL.
   *
   * @default - not known: reading `domainName` or `egressDomain` throws
   */
  readonly domainName?: string;
}

/**
 * A MediaPackage VOD packaging group (AWS::MediaPackage::PackagingGroup): the container of packaging configurations
 * and assets, with its own egress domain.
 *
 * @resource AWS::MediaPackage::PackagingGroup
 */
export class PackagingGroup extends PackagingGroupBase {
  /**
   * Import a packaging group by its id.
   */
  public static fromPackagingGroupId(scope: Construct, id: string, packagingGroupId: string): IPackagingGroup {
    return PackagingGroup.fromPackagingGroupAttributes(scope, id, { packagingGroupId });
  }

  /**
   * Import a packaging group by its ARN (`arn:<partition>:mediapackage-vod:<region>:<account>:packaging-groups/<id>`).
   */
  public static fromPackagingGroupArn(scope: Construct, id: string, packagingGroupArn: string): IPackagingGroup {
    return new ImportedPackagingGroup(scope, id, idFromVodArn(scope, 'packagingGroupArn', packagingGroupArn, 'packaging-groups'), packagingGroupArn, undefined);
  }

  /**
   * Import a packaging group by its attributes.
   */
  public static fromPackagingGroupAttributes(scope: Construct, id: string, attrs: PackagingGroupAttributes): IPackagingGroup {
    validateId(scope, 'packagingGroupId', attrs.packagingGroupId);
    return new ImportedPackagingGroup(scope, id, attrs.packagingGroupId, undefined, attrs.domainName);
  }

  public readonly packagingGroupId: string;
  public readonly packagingGroupArn: string;
  public readonly domainName: string;
  public readonly egressDomain: string;

  /**
   * The secret that holds the CDN identifier (header X-MediaPackage-CDNIdentifier), the given or the generated one.
   *
   * @default - undefined when the group has no CDN authorization
   */
  public readonly cdnIdentifierSecret?: secretsmanager.ISecret;

  /**
   * The role MediaPackage assumes to read the CDN authorization secret.
   *
   * @default - undefined when the group has no CDN authorization
   */
  public readonly cdnAuthorizationRole?: iam.IRole;

  /** The underlying CloudFormation resource. */
  public readonly resource: CfnPackagingGroup;

  constructor(scope: Construct, id: string, props: PackagingGroupProps = {}) {
    super(scope, id, { physicalName: props.packagingGroupId });
    validateId(this, 'packagingGroupId', props.packagingGroupId);
    claimFixedId(this, 'packagingGroupId', 'packaging group', props.packagingGroupId);

    const authorization = props.authorization?._bind(this);
    this.cdnAuthorizationRole = authorization?.role;
    this.cdnIdentifierSecret = authorization?.secret;
    const accessLogs = props.egressAccessLogs?._bind(this, 'egressAccessLogs');

    this.resource = new CfnPackagingGroup(this, 'Resource', {
      id: props.packagingGroupId ?? Lazy.string({ produce: () => generateId(this) }),
      authorization: authorization && {
        cdnIdentifierSecret: authorization.cdnIdentifierSecretArn,
        secretsRoleArn: authorization.role.roleArn,
      },
      egressAccessLogs: accessLogs,
    });
    // The role must be able to read the secret by the time the group exists.
    authorization?.grant.applyBefore(this.resource);

    this.packagingGroupId = this.getResourceNameAttribute(this.resource.ref);
    this.packagingGroupArn = this.getResourceArnAttribute(this.resource.attrArn, {
      service: 'mediapackage-vod', resource: 'packaging-groups', resourceName: this.physicalName,
    });
    this.domainName = this.resource.attrDomainName;
    this.egressDomain = hostOfDomainNameToken(this.resource.attrDomainName);

    this.node.addValidation({
      validate: () => {
        if (this.resource.tags.hasTags()) {
          warn(this, 'TagsReplaceGroup', 'tags', 'tags of a packaging group are create-only: a later tag change replaces the '
            + 'group, and the replacement fails because the id stays the same ("already exists"). Change the id together '
            + 'with the tags, or set tags only at creation.');
        }
        return [];
      },
    });
  }
}

class ImportedPackagingGroup extends PackagingGroupBase {
  public readonly packagingGroupId: string;
  public readonly packagingGroupArn: string;
  private readonly _egress?: { readonly domainName: string; readonly egressDomain: string };

  constructor(scope: Construct, id: string, packagingGroupId: string, arn: string | undefined, domainName: string | undefined) {
    super(scope, id, { environmentFromArn: arn });
    this.packagingGroupId = packagingGroupId;
    this.packagingGroupArn = arn ?? vodArn(this, 'packaging-groups', packagingGroupId);
    this._egress = domainName === undefined ? undefined : parseEgressDomain(this, 'domainName', domainName);
  }

  public get domainName(): string {
    return this.egress('domainName').domainName;
  }

  public get egressDomain(): string {
    return this.egress('egressDomain').egressDomain;
  }

  private egress(attribute: string): { readonly domainName: string; readonly egressDomain: string } {
    if (this._egress === undefined) {
      fail(this, attribute, 'not known for this imported packaging group: import it with fromPackagingGroupAttributes '
        + 'and give domainName', undefined);
    }
    return this._egress;
  }
}
