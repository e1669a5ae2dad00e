import { Fn, IResource, Lazy, Names, Resource, Stack, Token } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AssetReference, CfnAsset, CfnPackagingGroup, IAssetRef } from 'aws-cdk-lib/aws-mediapackage';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { hasSourceSuffix, keyShapeProblem } from './ingest/key-pattern';
import type { IPackagingConfiguration } from './packaging-configuration';
import type { IPackagingGroup } from './packaging-group';
import { playbackDomainOf } from './playback-url/domain';
import { playbackEndpointOf } from './playback-url/playback-url';
import { idFromVodArn, vodArn } from './private/arns';
import { describeValue, fail, warn } from './private/errors';
import { claimFixedId } from './private/fixed-ids';
import { checkConfigurationOfAssetGroup, checkVodDistributionOfGroup, distributionMissesGroup, groupInternals } from './private/group-registry';
import { generateId, hashOfResolvedParts } from './private/ids';
import { nameGivenToL1 } from './private/known';
import { newMediaPackageRole } from './private/roles';
import { stackSingleton } from './private/singleton';
import { DescriptionLimit, fitDescription, validateId, validateSameEnvironment } from './private/validate';
import { VodAssetEvent, vodEventRule } from './private/vod-events';

/**
 * A MediaPackage VOD asset, created here or imported.
 */
export interface IAsset extends IResource, IAssetRef {
  /**
   * The id of the asset.
   *
   * @attribute
   */
  readonly assetId: string;

  /**
   * The ARN of the asset.
   *
   * @attribute
   */
  readonly assetArn: string;

  /**
   * An EventBridge rule for this asset's IngestStart events: MediaPackage started ingesting the source.
   */
  onIngestStart(id: string, options?: events.OnEventOptions): events.Rule;

  /**
   * An EventBridge rule for this asset's IngestComplete events: the source is ingested (playable events per
   * packaging configuration follow).
   */
  onIngestComplete(id: string, options?: events.OnEventOptions): events.Rule;

  /**
   * An EventBridge rule for this asset's IngestError events: ingest failed (there is no other failure event).
   */
  onIngestError(id: string, options?: events.OnEventOptions): events.Rule;

  /**
   * An EventBridge rule for this asset's VodAssetPlayable events, sent once per packaging configuration when the asset
   * can be played through it (`detail.packaging_configuration_id`, `detail.manifest_urls`).
   */
  onPlayable(id: string, options?: events.OnEventOptions): events.Rule;

  /**
   * The egress URL of this asset through `configuration`, known at deploy time (read with DescribeAsset by a custom
   * resource); with `distribution`, the same path on the distribution's domain.
   */
  playbackUrl(configuration: IPackagingConfiguration, options?: PlaybackUrlOptions): string;

  /**
   * The path pattern that covers this asset in every configuration of its group, for the `Resource` of a signed-cookie
   * (or signed-URL) custom policy: `/out/v1/<asset hash>/*`, known at deploy time. Prefix it with
   * `https://<distribution domain>` for the policy.
   *
   * MediaPackage VOD egress paths are `/out/v1/<asset hash>/<hash>/<hash>/<manifest>`: the first hash is the same in
   * every configuration of one asset and differs between assets; the other two are the configuration's (AWS CLI
   * examples of describe-asset and create-asset show one asset's DASH, HLS and CMAF URLs sharing the first hash). The
   * pattern is read from the playback URL of `configuration` (any configuration of the group gives the same).
   */
  playbackPathPattern(configuration: IPackagingConfiguration, options?: PlaybackEndpointOptions): string;
}

/**
 * Options of the custom resource that reads an asset's playback endpoint (`IAsset.playbackUrl`,
 * `IAsset.playbackPathPattern`).
 */
export interface PlaybackEndpointOptions {
  /**
   * Encrypt the log group of the stack's playback-URL function (`/aws/lambda/<function name>`: asset ids and egress URLs)
   * with this customer managed KMS key; the key policy gets the statement that lets CloudWatch Logs of the stack's
   * Region use it (added to a key of this app; an imported key's policy is its owner's to set).
   *
   * The function and its log group are one per stack, shared by every playback URL and path pattern of the stack: every
   * `playbackUrl` and `playbackPathPattern` call of one stack must give the same key (or none), else synthesis fails
   * on `options.logEncryptionKey`.
   *
   * @default - CloudWatch Logs encrypts the log group with its own key
   */
  readonly logEncryptionKey?: kms.IKey;
}

