/**
 * Delivery through CloudFront: PackagingGroupOrigin, VodDistribution, VodBehaviors, VodCachePolicies.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Lazy, SecretValue, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  CdnAuthorization, PackagingGroup, PackagingGroupOrigin, VodBehaviors, VodCachePolicies, VodDistribution,
} from '../../src';

function newStack(app = new App()): Stack {
  return new Stack(app, 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
}

const HOST = 'abc123.egress.mediapackage-vod.eu-west-1.amazonaws.com';
const MANAGED = {
  elementalMediaPackageCache: '08627262-05a9-4f76-9ded-b50ca2e3a84f',
  corsS3OriginRequest: '88a5eaf4-2fd4-4709-b370-b4c650ea3fcf',
  simpleCorsResponse: '60669652-455b-4ae9-85a4-c4c02393f86c',
};

/** The one distribution's config. */
function distributionConfig(stack: Stack): any {
  const distributions = Template.fromStack(stack).findResources('AWS::CloudFront::Distribution');
  expect(Object.keys(distributions)).toHaveLength(1);
  return Object.values<any>(distributions)[0].Properties.DistributionConfig;
}

describe('PackagingGroupOrigin', () => {
  test('renders the group host (Select/Split of the GetAtt), HTTPS only, TLS 1.2, the header as a dynamic reference', () => {
    const stack = newStack();
    const group = new PackagingGroup(stack, 'Group', { authorization: CdnAuthorization.withGeneratedSecret() });
    new cloudfront.Distribution(stack, 'Cdn', { defaultBehavior: { origin: new PackagingGroupOrigin(group) } });
    const secretId = Object.keys(Template.fromStack(stack).findResources('AWS::SecretsManager::Secret'))[0];
    const config = distributionConfig(stack);
    expect(config.Origins).toEqual([{
      Id: config.Origins[0].Id,
      DomainName: { 'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': ['GroupC77FDACD', 'DomainName'] }] }] },
      CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
      OriginCustomHeaders: [{
        HeaderName: 'X-MediaPackage-CDNIdentifier',
        HeaderValue: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:MediaPackageCDNIdentifier::}}']] },
      }],
    }]);
  });

  test('sends no header for a group without CDN authorization', () => {
    const stack = newStack();
    const group = new PackagingGroup(stack, 'Group');
    const origin = new PackagingGroupOrigin(group);
    new cloudfront.Distribution(stack, 'Cdn', { defaultBehavior: { origin } });
    expect(distributionConfig(stack).Origins[0].OriginCustomHeaders).toBeUndefined();
    expect(origin.cdnIdentifierSecret).toBeUndefined();
  });

  test('an imported group (URL or host) with the secret given: literal host, the header from that secret', () => {
    for (const domainName of [`https://${HOST}`, HOST]) {
      const stack = newStack();
      const group = PackagingGroup.fromPackagingGroupAttributes(stack, 'Imported', { packagingGroupId: 'existing', domainName });
      const arn = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:cdn-id-AbCdEf';
      const secret = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Secret', arn);
      new cloudfront.Distribution(stack, 'Cdn', { defaultBehavior: { origin: new PackagingGroupOrigin(group, { cdnIdentifierSecret: secret }) } });
      const origin = distributionConfig(stack).Origins[0];
      expect(origin.DomainName).toEqual(HOST);
      expect(origin.OriginCustomHeaders).toEqual([{
        HeaderName: 'X-MediaPackage-CDNIdentifier',
        HeaderValue: `{{resolve:secretsmanager:${arn}:SecretString:MediaPackageCDNIdentifier::}}`,
      }]);
    }
  });

  test('keeps other origin options and custom headers', () => {
    const stack = newStack();
    const group = new PackagingGroup(stack, 'Group');
    const origin = new PackagingGroupOrigin(group, { customHeaders: { 'X-Team': 'video' }, connectionAttempts: 2, originShieldRegion: 'eu-west-1' });
    new cloudfront.Distribution(stack, 'Cdn', { defaultBehavior: { origin } });
    expect(distributionConfig(stack).Origins[0]).toMatchObject({
      ConnectionAttempts: 2,
      OriginShield: { Enabled: true, OriginShieldRegion: 'eu-west-1' },
      OriginCustomHeaders: [{ HeaderName: 'X-Team', HeaderValue: 'video' }],
    });
  });

  test('the synthesized assembly never holds the secret\'s value: adding the origin adds no occurrence of it', () => {
    // The value is made known to CDK on purpose (a plain-text secret), so that the search below can find it.
    const value = 'plain-cdn-identifier-0123456789abcdef';
    const occurrences = (withCdn: boolean): number => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdn-secret-'));
      const stack = newStack(new App({ outdir }));
      const secret = new secretsmanager.Secret(stack, 'Secret', {
        secretObjectValue: { MediaPackageCDNIdentifier: SecretValue.unsafePlainText(value) },
      });
      const group = new PackagingGroup(stack, 'Group', { authorization: CdnAuthorization.fromSecret(secret) });
      if (withCdn) { new VodDistribution(stack, 'Cdn', { packagingGroup: group }); }
      (stack.node.root as App).synth();
      let count = 0;
      const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
          const file = path.join(dir, entry.name);
          if (entry.isDirectory()) { walk(file); } else { count += fs.readFileSync(file, 'utf8').split(value).length - 1; }
        }
      };
      walk(outdir);
      return count;
    };
    const without = occurrences(false);
    expect(without).toBeGreaterThan(0); // the search finds the value where the user put it (the secret's own resource)
    expect(occurrences(true)).toEqual(without);
  });

  describe('bad input', () => {
    test('fails when told not to send the header for a group with CDN authorization', () => {
      const stack = newStack();
      const group = new PackagingGroup(stack, 'Group', { authorization: CdnAuthorization.withGeneratedSecret() });
      expect(() => new PackagingGroupOrigin(group, { sendCdnIdentifier: false })).toThrow(
        '[Stack/Group] PackagingGroupOrigin.sendCdnIdentifier: the group has CDN authorization: without header '
        + 'X-MediaPackage-CDNIdentifier MediaPackage answers every request with 403 (got false)');
    });

    test('fails when told to send the header with no way to read the secret', () => {
      const stack = newStack();
      const group = PackagingGroup.fromPackagingGroupAttributes(stack, 'Imported', { packagingGroupId: 'existing', domainName: HOST });
      expect(() => new PackagingGroupOrigin(group, { sendCdnIdentifier: true })).toThrow(
        /\[Stack\/Imported\] PackagingGroupOrigin.cdnIdentifierSecret: sendCdnIdentifier is true but there is no secret .* \(got undefined\)/);
    });

    test('fails for another secret than the group\'s', () => {
      const stack = newStack();
      const mine = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Mine', 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:y-AbCdEf');
      const group = new PackagingGroup(stack, 'Group', { authorization: CdnAuthorization.fromSecret(mine) });
      const other = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Other', 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:x-AbCdEf');
      expect(() => new PackagingGroupOrigin(group, { cdnIdentifierSecret: other })).toThrow(
        /\[Stack\/Group\] PackagingGroupOrigin.cdnIdentifierSecret: the group was created with CDN authorization from another secret.*\(got 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:x-AbCdEf'\)/);
      // The group's own secret is fine.
      expect(() => new PackagingGroupOrigin(group, { cdnIdentifierSecret: group.cdnIdentifierSecret })).not.toThrow();
    });

    test('the group\'s secret imported another way (a Token ARN, or the literal ARN of a generated secret) is not refused', () => {
      const stack = newStack();
      const arn = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:y-AbCdEf';
      const group = new PackagingGroup(stack, 'Group', {
        authorization: CdnAuthorization.fromSecret(secretsmanager.Secret.fromSecretCompleteArn(stack, 'Mine', arn)),
      });
      const again = secretsmanager.Secret.fromSecretAttributes(stack, 'Again', { secretCompleteArn: Lazy.string({ produce: () => arn }) });
      expect(() => new PackagingGroupOrigin(group, { cdnIdentifierSecret: again })).not.toThrow();
      const generated = new PackagingGroup(stack, 'Generated', { authorization: CdnAuthorization.withGeneratedSecret() });
      const deployed = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Deployed', arn);
      expect(() => new PackagingGroupOrigin(generated, { cdnIdentifierSecret: deployed })).not.toThrow();
    });

    test('fails for the CDN identifier header given as a plain custom header', () => {
      const stack = newStack();
      const group = new PackagingGroup(stack, 'Group');
      expect(() => new PackagingGroupOrigin(group, { customHeaders: { 'x-mediapackage-cdnidentifier': 'plain' } })).toThrow(
        /\[Stack\/Group\] PackagingGroupOrigin.customHeaders.x-mediapackage-cdnidentifier: the origin sets this header itself .* \(got 'x-mediapackage-cdnidentifier'\)/);
    });

    test('fails for an imported group without a domain name', () => {
      const stack = newStack();
      const group = PackagingGroup.fromPackagingGroupId(stack, 'Imported', 'existing');
      expect(() => new PackagingGroupOrigin(group)).toThrow(/\[Stack\/Imported\] egressDomain: not known/);
    });
  });
});

