import { RemovalPolicy, Resource, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { VodBehaviors } from './behaviors';
import { mayTakeGroupPaths } from './final-behaviors';
import { PackagingGroupOrigin, PackagingGroupOriginProps } from './origin';
import { ViewerAccess, ViewerAccessMode, ViewerSigningKeys } from './viewer-access';
import { IPackagingGroup } from '../packaging-group';
import { registerPlaybackDomain } from '../playback-url/domain';
import { skipCheckov } from '../private/checkov';
import { fail } from '../private/errors';
import { registerDistributionGroup } from '../private/group-registry';

/**
 * Properties of a `VodDistribution`.
 */
export interface VodDistributionProps {
  /**
   * The packaging group to serve.
   */
  readonly packagingGroup: IPackagingGroup;

  /**
   * Options of the group's origin (for an imported group with CDN authorization: `cdnIdentifierSecret`).
   *
   * @default - the group's egress domain, HTTPS only, TLS 1.2, the CDN identifier header when the group has CDN authorization
   */
  readonly originOptions?: PackagingGroupOriginProps;

  /**
   * The CORS response headers policy of the VOD behaviors.
   *
   * @default - CloudFront's managed SimpleCORS policy (`Access-Control-Allow-Origin: *`)
   */
  readonly responseHeadersPolicy?: cloudfront.IResponseHeadersPolicy;

  /**
   * Who may play: anyone (the default), or viewers with CloudFront signed cookies or signed URLs. When signed, every
   * behavior that serves the packaging group (the manifest behaviors and the default behavior) trusts the key group;
   * `additionalBehaviors` (other origins) are left as given.
   *
   * @default ViewerAccess.publicAccess()
   */
  readonly viewerAccess?: ViewerAccess;

  /**
   * More behaviors, for other origins (a player page, images). Their path patterns may not match any path under
   * `/out/`, where MediaPackage serves manifests and segments.
   *
   * @default - none
   */
  readonly additionalBehaviors?: Record<string, cloudfront.BehaviorOptions>;

  /**
   * Alternative domain names (CNAMEs); needs `certificate`.
   *
   * @default - the distribution's cloudfront.net domain only
   */
  readonly domainNames?: string[];

  /**
   * The domain name of playback and catalog URLs through this distribution (the playback URL of an asset given this
   * distribution, the ingest catalog's `catalogDistribution`): one of `domainNames`. With `domainNames` the playback
   * URLs always use one of them; without them, the cloudfront.net domain.
   *
   * @default - the first of `domainNames`; the cloudfront.net domain without them
   */
  readonly playbackDomainName?: string;

  /**
   * The certificate of `domainNames` (in us-east-1). With a certificate, viewers need TLS 1.2 (TLSv1.2_2021).
   *
   * @default - the cloudfront.net certificate
   */
  readonly certificate?: acm.ICertificate;

  /**
   * Write CloudFront standard access logs to this bucket (which must allow ACLs, as CloudFront requires).
   *
   * @default - no access logs
   */
  readonly logBucket?: s3.IBucket;

  /**
   * Prefix of the access log objects.
   *
   * @default - no prefix
   */
  readonly logFilePrefix?: string;

  /**
   * The AWS WAF web ACL (its ARN, a WAFv2 ACL in us-east-1) to protect the distribution.
   *
   * @default - no web ACL
   */
  readonly webAclId?: string;

  /**
   * Geographic restriction of viewers.
   *
   * @default - none
   */
  readonly geoRestriction?: cloudfront.GeoRestriction;

  /**
   * The price class (which edge locations serve).
   *
   * @default PriceClass.PRICE_CLASS_ALL
   */
  readonly priceClass?: cloudfront.PriceClass;

  /**
   * A comment on the distribution (at most 128 characters).
   *
   * @default - no comment
   */
  readonly comment?: string;
}

/**
 * A CloudFront distribution in front of a MediaPackage VOD packaging group: `PackagingGroupOrigin` (HTTPS only, TLS 1.2,
 * the CDN identifier header when the group has CDN authorization), segments on the default behavior and manifests on
 * `out/*.m3u8`, `out/*.mpd` and the MSS `Manifest` paths under `out/` (`VodBehaviors.MANIFEST_PATH_PATTERNS`), HTTP/2 and
 * HTTP/3, IPv6.
 *
 * An egress URL `https://<group egress domain>/out/v1/...` plays through the distribution as
 * `https://<distribution domain>/out/v1/...`: same path, the distribution's domain.
 *
 * A `VodDistribution` is a `cloudfront.IDistribution` (its members delegate to the distribution it wraps): give it
 * wherever a distribution is expected (the `distribution` option of an asset's `playbackUrl`, a Route 53
 * `CloudFrontTarget`, grants). `distribution` is the `cloudfront.Distribution` itself.
 */
export class VodDistribution extends Resource implements cloudfront.IDistribution {
  /** The CloudFront distribution. */
  public readonly distribution: cloudfront.Distribution;

  /** The packaging group's origin. */
  public readonly origin: PackagingGroupOrigin;

  /**
   * The domain name of playback and catalog URLs through this distribution: `playbackDomainName`, by default the
   * first of `domainNames`, else the cloudfront.net domain.
   */
  public readonly playbackDomainName: string;

  /** How viewers are let in. */
  public readonly viewerAccessMode: ViewerAccessMode;

  /**
   * The key group every behavior of the packaging group trusts.
   *
   * @default - undefined for public access
   */
  public readonly keyGroup?: cloudfront.IKeyGroup;

  /**
   * The ids of the key group's public keys (what signers put in `CloudFront-Key-Pair-Id`): your keys first, then the
   * generated ones, oldest first; empty for public access or a key group of yours.
   */
  public readonly publicKeyIds: string[];

  /**
   * The secret with the private key signers use (`signingKey`, by default the newest generated one; the whole secret
   * string is the PKCS#8 PEM).
   *
   * @default - undefined when no key is generated (public access, or keys of yours)
   */
  public readonly signingKeySecret?: secretsmanager.ISecret;

  /**
   * The id of the public key of `signingKeySecret` (by default the newest generated one): the `CloudFront-Key-Pair-Id`
   * of signatures made with it.
   *
   * @default - undefined when no key is generated
   */
  public readonly signingPublicKeyId?: string;

  /**
   * The keys the distribution created (your public keys and/or generated ones) and their key group.
   *
   * @default - undefined for public access or a key group of yours
   */
  public readonly signingKeys?: ViewerSigningKeys;

  constructor(scope: Construct, id: string, props: VodDistributionProps) {
    super(scope, id);

    validateDistributionProps(this, props);
    const extra = props.additionalBehaviors ?? {};
    for (const pattern of Object.keys(extra)) {
      if (!Token.isUnresolved(pattern) && mayTakeGroupPaths(pattern)) {
        fail(this, `additionalBehaviors['${pattern}']`, 'the pattern matches paths under /out/, where MediaPackage serves '
          + 'manifests and segments: it would take them from the VOD behaviors. Serve other content outside /out/', pattern);
      }
    }

    this.origin = new PackagingGroupOrigin(props.packagingGroup, props.originOptions);
    const options = { responseHeadersPolicy: props.responseHeadersPolicy, viewerAccess: props.viewerAccess };
    // Bound here first: the keys and the CORS policy belong to this construct, the cookie domain is checked.
    const access = VodBehaviors._bindAccess(this, options, props.domainNames ?? [], true);
    this.viewerAccessMode = access.mode;
    this.keyGroup = access.keyGroup;
    this.signingKeys = access.keys;
    this.publicKeyIds = access.keys?.publicKeyIds ?? [];
    this.signingKeySecret = access.keys?.signingKeySecret;
    this.signingPublicKeyId = access.keys?.signingPublicKeyId;
    const manifests = VodBehaviors.manifests(this, this.origin, options);
    const additionalBehaviors: Record<string, cloudfront.BehaviorOptions> = {};
    for (const pattern of VodBehaviors.MANIFEST_PATH_PATTERNS) {
      additionalBehaviors[pattern] = manifests;
    }
    Object.assign(additionalBehaviors, extra);

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      defaultBehavior: VodBehaviors.segments(this.origin, options),
      additionalBehaviors,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableIpv6: true,
      domainNames: props.domainNames,
      certificate: props.certificate,
      // CloudFront's current TLS policy for custom domains (without a certificate the cloudfront.net one applies).
      minimumProtocolVersion: props.certificate ? cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 : undefined,
      enableLogging: props.logBucket !== undefined,
      logBucket: props.logBucket,
      logFilePrefix: props.logFilePrefix,
      webAclId: props.webAclId,
      geoRestriction: props.geoRestriction,
      priceClass: props.priceClass,
      comment: props.comment,
    });
    this.playbackDomainName = props.playbackDomainName ?? props.domainNames?.[0] ?? this.distribution.distributionDomainName;
    registerPlaybackDomain(this, this.playbackDomainName);
    registerPlaybackDomain(this.distribution, this.playbackDomainName);
    registerDistributionGroup(this.distribution, props.packagingGroup);
    registerDistributionGroup(this, props.packagingGroup);
    skipDistributionChecks(this.distribution, props);
  }

  /** The domain name of the distribution, such as d111111abcdef8.cloudfront.net. @attribute */
  public get distributionDomainName(): string {
    return this.distribution.distributionDomainName;
  }

  /** The id of the distribution. @attribute */
  public get distributionId(): string {
    return this.distribution.distributionId;
  }

  /** The ARN of the distribution. @attribute */
  public get distributionArn(): string {
    return this.distribution.distributionArn;
  }

  /** A reference to the distribution. */
  public get distributionRef(): cloudfront.DistributionReference {
    return this.distribution.distributionRef;
  }

  /** Grants `actions` on the distribution to `identity` (delegates to the distribution). */
  public grant(identity: iam.IGrantable, ...actions: string[]): iam.Grant {
    return this.distribution.grant(identity, ...actions);
  }

  /** Grants `cloudfront:CreateInvalidation` on the distribution to `identity`. */
  public grantCreateInvalidation(identity: iam.IGrantable): iam.Grant {
    return this.distribution.grantCreateInvalidation(identity);
  }

  /** Applies the removal policy to the distribution. */
  public applyRemovalPolicy(policy: RemovalPolicy): void {
    this.distribution.applyRemovalPolicy(policy);
  }

  /**
   * Lets `grantee` sign cookies and URLs: read the generated private keys' secrets (`GetSecretValue`, `DescribeSecret`)
   * and, with a customer-managed key, decrypt them. Nothing else. Fails when no key is generated here.
   */
  public grantSign(grantee: iam.IGrantable): iam.Grant {
    if (!this.signingKeys) {
      fail(this, 'grantSign', this.viewerAccessMode === ViewerAccessMode.PUBLIC
        ? 'viewer access is public: there is no signing key'
        : 'the key group is yours (viewerAccess keyGroup): there is no generated signing key to grant', this.viewerAccessMode);
    }
    return this.signingKeys.grantSign(grantee);
  }
}

