import { Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { IConstruct } from 'constructs';
import { stackSingleton } from '../private/singleton';

/** The stack-level id of the manifest cache policy (one per stack, whatever the number of groups and distributions). */
const MANIFEST_CACHE_POLICY_ID = 'MediaPackageVodManifestCachePolicy';

/**
 * CloudFront cache policies for MediaPackage VOD egress.
 *
 * - `segments()`: CloudFront's managed Elemental-MediaPackage policy: TTL 0 s min / 1 day default / 1 year max (the
 *   values of AWS's Video on Demand on AWS solution), `aws.manifestfilter` (and the live-only `start`, `end`, `m`) and
 *   the `Origin` header in the cache key.
 * - `manifests(scope)`: manifests cached briefly (60 s default, 5 min max, 0 min so MediaPackage's Cache-Control can
 *   shorten it), `aws.manifestfilter` and `Origin` in the cache key, gzip and Brotli. Created once per stack.
 */
export class VodCachePolicies {
  /**
   * The cache policy for manifests (`.m3u8`, `.mpd`, MSS `Manifest`): one per stack, at the stack-level path
   * `MediaPackageVodManifestCachePolicy`, shared by every distribution and behavior of the stack.
   *
   * @param scope any construct of the stack
   */
  public static manifests(scope: IConstruct): cloudfront.ICachePolicy {
    return stackSingleton(scope, MANIFEST_CACHE_POLICY_ID, (stack, id) => new cloudfront.CachePolicy(stack, id, {
      comment: 'MediaPackage VOD manifests (.m3u8, .mpd, MSS Manifest): cached briefly, aws.manifestfilter in the key',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(60),
      maxTtl: Duration.minutes(5),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      headerBehavior: cloudfront.CacheHeaderBehavior.allowList('Origin'),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.allowList('aws.manifestfilter'),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    }));
  }

  /**
   * The cache policy for segments: CloudFront's managed Elemental-MediaPackage policy (nothing is created).
   */
  public static segments(): cloudfront.ICachePolicy {
    return cloudfront.CachePolicy.ELEMENTAL_MEDIA_PACKAGE;
  }

  private constructor() {}
}