/** A manifest cache policy's properties: brief TTLs, aws.manifestfilter, compression, and `headers` in the key. */
function manifestPolicyProps(comment: string, headers: object): object {
  return {
    CachePolicyConfig: {
      Comment: Match.stringLikeRegexp(comment),
      MinTTL: 0,
      DefaultTTL: 60,
      MaxTTL: 300,
      Name: Match.anyValue(),
      ParametersInCacheKeyAndForwardedToOrigin: {
        CookiesConfig: { CookieBehavior: 'none' },
        EnableAcceptEncodingBrotli: true,
        EnableAcceptEncodingGzip: true,
        HeadersConfig: headers,
        QueryStringsConfig: { QueryStringBehavior: 'whitelist', QueryStrings: ['aws.manifestfilter'] },
      },
    },
  };
}

describe('VodCachePolicies', () => {
  test('manifests: one policy per stack at a stable path, brief TTLs, aws.manifestfilter and Origin in the key', () => {
    const stack = newStack();
    const a = VodCachePolicies.manifests(stack);
    const b = VodCachePolicies.manifests(new s3.Bucket(stack, 'Deep'));
    expect(a).toBe(b);
    expect((a as unknown as cloudfront.CachePolicy).node.path).toEqual('Stack/MediaPackageVodManifestCachePolicyByOrigin');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudFront::CachePolicy', 1);
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', manifestPolicyProps('MediaPackage VOD manifests', { HeaderBehavior: 'whitelist', Headers: ['Origin'] }));
  });

  test('manifestsForAnyOrigin: one policy per stack, the same without Origin in the key', () => {
    const stack = newStack();
    const a = VodCachePolicies.manifestsForAnyOrigin(stack);
    expect(VodCachePolicies.manifestsForAnyOrigin(new s3.Bucket(stack, 'Deep'))).toBe(a);
    expect(a).not.toBe(VodCachePolicies.manifests(stack));
    expect((a as unknown as cloudfront.CachePolicy).node.path).toEqual('Stack/MediaPackageVodManifestCachePolicy');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudFront::CachePolicy', 2);
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', manifestPolicyProps('Access-Control-Allow-Origin', { HeaderBehavior: 'none' }));
  });

  test('segments: the managed Elemental-MediaPackage policy, nothing created', () => {
    const stack = newStack();
    expect(stack.resolve(VodCachePolicies.segments().cachePolicyId)).toEqual(MANAGED.elementalMediaPackageCache);
    Template.fromStack(stack).resourceCountIs('AWS::CloudFront::CachePolicy', 0);
  });
});