/**
 * Options of `IAsset.playbackUrl`.
 */
export interface PlaybackUrlOptions extends PlaybackEndpointOptions {
  /**
   * A CloudFront distribution whose origin is the asset's packaging group: the URL gets its domain (same path): a
   * `VodDistribution`'s `playbackDomainName` (by default its first alias), else the distribution's first alternative
   * domain name when it has one, else its cloudfront.net domain.
   *
   * Checked when it is a `VodDistribution`'s distribution (same packaging group) or a `cloudfront.Distribution` of this
   * app (one of its origins must be the group's egress domain); an imported distribution is taken as it is.
   *
   * @default - the packaging group's egress URL
   */
  readonly distribution?: cloudfront.IDistribution;
}

/**
 * Shared implementation of assets created here and imported.
 */
abstract class AssetBase extends Resource implements IAsset {
  public abstract readonly assetId: string;
  public abstract readonly assetArn: string;

  /**
   * The packaging group of the asset, when known (created here).
   * @internal
   */
  protected _group?: IPackagingGroup;

  private readonly playbackUrls = new Map<string, string>();

  public onIngestStart(id: string, options?: events.OnEventOptions): events.Rule {
    this.checkEventsReachStack('onIngestStart');
    return vodEventRule(this, id, options, VodAssetEvent.INGEST_START, { resources: [this.assetArn] });
  }

  public onIngestComplete(id: string, options?: events.OnEventOptions): events.Rule {
    this.checkEventsReachStack('onIngestComplete');
    return vodEventRule(this, id, options, VodAssetEvent.INGEST_COMPLETE, { resources: [this.assetArn] });
  }

  public onIngestError(id: string, options?: events.OnEventOptions): events.Rule {
    this.checkEventsReachStack('onIngestError');
    return vodEventRule(this, id, options, VodAssetEvent.INGEST_ERROR, { resources: [this.assetArn] });
  }

  public onPlayable(id: string, options?: events.OnEventOptions): events.Rule {
    this.checkEventsReachStack('onPlayable');
    return vodEventRule(this, id, options, VodAssetEvent.PLAYABLE, { resources: [this.assetArn] });
  }

  /**
   * MediaPackage sends an asset's events to the default event bus of the asset's account and Region; a rule in a stack
   * of another account or Region never sees them. Fails when both are known and differ (the cross-Region rule: create
   * the rule in a stack of the asset's account and Region, importing the asset there).
   */
  private checkEventsReachStack(method: string): void {
    validateSameEnvironment(this, method, this, 'MediaPackage sends an asset\'s events to the default event bus of the '
      + 'asset\'s account and Region, so a rule in this stack would never match them: import the asset in a stack of its '
      + 'account and Region and add the rule there');
  }

  /** The asset's egress URLs come only through the configurations of its own group, in its Region. */
  private checkConfigurationOfAsset(configuration: IPackagingConfiguration): void {
    checkConfigurationOfAssetGroup(this, this._group, configuration);
    const [assetRegion, configurationRegion] = [this.env.region, configuration.env.region];
    if (!Token.isUnresolved(assetRegion) && !Token.isUnresolved(configurationRegion) && assetRegion !== configurationRegion) {
      fail(this, 'configuration', `is in ${configurationRegion}, the asset in ${assetRegion}: an asset has egress URLs only `
        + 'through the configurations of its own group, in its Region', configuration.packagingConfigurationArn);
    }
  }

