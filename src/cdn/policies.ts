import { Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { IConstruct } from 'constructs';
import { stackSingleton } from '../private/singleton';

/**
 * The stack-level id of the manifest cache policy keyed on `Origin` (one per stack, whatever the number of groups and
 * distributions).
 */
const MANIFEST_CACHE_POLICY_ID = 'MediaPackageVodManifestCachePolicyByOrigin';
/**
 * The stack-level id of the manifest cache policy without `Origin` in the key (for `Access-Control-Allow-Origin: *`):
 * the id the one manifest policy had before, so the default distribution updates its policy in place.
 */
const ANY_ORIGIN_MANIFEST_CACHE_POLICY_ID = 'MediaPackageVodManifestCachePolicy';

/** What both manifest cache policies share: brief TTLs, `aws.manifestfilter`, compression. */
const MANIFEST_CACHING: cloudfront.CachePolicyProps = {
  minTtl: Duration.seconds(0),
  defaultTtl: Duration.seconds(60),
  maxTtl: Duration.minutes(5),
  cookieBehavior: cloudfront.CacheCookieBehavior.none(),
  queryStringBehavior: cloudfront.CacheQueryStringBehavior.allowList('aws.manifestfilter'),
  enableAcceptEncodingGzip: true,
  enableAcceptEncodingBrotli: true,
};

/**
 * CloudFront cache policies for MediaPackage VOD egress.
 *
 * - `segments()`: CloudFront's managed Elemental-MediaPackage policy: TTL 0 s min / 1 day default / 1 year max (the
 *   values of AWS's Video on Demand on AWS solution), `aws.manifestfilter` (and the live-only `start`, `end`, `m`) and
 *   the `Origin` header in the cache key.
 * - `manifests(scope)`: manifests cached briefly (60 s default, 5 min max, 0 min so MediaPackage's Cache-Control can
 *   shorten it), `aws.manifestfilter` and `Origin` in the cache key, gzip and Brotli. Created once per stack. For
 *   a CORS policy that answers depending on the viewer's origin (your `responseHeadersPolicy`, `allowedOrigins`).
 * - `manifestsForAnyOrigin(scope)`: the same without `Origin` in the cache key, for `Access-Control-Allow-Origin: *`
 *   (the default SimpleCORS policy): the answer is the same for every origin, so `Origin` would only split the cache
 *   into one copy per site. Created once per stack.
 */
export class VodCachePolicies {
  /**
   * The cache policy for manifests (`.m3u8`, `.mpd`, MSS `Manifest`) keyed on `Origin`: one per stack, at the
   * stack-level path `MediaPackageVodManifestCachePolicyByOrigin`, shared by every distribution and behavior of the stack.
   *
   * @param scope any construct of the stack
   */
  public static manifests(scope: IConstruct): cloudfront.ICachePolicy {
    return stackSingleton(scope, MANIFEST_CACHE_POLICY_ID, (stack, id) => new cloudfront.CachePolicy(stack, id, {
      ...MANIFEST_CACHING,
      comment: 'MediaPackage VOD manifests (.m3u8, .mpd, MSS Manifest): cached briefly, aws.manifestfilter in the key',
      headerBehavior: cloudfront.CacheHeaderBehavior.allowList('Origin'),
    }));
  }

  /**
   * The cache policy for manifests when every origin gets the same CORS answer (`Access-Control-Allow-Origin: *`):
   * `manifests` without the `Origin` header in the cache key. One per stack, at the stack-level path
   * `MediaPackageVodManifestCachePolicy`. The VOD behaviors use it with the default CORS policy.
   *
   * @param scope any construct of the stack
   */
  public static manifestsForAnyOrigin(scope: IConstruct): cloudfront.ICachePolicy {
    return stackSingleton(scope, ANY_ORIGIN_MANIFEST_CACHE_POLICY_ID, (stack, id) => new cloudfront.CachePolicy(stack, id, {
      ...MANIFEST_CACHING,
      comment: 'MediaPackage VOD manifests for Access-Control-Allow-Origin *: cached briefly, aws.manifestfilter in the key',
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
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