/** CloudFront's limit on a distribution's comment. */
const MAX_COMMENT_LENGTH = 128;
/** The Region in a packaging group's egress host (`<id>.egress.mediapackage-vod.<region>.amazonaws.com`). */
const EGRESS_REGION_PATTERN = /\.mediapackage-vod\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;

/** The props CloudFront or MediaPackage would reject at deploy (or that would never work), checked at synth. */
function validateDistributionProps(scope: Construct, props: VodDistributionProps): void {
  const domainNames = props.domainNames ?? [];
  if (domainNames.length > 0 && !props.certificate) {
    fail(scope, 'domainNames', 'alternative domain names need a certificate that covers them (in us-east-1): give '
      + 'certificate too', domainNames);
  }
  if (props.comment !== undefined && !Token.isUnresolved(props.comment) && props.comment.length > MAX_COMMENT_LENGTH) {
    fail(scope, 'comment', `is ${props.comment.length} characters; CloudFront allows at most ${MAX_COMMENT_LENGTH}`, props.comment);
  }
  if (props.originOptions?.originAccessControlId !== undefined) {
    fail(scope, 'originOptions.originAccessControlId', 'origin access control is for S3, MediaStore, Lambda URL and '
      + 'MediaPackage v2 origins; a MediaPackage VOD group is a custom origin, protected by CDN authorization '
      + '(CdnAuthorization) instead: leave it out', props.originOptions.originAccessControlId);
  }
  if (props.logBucket && bucketOwnerEnforced(props.logBucket)) {
    fail(scope, 'logBucket', 'has object ownership BucketOwnerEnforced (ACLs disabled; S3\'s default for a new bucket): '
      + 'CloudFront standard logs need ACLs. Give the bucket objectOwnership: ObjectOwnership.OBJECT_WRITER (or '
      + 'BUCKET_OWNER_PREFERRED)', props.logBucket.node.path);
  }
  const playback = props.playbackDomainName;
  if (playback !== undefined && !Token.isUnresolved(playback) && !domainNames.includes(playback)
    && !domainNames.some(name => Token.isUnresolved(name))) {
    fail(scope, 'playbackDomainName', 'must be one of domainNames (leave it out for the first; without domainNames '
      + 'the cloudfront.net domain is used)', playback);
  }
  checkEgressRegion(scope, props.packagingGroup);
}

