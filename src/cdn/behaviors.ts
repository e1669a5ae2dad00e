import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { Construct, IConstruct } from 'constructs';
import { renderedBehaviors } from './final-behaviors';
import { PackagingGroupOrigin, PackagingGroupOriginProps } from './origin';
import { VodCachePolicies } from './policies';
import { ViewerAccess, _ViewerAccessConfig } from './viewer-access';
import { IPackagingGroup } from '../packaging-group';
import { fail } from '../private/errors';

/**
 * Options of the VOD behaviors.
 */
export interface VodBehaviorOptions {
  /**
   * The response headers policy (CORS for web players).
   *
   * @default - CloudFront's managed SimpleCORS policy (`Access-Control-Allow-Origin: *`)
   */
  readonly responseHeadersPolicy?: cloudfront.IResponseHeadersPolicy;

  /**
   * Who may play. Signed (`ViewerAccess.signedCookies()` / `signedUrls()`): every behavior trusts the key group, so no
   * path of the group is served without a valid signature; with `allowedOrigins`, the behaviors get the credentials CORS
   * policy (then `responseHeadersPolicy` may not be given) and allow OPTIONS.
   *
   * @default ViewerAccess.publicAccess()
   */
  readonly viewerAccess?: ViewerAccess;
}

/**
 * Options of `VodBehaviors.forGroup`: the behaviors' options and the origin's.
 */
export interface VodGroupBehaviorOptions extends VodBehaviorOptions, PackagingGroupOriginProps {}

/**
 * CloudFront behaviors for MediaPackage VOD egress, for a distribution you build yourself (`VodDistribution` uses the
 * same). Every behavior: GET, HEAD and OPTIONS allowed and cached (a CORS preflight is answered), viewers redirected to
 * HTTPS, compression on, the CORS request headers (Origin, Access-Control-Request-Headers, Access-Control-Request-Method)
 * forwarded with CloudFront's managed CORS-S3Origin origin request policy (those three headers; the policy is not
 * specific to S3), `aws.manifestfilter` in the cache key (so forwarded), and a CORS response headers policy. Manifests
 * keep `Origin` out of the cache key with the default `Access-Control-Allow-Origin: *` (`manifestsForAnyOrigin`).
 */
export class VodBehaviors {
  /**
   * MediaPackage VOD serves every egress URL under this path: `/out/v1/<hash>/<hash>/<hash>/<manifest or segment>`.
   */
  public static readonly EGRESS_PATH_PATTERN = 'out/*';

  /**
   * The manifests: HLS (`.m3u8`), DASH (`.mpd`) and MSS (`<name>.ism/Manifest`), under the egress path.
   */
  public static readonly MANIFEST_PATH_PATTERNS: string[] = ['out/*.m3u8', 'out/*.mpd', 'out/*/Manifest'];

  /**
   * The behavior for manifests: the stack's manifest cache policy (`VodCachePolicies.manifests`).
   *
   * @param scope any construct of the distribution's stack (the manifest cache policy is created there once)
   * @param origin the packaging group's origin
   */
  public static manifests(scope: IConstruct, origin: cloudfront.IOrigin, options: VodBehaviorOptions = {}): cloudfront.BehaviorOptions {
    const access = VodBehaviors._bindAccess(scope, options);
    // The default SimpleCORS policy answers `*` to every origin: `Origin` in the key would only split the cache.
    const anyOrigin = !access.responseHeadersPolicy && !options.responseHeadersPolicy;
    const cachePolicy = anyOrigin ? VodCachePolicies.manifestsForAnyOrigin(scope) : VodCachePolicies.manifests(scope);
    return behavior(origin, cachePolicy, options, access);
  }

  /**
   * The behavior for segments (and whatever else the group serves): CloudFront's managed Elemental-MediaPackage cache
   * policy (`VodCachePolicies.segments`). Fits the default behavior of a distribution that serves only the group.
   *
   * @param origin the packaging group's origin
   */
  public static segments(origin: cloudfront.IOrigin, options: VodBehaviorOptions = {}): cloudfront.BehaviorOptions {
    // Binding needs a scope only to create keys or the CORS policy: forOrigin and VodDistribution bind first.
    return behavior(origin, VodCachePolicies.segments(), options, VodBehaviors._bindAccess(undefined, options));
  }