  public playbackUrl(configuration: IPackagingConfiguration, options: PlaybackUrlOptions = {}): string {
    this.checkConfigurationOfAsset(configuration);
    const endpoint = playbackEndpointOf(this, this.assetId, this.assetArn, configuration, options.logEncryptionKey);
    if (!options.distribution) { return endpoint.url; }
    checkVodDistributionOfGroup(this, this._group, options.distribution, {
      propertyPath: 'options.distribution', whose: 'the asset\'s group', consequence: 'the asset has no egress URL there',
    });
    const missed = this._group && distributionMissesGroup(options.distribution, this._group);
    if (missed) {
      fail(this, 'options.distribution', `does not serve the asset's group ${this._group!.node.path}: ${missed}`,
        options.distribution.node.path);
    }
    const key = `${configuration.node.addr}/${options.distribution.node.addr}`;
    let url = this.playbackUrls.get(key);
    if (url === undefined) {
      url = Fn.join('', ['https://', playbackDomainOf(options.distribution), endpoint.path]);
      this.playbackUrls.set(key, url);
    }
    return url;
  }

  public playbackPathPattern(configuration: IPackagingConfiguration, options: PlaybackEndpointOptions = {}): string {
    this.checkConfigurationOfAsset(configuration);
    const endpoint = playbackEndpointOf(this, this.assetId, this.assetArn, configuration, options.logEncryptionKey);
    // Path '/out/v1/<asset hash>/...' split on '/': ['', 'out', 'v1', '<asset hash>', ...].
    return Fn.join('', ['/out/v1/', Fn.select(3, Fn.split('/', endpoint.path)), '/*']);
  }

  public get assetRef(): AssetReference {
    return { assetId: this.assetId, assetArn: this.assetArn };
  }
}

/**
 * Options to bind an asset source.
 * @internal
 */
export interface _AssetSourceBindOptions {
  /** The role the user gave, if any. */
  readonly role?: iam.IRole;
  /** Whether a created role's trust gets an aws:SourceAccount condition. */
  readonly restrictToAccount?: boolean;
}

/**
 * What an asset source renders to.
 * @internal
 */
export interface _AssetSourceConfig {
  /** The ARN of the source object (the .smil or .m3u8 file). */
  readonly sourceArn: string;
  /** The role MediaPackage assumes to read the source. */
  readonly role: iam.IRole;
  /** The read grant of the role: the asset is created after it, since MediaPackage starts ingest at creation. */
  readonly grant: iam.Grant;
  /**
   * What identifies the source for the generated asset id: the bucket's ARN and the key, and create-only names the
   * rendered properties do not show (a created bucket's name), so that a change of any changes the id.
   */
  readonly hashParts: unknown[];
}


/**
 * The source content of an asset: a `.smil` manifest (MP4 stream set) or an `.m3u8` HLS parent playlist in Amazon S3.
 *
 * The bucket must be in the same Region as the asset and must not be Requester Pays.
 */
export abstract class AssetSource {
  /**
   * The object `key` of `bucket`: the full path of the `.smil` manifest or `.m3u8` parent playlist, without the bucket
   * name and without a leading slash (e.g. `movies/movie1/index.smil`). Checked when the asset is created, unless a Token.
   *
   * Unless the asset is given a role, it uses a role shared by all assets of its stack that read this bucket.
   */
  public static fromBucket(bucket: s3.IBucket, key: string): AssetSource {
    return new BucketAssetSource(bucket, key);
  }

  /**
   * Grant `grantee` what MediaPackage VOD needs to ingest sources from `bucket` (user guide, "Allowing MediaPackage to
   * access other AWS services", VOD policy): s3:GetObject on the bucket's objects; s3:GetBucketLocation,
   * s3:GetBucketRequestPayment and s3:ListBucket on the bucket; and kms:Decrypt on the bucket's key, if it has one.
   */
  public static grantRead(bucket: s3.IBucket, grantee: iam.IGrantable): iam.Grant {
    const objects = iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetObject'],
      resourceArns: [bucket.arnForObjects('*')],
    });
    const bucketLevel = iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetBucketLocation', 's3:GetBucketRequestPayment', 's3:ListBucket'],
      resourceArns: [bucket.bucketArn],
    });
    let grant = objects.combine(bucketLevel);
    if (bucket.encryptionKey) {
      grant = grant.combine(bucket.encryptionKey.grantDecrypt(grantee));
    }
    return grant;
  }

  /**
   * The role shared by the assets of `scope`'s stack that read `bucket` and name no role (created on first use).
   * @internal
   */
  public static _sharedSourceRole(scope: IConstruct, bucket: s3.IBucket): iam.IRole {
    return SharedSourceRole.of(scope, bucket, false).role;
  }

  /** The bucket that holds the source. */
  public abstract readonly bucket: s3.IBucket;

  /** The object key of the source (.smil or .m3u8). */
  public abstract readonly key: string;

  /**
   * Validates and renders the source for an asset; finds or creates the role.
   * @internal
   */
  public abstract _bind(scope: Construct, options: _AssetSourceBindOptions): _AssetSourceConfig;
}

