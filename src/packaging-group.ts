import { IResource, Lazy, Resource, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnPackagingGroup, IPackagingGroupRef, PackagingGroupReference } from 'aws-cdk-lib/aws-mediapackage';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { EgressAccessLogs } from './access-logs/egress-access-logs';
import { PackagingGroupAccessLogs, PackagingGroupAccessLogsOptions } from './access-logs/packaging-group-access-logs';
import { Asset, AssetOptions } from './asset';
import { CdnAuthorization } from './cdn/cdn-authorization';
import { BucketIngest, BucketIngestOptions } from './ingest/bucket-ingest';
import { PackagingConfiguration, PackagingConfigurationOptions } from './packaging-configuration';
import { idFromVodArn, vodArn } from './private/arns';
import { hostOfDomainNameToken, parseEgressDomain } from './private/egress-domain';
import { fail, warn } from './private/errors';
import { claimFixedId } from './private/fixed-ids';
import { registerGroup } from './private/group-registry';
import { generateId } from './private/ids';
import { aggregateMetric, configurationMetric, VodMetricName } from './private/metrics';
import { validateId } from './private/validate';

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
   * The id of the packaging group. Give it, `packagingGroupArn`, or both (then they must name the same group).
   *
   * @default - the id in `packagingGroupArn`
   */
  readonly packagingGroupId?: string;

  /**
   * The ARN of the packaging group (`arn:<partition>:mediapackage-vod:<region>:<account>:packaging-groups/<id>`): gives
   * the group's account and Region, which the id alone does not (it is then taken to be in the importing stack's).
   *
   * @default - built from `packagingGroupId` in the importing stack's account and Region
   */
  readonly packagingGroupArn?: string;

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
    const { packagingGroupId, packagingGroupArn } = attrs;
    if (packagingGroupId === undefined && packagingGroupArn === undefined) {
      fail(scope, 'packagingGroupId', 'give packagingGroupId or packagingGroupArn to import a packaging group', attrs);
    }
    validateId(scope, 'packagingGroupId', packagingGroupId);
    const idOfArn = packagingGroupArn === undefined ? undefined
      : idFromVodArn(scope, 'packagingGroupArn', packagingGroupArn, 'packaging-groups');
    if (packagingGroupId !== undefined && idOfArn !== undefined && !Token.isUnresolved(packagingGroupId)
      && !Token.isUnresolved(idOfArn) && packagingGroupId !== idOfArn) {
      fail(scope, 'packagingGroupArn', `names the group '${idOfArn}', but packagingGroupId is '${packagingGroupId}': give `
        + 'one, or both for the same group', packagingGroupArn);
    }
    return new ImportedPackagingGroup(scope, id, packagingGroupId ?? idOfArn!, packagingGroupArn, attrs.domainName);
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