  /**
   * Path pattern to behavior, in the order CloudFront must evaluate them: the manifest patterns, then `out/*` for
   * segments. For `additionalBehaviors` of a distribution whose default behavior serves something else, from TypeScript,
   * JavaScript and Python only, whose maps keep this order: from Java (copied into a `HashMap`) and Go (jsii hands maps
   * over sorted by key) `out/*` would come first and hide the manifests, so call `addTo` there instead.
   *
   * @param scope any construct of the distribution's stack
   * @param origin the packaging group's origin
   */
  public static forOrigin(scope: IConstruct, origin: cloudfront.IOrigin, options: VodBehaviorOptions = {})
    : Record<string, cloudfront.BehaviorOptions> {
    const manifests = VodBehaviors.manifests(scope, origin, options);
    const behaviors: Record<string, cloudfront.BehaviorOptions> = {};
    for (const pattern of VodBehaviors.MANIFEST_PATH_PATTERNS) {
      behaviors[pattern] = manifests;
    }
    behaviors[VodBehaviors.EGRESS_PATH_PATTERN] = behavior(origin, VodCachePolicies.segments(), options, VodBehaviors._bindAccess(scope, options));
    return behaviors;
  }

  /**
   * Adds the behaviors of `forOrigin` to a distribution, one by one in the order CloudFront must evaluate them (the
   * manifest patterns, then `out/*`), after the behaviors it already has. The same result as passing `forOrigin` as
   * `additionalBehaviors`, for languages whose maps have no order (Go: jsii hands a map over sorted by key, which puts
   * `out/*` first and hides the manifest behaviors), or for a distribution created elsewhere in the app.
   *
   * @param distribution the distribution (its stack gets the manifest cache policy)
   * @param origin the packaging group's origin
   */
  public static addTo(distribution: cloudfront.Distribution, origin: cloudfront.IOrigin, options: VodBehaviorOptions = {}): void {
    const existing = new Set(renderedBehaviors(distribution).map(b => b.pathPattern));
    for (const pattern of [...VodBehaviors.MANIFEST_PATH_PATTERNS, VodBehaviors.EGRESS_PATH_PATTERN]) {
      if (existing.has(pattern)) {
        fail(distribution, `addBehavior('${pattern}')`, 'the distribution already has this pattern (VodBehaviors.addTo twice, '
          + 'or the VOD behaviors given another way): CloudFront rejects duplicate patterns', pattern);
      }
    }
    const behaviors = VodBehaviors.forOrigin(distribution, origin, options);
    for (const pattern of [...VodBehaviors.MANIFEST_PATH_PATTERNS, VodBehaviors.EGRESS_PATH_PATTERN]) {
      const { origin: _origin, ...rest } = behaviors[pattern];
      distribution.addBehavior(pattern, origin, rest);
    }
  }

  /**
   * Like `forOrigin`, with a new `PackagingGroupOrigin` for `packagingGroup` (shared by the behaviors).
   *
   * @param scope any construct of the distribution's stack
   * @param packagingGroup the packaging group
   */
  public static forGroup(scope: IConstruct, packagingGroup: IPackagingGroup, options: VodGroupBehaviorOptions = {})
    : Record<string, cloudfront.BehaviorOptions> {
    return VodBehaviors.forOrigin(scope, new PackagingGroupOrigin(packagingGroup, options), options);
  }

  /**
   * The viewer access of the behaviors, bound (the keys and CORS policy made once); public when not given. `ownsKeys`:
   * the scope is a VodDistribution, which returns generated keys (elsewhere generating keys fails).
   *
   * @internal
   */
  public static _bindAccess(scope: IConstruct | undefined, options: VodBehaviorOptions, domainNames?: string[],
    ownsKeys?: boolean): _ViewerAccessConfig {
    const access = (options.viewerAccess ?? ViewerAccess.publicAccess())._bind(scope as Construct | undefined, domainNames, ownsKeys);
    if (access.responseHeadersPolicy && options.responseHeadersPolicy) {
      const message = 'viewerAccess.allowedOrigins sets the CORS response headers policy (credentials from those origins): '
        + 'leave responseHeadersPolicy out, or leave allowedOrigins out and allow credentials in your policy';
      if (scope) { fail(scope, 'responseHeadersPolicy', message, options.responseHeadersPolicy.responseHeadersPolicyId); }
      throw new Error(`responseHeadersPolicy: ${message}`);
    }
    return access;
  }

  private constructor() {}
}

function behavior(origin: cloudfront.IOrigin, cachePolicy: cloudfront.ICachePolicy, options: VodBehaviorOptions,
  access: _ViewerAccessConfig): cloudfront.BehaviorOptions {
  return {
    origin,
    cachePolicy,
    originRequestPolicy: cloudfront.OriginRequestPolicy.CORS_S3_ORIGIN,
    responseHeadersPolicy: access.responseHeadersPolicy ?? options.responseHeadersPolicy ?? cloudfront.ResponseHeadersPolicy.CORS_ALLOW_ALL_ORIGINS,
    // OPTIONS allowed and cached: a web player's CORS preflight is answered, from the cache after the first.
    allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
    cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD_OPTIONS,
    trustedKeyGroups: access.trustedKeyGroups,
    viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
    compress: true,
  };
}