const VOD_BEHAVIOR = {
  AllowedMethods: ['GET', 'HEAD', 'OPTIONS'],
  CachedMethods: ['GET', 'HEAD', 'OPTIONS'],
  Compress: true,
  OriginRequestPolicyId: MANAGED.corsS3OriginRequest,
  ResponseHeadersPolicyId: MANAGED.simpleCorsResponse,
  ViewerProtocolPolicy: 'redirect-to-https',
};

describe('VodDistribution', () => {
  test('segments on the default behavior, manifests on three patterns, HTTP/2 and 3, IPv6', () => {
    const stack = newStack();
    const group = new PackagingGroup(stack, 'Group', { authorization: CdnAuthorization.withGeneratedSecret() });
    const cdn = new VodDistribution(stack, 'Cdn', { packagingGroup: group });
    const config = distributionConfig(stack);
    const originId = config.Origins[0].Id;
    const manifestPolicy = { Ref: Object.keys(Template.fromStack(stack).findResources('AWS::CloudFront::CachePolicy'))[0] };

    expect(config).toEqual({
      Enabled: true,
      HttpVersion: 'http2and3',
      IPV6Enabled: true,
      Origins: [expect.objectContaining({ Id: originId, CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] } })],
      DefaultCacheBehavior: { ...VOD_BEHAVIOR, CachePolicyId: MANAGED.elementalMediaPackageCache, TargetOriginId: originId },
      CacheBehaviors: ['out/*.m3u8', 'out/*.mpd', 'out/*/Manifest'].map(PathPattern => ({
        ...VOD_BEHAVIOR, PathPattern, CachePolicyId: manifestPolicy, TargetOriginId: originId,
      })),
    });
    expect(cdn.distribution).toBeInstanceOf(cloudfront.Distribution);
    expect(cdn.origin.cdnIdentifierSecret).toBe(group.cdnIdentifierSecret);
  });

  test('two distributions in a stack share one manifest cache policy; the group and its secret keep their ids', () => {
    const ids = (withCdn: boolean) => {
      const stack = newStack();
      const group = new PackagingGroup(stack, 'Group', { authorization: CdnAuthorization.withGeneratedSecret() });
      if (withCdn) {
        new VodDistribution(stack, 'Cdn', { packagingGroup: group });
        new VodDistribution(stack, 'Cdn2', { packagingGroup: group });
      }
      const template = Template.fromStack(stack);
      if (withCdn) { template.resourceCountIs('AWS::CloudFront::CachePolicy', 1); }
      return Object.keys(template.toJSON().Resources).filter(id => !/^(Cdn|MediaPackageVod)/.test(id)).sort();
    };
    expect(ids(true)).toEqual(ids(false));
  });

  test('passes the distribution options through', () => {
    const stack = newStack();
    const group = new PackagingGroup(stack, 'Group');
    const logBucket = s3.Bucket.fromBucketName(stack, 'Logs', 'my-cdn-logs');
    const policy = cloudfront.ResponseHeadersPolicy.CORS_ALLOW_ALL_ORIGINS_WITH_PREFLIGHT;
    new VodDistribution(stack, 'Cdn', {
      packagingGroup: group,
      logBucket,
      logFilePrefix: 'vod/',
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      geoRestriction: cloudfront.GeoRestriction.allowlist('DE', 'FR'),
      webAclId: 'arn:aws:wafv2:us-east-1:111111111111:global/webacl/vod/abc',
      comment: 'VOD',
      responseHeadersPolicy: policy,
      additionalBehaviors: { 'player/*': { origin: new origins.HttpOrigin('player.example.com') } },
    });
    const config = distributionConfig(stack);
    expect(config).toMatchObject({
      Logging: { Bucket: 'my-cdn-logs.s3.eu-west-1.amazonaws.com', Prefix: 'vod/' },
      PriceClass: 'PriceClass_100',
      Restrictions: { GeoRestriction: { Locations: ['DE', 'FR'], RestrictionType: 'whitelist' } },
      WebACLId: 'arn:aws:wafv2:us-east-1:111111111111:global/webacl/vod/abc',
      Comment: 'VOD',
      DefaultCacheBehavior: { ResponseHeadersPolicyId: stack.resolve(policy.responseHeadersPolicyId) },
    });
    // The VOD behaviors come first, the user's after them.
    expect(config.CacheBehaviors.map((b: any) => b.PathPattern)).toEqual(['out/*.m3u8', 'out/*.mpd', 'out/*/Manifest', 'player/*']);
  });

  describe('additional behaviors that shadow the VOD behaviors', () => {
    test.each(['*', 'out/*', '/out/*', '*.m3u8', '*.mpd', '*/Manifest', 'out/v1/*', '*.ts', 'o?t/*', '*out*', 'out/*.vtt', 'out/*.html'])('fail for %s', (pattern) => {
      const stack = newStack();
      const group = new PackagingGroup(stack, 'Group');
      const quoted = pattern.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      expect(() => new VodDistribution(stack, 'Cdn', {
        packagingGroup: group,
        additionalBehaviors: { [pattern]: { origin: new origins.HttpOrigin('example.com') } },
      })).toThrow(new RegExp(`^\\[Stack/Cdn\\] additionalBehaviors\\['${quoted}'\\]: the pattern matches paths under /out/, .* \\(got '${quoted}'\\)$`));
    });

    test.each(['player/*', '/images/*.png', 'index.html', 'ou/*', 'outside/*', 'api/out/*', '*.html', '*.png', '*/img/*.svg'])('accept %s', (pattern) => {
      const stack = newStack();
      const group = new PackagingGroup(stack, 'Group');
      expect(() => new VodDistribution(stack, 'Cdn', {
        packagingGroup: group,
        additionalBehaviors: { [pattern]: { origin: new origins.HttpOrigin('example.com') } },
      })).not.toThrow();
      // The final-behaviors check at synth agrees.
      expect(distributionConfig(stack).CacheBehaviors.map((b: any) => b.PathPattern)).toContain(pattern);
    });

    test('a Token path pattern is not checked', () => {
      const stack = newStack();
      const group = new PackagingGroup(stack, 'Group');
      const pattern = Lazy.string({ produce: () => 'out/*' });
      expect(() => new VodDistribution(stack, 'Cdn', {
        packagingGroup: group,
        additionalBehaviors: { [pattern]: { origin: new origins.HttpOrigin('example.com') } },
      })).not.toThrow();
    });
  });
});