class BucketAssetSource extends AssetSource {
  constructor(public readonly bucket: s3.IBucket, public readonly key: string) {
    super();
  }

  public _bind(scope: Construct, options: _AssetSourceBindOptions): _AssetSourceConfig {
    validateSourceKey(scope, 'source.key', this.key);
    validateSameRegion(scope, 'source.bucket', this.bucket);

    let role: iam.IRole;
    let grant: iam.Grant;
    if (options.role) {
      role = options.role;
      // A mutable role of this app gets the read; an immutable imported role is used as it is.
      grant = AssetSource.grantRead(this.bucket, role);
    } else {
      const shared = SharedSourceRole.of(scope, this.bucket, options.restrictToAccount ?? false);
      role = shared.role;
      grant = shared.grant;
    }

    const cfnBucket = this.bucket.node.defaultChild;
    return {
      sourceArn: this.bucket.arnForObjects(this.key),
      role,
      grant,
      hashParts: [this.bucket.bucketArn, this.key, cfnBucket instanceof s3.CfnBucket ? cfnBucket.bucketName : undefined],
    };
  }
}

function validateSourceKey(scope: IConstruct, propertyPath: string, key: string): void {
  if (Token.isUnresolved(key)) { return; }
  if (key.length === 0) {
    fail(scope, propertyPath, 'must be the object key of a .smil manifest or .m3u8 parent playlist, is empty', key);
  }
  const shape = keyShapeProblem(key);
  if (shape) { fail(scope, propertyPath, shape, key); }
  if (!hasSourceSuffix(key)) {
    fail(scope, propertyPath, 'MediaPackage VOD ingests a .smil manifest (MP4) or an .m3u8 parent playlist (HLS): '
      + 'the key must end with .smil or .m3u8', key);
  }
}

function validateSameRegion(scope: IConstruct, propertyPath: string, bucket: s3.IBucket): void {
  const bucketRegion = bucket.env.region;
  const region = Stack.of(scope).region;
  if (Token.isUnresolved(bucketRegion) || Token.isUnresolved(region) || bucketRegion === region) { return; }
  fail(scope, propertyPath, `the bucket must be in the same Region as the asset (${region})`, bucketRegion);
}

/**
 * The source role shared by the assets of one stack that read one bucket and name no role: one per stack, bucket and
 * trust (with or without the aws:SourceAccount condition).
 */
class SharedSourceRole extends Construct {
  public static of(scope: IConstruct, bucket: s3.IBucket, restrictToAccount: boolean): SharedSourceRole {
    // Names.nodeUniqueId: unique per construct path (a hash of the path) and readable in the logical ids.
    const id = `MediaPackageSourceRole${restrictToAccount ? 'Restricted' : ''}${Names.nodeUniqueId(bucket.node)}`;
    return stackSingleton(scope, id, (stack) => new SharedSourceRole(stack, id, bucket, restrictToAccount));
  }

  public readonly role: iam.Role;
  public readonly grant: iam.Grant;

  private constructor(scope: Construct, id: string, bucket: s3.IBucket, restrictToAccount: boolean) {
    super(scope, id);
    this.role = newMediaPackageRole(this, 'Role', {
      description: fitDescription(`Lets MediaPackage VOD ingest asset sources from bucket ${bucket.node.path}`, DescriptionLimit.IAM_ROLE),
      restrictToAccount,
    });
    this.grant = AssetSource.grantRead(bucket, this.role);
  }
}

/**
 * Options of an asset (the properties of `Asset` without the packaging group), as taken by `PackagingGroup.addAsset`.
 */
