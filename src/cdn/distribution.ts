import { Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { VodBehaviors } from './behaviors';
import { PackagingGroupOrigin, PackagingGroupOriginProps } from './origin';
import { IPackagingGroup } from '../packaging-group';
import { skipCheckov } from '../private/checkov';
import { fail } from '../private/errors';
import { registerDistributionGroup } from '../private/group-registry';
import { pathPatternsOverlap } from '../private/path-patterns';

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
 */
export class VodDistribution extends Construct {
  /** The CloudFront distribution. */
  public readonly distribution: cloudfront.Distribution;

  /** The packaging group's origin. */
  public readonly origin: PackagingGroupOrigin;

  constructor(scope: Construct, id: string, props: VodDistributionProps) {
    super(scope, id);

    const extra = props.additionalBehaviors ?? {};
    for (const pattern of Object.keys(extra)) {
      if (!Token.isUnresolved(pattern) && pathPatternsOverlap(pattern, VodBehaviors.EGRESS_PATH_PATTERN)) {
        fail(this, `additionalBehaviors['${pattern}']`, 'the pattern matches paths under /out/, where MediaPackage serves '
          + 'manifests and segments: it would take them from the VOD behaviors. Serve other content outside /out/', pattern);
      }
    }

    this.origin = new PackagingGroupOrigin(props.packagingGroup, props.originOptions);
    const options = { responseHeadersPolicy: props.responseHeadersPolicy };
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
      enableLogging: props.logBucket !== undefined,
      logBucket: props.logBucket,
      logFilePrefix: props.logFilePrefix,
      webAclId: props.webAclId,
      geoRestriction: props.geoRestriction,
      priceClass: props.priceClass,
      comment: props.comment,
    });
    registerDistributionGroup(this.distribution, props.packagingGroup);
    skipDistributionChecks(this.distribution, props);
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