/**
 * Whether the bucket, created in this app, provably has ACLs disabled: OwnershipControls BucketOwnerEnforced, or none
 * and no ACL (S3 then applies BucketOwnerEnforced). Imported buckets are not known.
 */
function bucketOwnerEnforced(bucket: s3.IBucket): boolean {
  const cfn = bucket.node.defaultChild;
  if (!(cfn instanceof s3.CfnBucket)) { return false; }
  const stack = Stack.of(cfn);
  const controls = stack.resolve(cfn.ownershipControls);
  if (controls === undefined) { return stack.resolve(cfn.accessControl) === undefined; }
  const rules: { objectOwnership?: unknown }[] = Array.isArray(controls?.rules) ? controls.rules : [];
  return rules.some(rule => rule.objectOwnership === s3.ObjectOwnership.BUCKET_OWNER_ENFORCED);
}

/** Fails when the group's egress domain names another Region than its ARN (an import with mismatched attributes). */
function checkEgressRegion(scope: Construct, group: IPackagingGroup): void {
  const region = group.env.region;
  if (Token.isUnresolved(region)) { return; }
  let egressDomain: string;
  try {
    egressDomain = group.egressDomain;
  } catch {
    return; // not known: the origin reports it
  }
  if (Token.isUnresolved(egressDomain)) { return; }
  const egressRegion = EGRESS_REGION_PATTERN.exec(egressDomain)?.[1];
  if (egressRegion !== undefined && egressRegion !== region) {
    fail(scope, 'packagingGroup.egressDomain', `is in ${egressRegion}, but the group's ARN is in ${region}: import the group `
      + 'with the domainName and ARN of one group', egressDomain);
  }
}

/**
 * The checkov checks a VodDistribution fails until its owner gives the matching prop, skipped with that advice (each
 * skip only while its prop is absent, so a configured distribution is checked for real).
 */
function skipDistributionChecks(distribution: cloudfront.Distribution, props: VodDistributionProps): void {
  if (props.webAclId === undefined) {
    skipCheckov(distribution, 'CKV_AWS_68', 'A WAF web ACL is a per-account us-east-1 resource with its own rules and cost, '
      + 'the owner\'s choice: VodDistribution takes webAclId.');
  }
  if (props.logBucket === undefined) {
    skipCheckov(distribution, 'CKV_AWS_86', 'Standard access logs need a bucket with ACLs enabled that the owner chooses and '
      + 'retains: VodDistribution takes logBucket. MediaPackage egress access logs cover the origin requests.');
  }
  if (props.certificate === undefined) {
    skipCheckov(distribution, 'CKV_AWS_174', 'The default *.cloudfront.net certificate, whose viewer TLS policy CloudFront '
      + 'fixes (no MinimumProtocolVersion can be set with it): with certificate + domainNames viewers need TLS 1.2.');
  }
}