export interface AssetOptions {
  /**
   * The source content: `AssetSource.fromBucket(bucket, 'path/to/index.smil')`.
   */
  readonly source: AssetSource;

  /**
   * The role MediaPackage assumes to read the source. A given role is used as it is; if it is a mutable role of this app,
   * it is also granted the read (the same as `AssetSource.grantRead`).
   *
   * @default - a role trusted by mediapackage.amazonaws.com that may only read the source bucket (see
   * `AssetSource.grantRead`), shared by all assets of this stack that read the same bucket and name no role
   */
  readonly sourceRole?: iam.IRole;

  /**
   * The id of the asset: 1 to 256 letters, digits, hyphens and underscores, unique per account and Region.
   *
   * Assets are immutable (CloudFormation replaces them on any change) and CloudFormation cannot replace a resource with a
   * fixed name: with a given id, any later change of the asset fails to deploy ("already exists"). Prefer the generated id.
   *
   * @default - generated from the construct path and a hash of the asset's properties, so that a change deploys as a
   * replacement (MediaPackage ingests the source again and the playback URLs change)
   */
  readonly assetId?: string;

  /**
   * The resource id (content id) MediaPackage sends to the SPEKE key server to identify this asset's content.
   *
   * @default - no resource id is sent (the VOD API documents no default)
   */
  readonly resourceId?: string;

  /**
   * Add an `aws:SourceAccount` condition (this stack's account) to the created role's trust policy.
   *
   * Off by default: it is not confirmed that MediaPackage VOD sends aws:SourceAccount when it assumes the role, and a
   * condition it does not satisfy breaks ingest. Assets of one bucket that differ in this setting use two shared roles.
   * Ignored when `sourceRole` is given.
   *
   * @default false
   */
  readonly restrictToAccount?: boolean;
}

/**
 * Properties of an asset.
 */
export interface AssetProps extends AssetOptions {
  /**
   * The packaging group whose configurations serve the asset.
   */
  readonly packagingGroup: IPackagingGroup;
}


/** Longest readable part of a generated asset id (a '-' and an 8-character hash follow). */
const GENERATED_ID_PREFIX_MAX_LENGTH = 64;

/**
 * A MediaPackage VOD asset (AWS::MediaPackage::Asset): source content in Amazon S3 that MediaPackage ingests at creation
 * and serves through every packaging configuration of its packaging group.
 *
 * Assets are immutable: any change of the source, role, resource id, group or tags replaces the asset, which ingests
 * the source again and changes its playback URLs.
 *
 * @resource AWS::MediaPackage::Asset
 */
export class Asset extends AssetBase {
  /**
   * Import an asset by its id.
   */
  public static fromAssetId(scope: Construct, id: string, assetId: string): IAsset {
    validateId(scope, 'assetId', assetId);
    return new ImportedAsset(scope, id, assetId, undefined);
  }

  /**
   * Import an asset by its ARN (`arn:<partition>:mediapackage-vod:<region>:<account>:assets/<id>`).
   */
  public static fromAssetArn(scope: Construct, id: string, assetArn: string): IAsset {
    return new ImportedAsset(scope, id, idFromVodArn(scope, 'assetArn', assetArn, 'assets'), assetArn);
  }

  /** The role MediaPackage assumes to read the source. */
  public readonly sourceRole: iam.IRole;

  // Made on first use: hundreds of assets per stack are common, and most are never referenced.
  private _assetId?: string;
  private _assetArn?: string;

  /** The underlying CloudFormation resource. */
  public readonly resource: CfnAsset;