describe('VodBehaviors', () => {
  test('forGroup: one origin for the manifest patterns then out/*, for a distribution with another default', () => {
    const stack = newStack();
    const group = new PackagingGroup(stack, 'Group');
    new cloudfront.Distribution(stack, 'Cdn', {
      defaultBehavior: { origin: new origins.HttpOrigin('www.example.com') },
      additionalBehaviors: VodBehaviors.forGroup(stack, group),
    });
    const config = distributionConfig(stack);
    expect(config.Origins).toHaveLength(2);
    const groupOrigin = config.Origins.find((o: any) => typeof o.DomainName !== 'string').Id;
    const manifestPolicy = { Ref: Object.keys(Template.fromStack(stack).findResources('AWS::CloudFront::CachePolicy'))[0] };
    expect(config.CacheBehaviors).toEqual([
      ...['out/*.m3u8', 'out/*.mpd', 'out/*/Manifest'].map(PathPattern => ({
        ...VOD_BEHAVIOR, PathPattern, CachePolicyId: manifestPolicy, TargetOriginId: groupOrigin,
      })),
      { ...VOD_BEHAVIOR, PathPattern: 'out/*', CachePolicyId: MANAGED.elementalMediaPackageCache, TargetOriginId: groupOrigin },
    ]);
  });

  test('addTo: the same behaviors as forOrigin, added in order after the distribution\'s own', () => {
    const stack = newStack();
    const group = new PackagingGroup(stack, 'Group');
    const origin = new PackagingGroupOrigin(group);
    const cdn = new cloudfront.Distribution(stack, 'Cdn', {
      defaultBehavior: { origin: new origins.HttpOrigin('www.example.com') },
      additionalBehaviors: { 'api/*': { origin: new origins.HttpOrigin('api.example.com') } },
    });
    VodBehaviors.addTo(cdn, origin, { responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS });
    const config = distributionConfig(stack);
    const groupOrigin = config.Origins.find((o: any) => typeof o.DomainName !== 'string').Id;
    const manifestPolicy = { Ref: Object.keys(Template.fromStack(stack).findResources('AWS::CloudFront::CachePolicy'))[0] };
    const vod = { ...VOD_BEHAVIOR, ResponseHeadersPolicyId: '67f7725c-6f97-4210-82d7-5512b31e9d03', TargetOriginId: groupOrigin };
    expect(config.CacheBehaviors.map((b: any) => b.PathPattern)).toEqual(['api/*', 'out/*.m3u8', 'out/*.mpd', 'out/*/Manifest', 'out/*']);
    expect(config.CacheBehaviors.slice(1)).toEqual([
      ...['out/*.m3u8', 'out/*.mpd', 'out/*/Manifest'].map(PathPattern => ({ ...vod, PathPattern, CachePolicyId: manifestPolicy })),
      { ...vod, PathPattern: 'out/*', CachePolicyId: MANAGED.elementalMediaPackageCache },
    ]);
    // One origin for the four behaviors, and the same template as forOrigin in additionalBehaviors.
    expect(config.Origins).toHaveLength(3);
    const twin = newStack();
    const twinOrigin = new PackagingGroupOrigin(new PackagingGroup(twin, 'Group'));
    new cloudfront.Distribution(twin, 'Cdn', {
      defaultBehavior: { origin: new origins.HttpOrigin('www.example.com') },
      additionalBehaviors: {
        'api/*': { origin: new origins.HttpOrigin('api.example.com') },
        ...VodBehaviors.forOrigin(twin, twinOrigin, { responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS }),
      },
    });
    expect(Template.fromStack(stack).toJSON()).toEqual(Template.fromStack(twin).toJSON());
  });

  test('segments and manifests behaviors take another response headers policy', () => {
    const stack = newStack();
    const origin = new PackagingGroupOrigin(new PackagingGroup(stack, 'Group'));
    const responseHeadersPolicy = cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS;
    expect(VodBehaviors.segments(origin, { responseHeadersPolicy }).responseHeadersPolicy).toBe(responseHeadersPolicy);
    expect(VodBehaviors.manifests(stack, origin, { responseHeadersPolicy }).responseHeadersPolicy).toBe(responseHeadersPolicy);
    expect(VodBehaviors.manifests(stack, origin, { responseHeadersPolicy }).cachePolicy).toBe(VodCachePolicies.manifests(stack));
    // The default CORS policy answers `*`: Origin stays out of the manifest cache key.
    expect(VodBehaviors.manifests(stack, origin).cachePolicy).toBe(VodCachePolicies.manifestsForAnyOrigin(stack));
  });
});