  constructor(scope: Construct, id: string, props: AssetProps) {
    super(scope, id, { physicalName: props.assetId });
    validateId(this, 'assetId', props.assetId);
    claimFixedId(this, 'assetId', 'asset', props.assetId);
    validateSameEnvironment(this, 'packagingGroup', props.packagingGroup, 'the asset is created in the stack, and a group of '
      + 'another account or Region does not exist there');

    const source = props.source._bind(this, { role: props.sourceRole, restrictToAccount: props.restrictToAccount });
    this.sourceRole = source.role;
    const group = props.packagingGroup;
    this._group = group;

    this.resource = new CfnAsset(this, 'Resource', {
      id: props.assetId ?? Lazy.string({ produce: () => this.generateAssetId(group, source) }),
      packagingGroupId: group.packagingGroupId,
      sourceArn: source.sourceArn,
      sourceRoleArn: source.role.roleArn,
      resourceId: props.resourceId,
    });
    // MediaPackage starts ingesting at creation: the role must be able to read the source by then.
    source.grant.applyBefore(this.resource);
    // ... and the group's configurations should exist, so that the asset gets their playback endpoints.
    // Evaluated at synth, so it covers configurations added to the group after this asset too.
    const internals = groupInternals(group);
    if (internals) {
      this.resource.node.addDependency(internals.configurationsDependable);
    }


    if (props.assetId !== undefined) {
      warn(this, 'FixedAssetId', 'assetId', 'assets are immutable (CloudFormation replaces them on any change): with the '
        + `fixed id ${describeValue(props.assetId)}, any later change of this `
        + 'asset (source, role, resource id, group or tags) fails to deploy ("already exists"). Omit assetId to get an id '
        + 'that changes with the properties, or change the id together with the asset.');
    }
    this.node.addValidation({
      validate: () => {
        if (this.resource.tags.hasTags()) {
          warn(this, 'TagsReplaceAsset', 'tags', props.assetId !== undefined
            ? 'tags of an asset are create-only: a later tag change replaces the asset, and the replacement fails because '
              + 'the id stays the same ("already exists"). Change the id together with the tags, or set tags only at creation.'
            : 'tags of an asset are create-only: a later tag change replaces the asset (its generated id changes with the '
              + 'tags), so MediaPackage ingests the source again and the playback URLs change.');
        }
        return [];
      },
    });
  }

  public get assetId(): string {
    this._assetId ??= this.getResourceNameAttribute(this.resource.ref);
    return this._assetId;
  }

  public get assetArn(): string {
    this._assetArn ??= this.getResourceArnAttribute(this.resource.attrArn, {
      service: 'mediapackage-vod', resource: 'assets', resourceName: this.physicalName,
    });
    return this._assetArn;
  }

  /**
   * `<readable id from the construct path>-<hash of everything else the asset is created from>`: any change of the
   * asset (which CloudFormation can only apply by replacement) yields a new id, so the replacement can be created
   * before the old asset is deleted.
   */
  private generateAssetId(group: IPackagingGroup, source: _AssetSourceConfig): string {
    const groupResource = group.node.defaultChild;
    // The parts shared by the assets of a group (group, role, bucket) are resolved once per stack: hundreds of assets
    // in one stack are common, and a full resolve of each asset's properties was the largest cost of their synth.
    const hash = hashOfResolvedParts(this, [
      this.resource.packagingGroupId,
      // Create-only name behind the group's Ref: a replaced group also replaces the asset.
      groupResource instanceof CfnPackagingGroup ? groupResource.id : undefined,
      ...source.hashParts,
      this.resource.sourceRoleArn,
      this.resource.resourceId,
      this.resource.tags.hasTags() ? this.resource.tags.renderTags() : undefined,
      // Create-only name behind the role's GetAtt (a role the user named): a replaced role also replaces the asset. Only
      // when there is one, so that the ids of assets without one stay as they were.
      ...optional(literalName(nameGivenToL1(source.role))),
    ]);
    return `${generateId(this, GENERATED_ID_PREFIX_MAX_LENGTH)}-${hash}`;
  }
}

/** `[value]`, or `[]` for undefined. */
function optional<T>(value: T | undefined): T[] {
  return value === undefined ? [] : [value];
}

/** A name written as a literal, else undefined (a generated name follows the construct path, which the reference shows). */
function literalName(name: string | undefined): string | undefined {
  return name !== undefined && !Token.isUnresolved(name) ? name : undefined;
}

class ImportedAsset extends AssetBase {
  public readonly assetId: string;
  public readonly assetArn: string;

  constructor(scope: Construct, id: string, assetId: string, arn: string | undefined) {
    super(scope, id, { environmentFromArn: arn });
    this.assetId = assetId;
    this.assetArn = arn ?? vodArn(this, 'assets', assetId);
  }
}
