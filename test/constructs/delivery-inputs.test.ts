/**
 * Delivery inputs of #22: bad VodDistribution props, the final behaviors of any distribution that serves a group,
 * the delivery details (methods, cache key, TLS), the alias in URLs and the CDN identifier warning.
 */
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';

import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AssetSource, CdnAuthorization, PackagingFormat, PackagingGroup, PackagingGroupOrigin, VodBehaviors, VodDistribution } from '../../src';

const ENV = { account: '111111111111', region: 'eu-west-1' };
const CERT_ARN = 'arn:aws:acm:us-east-1:111111111111:certificate/abc';

function setup() {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: ENV });
  const group = new PackagingGroup(stack, 'Group');
  return { app, stack, group };
}

/** Expects `fn` to throw the library's error naming the construct path, the property and the value. */
function expectProblem(fn: () => unknown, path: string, property: string, value: string): void {
  let error: unknown;
  try { fn(); } catch (e) { error = e; }
  expect(error).toBeInstanceOf(Error);
  const message = (error as Error).message;
  expect(message).toContain(`[${path}] ${property}:`);
  expect(message).toContain(`(got ${value}`);
}

describe('VodDistribution: bad inputs fail at synth', () => {
  test('domainNames without certificate', () => {
    const { stack, group } = setup();
    expectProblem(() => new VodDistribution(stack, 'Cdn', { packagingGroup: group, domainNames: ['video.example.com'] }),
      'Stack/Cdn', 'domainNames', '["video.example.com"]');
  });

  test('a comment over 128 characters; 128 is fine', () => {
    const { stack, group } = setup();
    new VodDistribution(stack, 'Ok', { packagingGroup: group, comment: 'c'.repeat(128) });
    const long = 'c'.repeat(129);
    expectProblem(() => new VodDistribution(stack, 'Cdn', { packagingGroup: group, comment: long }),
      'Stack/Cdn', 'comment', `'${long}'`);
  });

  test('originOptions.originAccessControlId: not for this custom origin', () => {
    const { stack, group } = setup();
    expectProblem(() => new VodDistribution(stack, 'Cdn', {
      packagingGroup: group, originOptions: { originAccessControlId: 'E2ABCDEF' },
    }), 'Stack/Cdn', 'originOptions.originAccessControlId', '\'E2ABCDEF\'');
  });

  test('a logBucket with BucketOwnerEnforced (given, or S3\'s default); ObjectWriter and imported buckets pass', () => {
    const { stack, group } = setup();
    const enforced = new s3.Bucket(stack, 'Enforced', { objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED });
    expectProblem(() => new VodDistribution(stack, 'Cdn', { packagingGroup: group, logBucket: enforced }),
      'Stack/Cdn', 'logBucket', '\'Stack/Enforced\'');
    const byDefault = new s3.Bucket(stack, 'Default');
    expectProblem(() => new VodDistribution(stack, 'Cdn2', { packagingGroup: group, logBucket: byDefault }),
      'Stack/Cdn2', 'logBucket', '\'Stack/Default\'');
    const writer = new s3.Bucket(stack, 'Writer', { objectOwnership: s3.ObjectOwnership.OBJECT_WRITER });
    new VodDistribution(stack, 'Ok', { packagingGroup: group, logBucket: writer });
    new VodDistribution(stack, 'Imported', { packagingGroup: group, logBucket: s3.Bucket.fromBucketName(stack, 'Logs', 'my-logs') });
    Template.fromStack(stack).resourceCountIs('AWS::CloudFront::Distribution', 2);
  });

  test('an egress domain in another Region than the group ARN', () => {
    const { stack } = setup();
    const egress = 'abc123.egress.mediapackage-vod.us-west-2.amazonaws.com';
    const group = PackagingGroup.fromPackagingGroupAttributes(stack, 'Imported', {
      packagingGroupArn: 'arn:aws:mediapackage-vod:eu-west-1:111111111111:packaging-groups/existing',
      domainName: `https://${egress}`,
    });
    expectProblem(() => new VodDistribution(stack, 'Cdn', { packagingGroup: group }),
      'Stack/Cdn', 'packagingGroup.egressDomain', `'${egress}'`);
    const same = PackagingGroup.fromPackagingGroupAttributes(stack, 'Same', {
      packagingGroupArn: 'arn:aws:mediapackage-vod:eu-west-1:111111111111:packaging-groups/other',
      domainName: 'https://abc123.egress.mediapackage-vod.eu-west-1.amazonaws.com',
    });
    new VodDistribution(stack, 'Ok', { packagingGroup: same });
  });
});

describe('VodDistribution: delivery details', () => {
  /** The manifest behaviors' cache policy's key headers. */
  function manifestKeyHeaders(stack: Stack): unknown {
    const template = Template.fromStack(stack);
    const config = Object.values<any>(template.findResources('AWS::CloudFront::Distribution'))[0].Properties.DistributionConfig;
    const manifest = config.CacheBehaviors.find((b: any) => b.PathPattern === 'out/*.m3u8');
    const policy = template.toJSON().Resources[manifest.CachePolicyId.Ref];
    return policy.Properties.CachePolicyConfig.ParametersInCacheKeyAndForwardedToOrigin.HeadersConfig;
  }

  test('GET, HEAD and OPTIONS allowed and cached on every behavior of the group (a CORS preflight is answered)', () => {
    const { stack, group } = setup();
    new VodDistribution(stack, 'Cdn', { packagingGroup: group });
    const config = Object.values<any>(Template.fromStack(stack).findResources('AWS::CloudFront::Distribution'))[0].Properties.DistributionConfig;
    for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
      expect(behavior.AllowedMethods).toEqual(['GET', 'HEAD', 'OPTIONS']);
      expect(behavior.CachedMethods).toEqual(['GET', 'HEAD', 'OPTIONS']);
    }
  });

  test('with the default Access-Control-Allow-Origin *, Origin is not in the manifest cache key; with a policy of yours it is', () => {
    const star = setup();
    new VodDistribution(star.stack, 'Cdn', { packagingGroup: star.group });
    expect(manifestKeyHeaders(star.stack)).toEqual({ HeaderBehavior: 'none' });
    const own = setup();
    new VodDistribution(own.stack, 'Cdn', {
      packagingGroup: own.group, responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.CORS_ALLOW_ALL_ORIGINS_WITH_PREFLIGHT,
    });
    expect(manifestKeyHeaders(own.stack)).toEqual({ HeaderBehavior: 'whitelist', Headers: ['Origin'] });
  });

  test('with a certificate the minimum viewer protocol is TLSv1.2_2021', () => {
    const { stack, group } = setup();
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN);
    new VodDistribution(stack, 'Cdn', { packagingGroup: group, domainNames: ['video.example.com'], certificate });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['video.example.com'],
        ViewerCertificate: { AcmCertificateArn: CERT_ARN, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' },
      }),
    });
  });
});


/** Synthesizes the app and returns the validation error message (CDK prefixes each problem with the construct path). */
function synthError(app: App): string {
  try {
    app.synth();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('synth passed');
}

function siteDistribution(stack: Stack): cloudfront.Distribution {
  const site = s3.Bucket.fromBucketName(stack, 'SiteBucket', 'my-site');
  return new cloudfront.Distribution(stack, 'Site', { defaultBehavior: { origin: origins.S3BucketOrigin.withOriginAccessControl(site) } });
}

describe('the final behaviors of a distribution that serves a group', () => {
  test('VodBehaviors.addTo twice on one distribution fails with the duplicate pattern', () => {
    const { stack, group } = setup();
    const site = siteDistribution(stack);
    const origin = new PackagingGroupOrigin(group);
    VodBehaviors.addTo(site, origin);
    expectProblem(() => VodBehaviors.addTo(site, origin), 'Stack/Site', 'addBehavior(\'out/*.m3u8\')', '\'out/*.m3u8\'');
  });

  test('addTo after the distribution got the VOD behaviors as a map: the same error', () => {
    const { stack, group } = setup();
    const site = siteDistribution(stack);
    for (const [pattern, options] of Object.entries(VodBehaviors.forGroup(stack, group))) {
      const { origin, ...rest } = options;
      site.addBehavior(pattern, origin, rest);
    }
    expectProblem(() => VodBehaviors.addTo(site, new PackagingGroupOrigin(group)), 'Stack/Site', 'addBehavior(\'out/*.m3u8\')',
      '\'out/*.m3u8\'');
  });

  test('addTo / forGroup in order synthesize', () => {
    const { app, stack, group } = setup();
    VodBehaviors.addTo(siteDistribution(stack), new PackagingGroupOrigin(group));
    new cloudfront.Distribution(stack, 'Other', {
      defaultBehavior: { origin: new origins.HttpOrigin('example.com') },
      additionalBehaviors: { 'player/*': { origin: new origins.HttpOrigin('player.example.com') }, ...VodBehaviors.forGroup(stack, group) },
    });
    expect(() => app.synth()).not.toThrow();
  });

  test('out/* before the manifest patterns (a map copied out of order, as Go or a Java HashMap does) fails', () => {
    const { app, stack, group } = setup();
    const map = VodBehaviors.forGroup(stack, group);
    const reordered: Record<string, cloudfront.BehaviorOptions> = { 'out/*': map['out/*'] };
    for (const pattern of VodBehaviors.MANIFEST_PATH_PATTERNS) { reordered[pattern] = map[pattern]; }
    new cloudfront.Distribution(stack, 'Cdn', { defaultBehavior: { origin: new origins.HttpOrigin('example.com') }, additionalBehaviors: reordered });
    const message = synthError(app);
    expect(message).toContain('[Stack/Cdn]');
    expect(message).toContain('cacheBehaviors[1].pathPattern: never matches: the packaging group\'s \'out/*\' before it');
    expect(message).toContain('(got \'out/*.m3u8\')');
  });

  test('addBehavior(\'*.ts\') on a VodDistribution after construction shadows the segments', () => {
    const { app, stack, group } = setup();
    const cdn = new VodDistribution(stack, 'Cdn', { packagingGroup: group });
    cdn.distribution.addBehavior('*.ts', new origins.HttpOrigin('other.example.com'));
    const message = synthError(app);
    expect(message).toContain('[Stack/Cdn/Distribution]');
    expect(message).toContain('cacheBehaviors[3].pathPattern: matches paths under /out/ with another origin than the packaging group');
    expect(message).toContain('(got \'*.ts\')');
  });

  test('addBehavior(\'out/*.vtt\') after addTo never matches', () => {
    const { app, stack, group } = setup();
    const site = siteDistribution(stack);
    const origin = new PackagingGroupOrigin(group);
    VodBehaviors.addTo(site, origin);
    site.addBehavior('out/*.vtt', origin);
    const message = synthError(app);
    expect(message).toContain('[Stack/Site]');
    expect(message).toContain('cacheBehaviors[4].pathPattern: never matches');
    expect(message).toContain('(got \'out/*.vtt\')');
  });
});

describe('playback and catalog URLs through a distribution with domainNames', () => {
  function media() {
    const { stack, group } = setup();
    const bucket = new s3.Bucket(stack, 'Media');
    const hls = group.addPackagingConfiguration('Hls', { format: PackagingFormat.hls({ manifests: [{}] }) });
    const movie = group.addAsset('Movie', { source: AssetSource.fromBucket(bucket, 'movies/movie1/index.smil') });
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN);
    return { stack, group, bucket, hls, movie, certificate };
  }

  /** The parts before the path of output `Play` (an Fn::Join: `https://<alias>` as one literal, or `https://` and a GetAtt). */
  function playHost(stack: Stack): unknown {
    const parts: unknown[] = Template.fromStack(stack).toJSON().Outputs.Play.Value['Fn::Join'][1];
    return parts.length === 2 ? parts[0] : parts.slice(0, 2);
  }

  test('the first alias by default, through the VodDistribution or its distribution', () => {
    const { stack, group, hls, movie, certificate } = media();
    const cdn = new VodDistribution(stack, 'Cdn', { packagingGroup: group, domainNames: ['video.example.com', 'v.example.com'], certificate });
    expect(cdn.playbackDomainName).toEqual('video.example.com');
    new CfnOutput(stack, 'Play', { value: movie.playbackUrl(hls, { distribution: cdn.distribution }) });
    expect(playHost(stack)).toEqual('https://video.example.com');
    expect(stack.resolve(movie.playbackUrl(hls, { distribution: cdn })))
      .toEqual(stack.resolve(movie.playbackUrl(hls, { distribution: cdn.distribution })));
  });

  test('playbackDomainName chooses another of domainNames; a name not among them fails', () => {
    const { stack, group, hls, movie, certificate } = media();
    const cdn = new VodDistribution(stack, 'Cdn', {
      packagingGroup: group, domainNames: ['video.example.com', 'v.example.com'], certificate, playbackDomainName: 'v.example.com',
    });
    new CfnOutput(stack, 'Play', { value: movie.playbackUrl(hls, { distribution: cdn }) });
    expect(playHost(stack)).toEqual('https://v.example.com');
    expectProblem(() => new VodDistribution(stack, 'Bad', {
      packagingGroup: group, domainNames: ['video.example.com'], certificate, playbackDomainName: 'other.example.com',
    }), 'Stack/Bad', 'playbackDomainName', '\'other.example.com\'');
  });

  test('without domainNames: the cloudfront.net domain (as before)', () => {
    const { stack, group, hls, movie } = media();
    const cdn = new VodDistribution(stack, 'Cdn', { packagingGroup: group });
    new CfnOutput(stack, 'Play', { value: movie.playbackUrl(hls, { distribution: cdn }) });
    expect(playHost(stack)).toEqual(['https://', { 'Fn::GetAtt': [stack.getLogicalId(cdn.distribution.node.defaultChild as any), 'DomainName'] }]);
  });

  test('a cloudfront.Distribution of this app with domainNames: its first alias', () => {
    const { stack, group, hls, movie, certificate } = media();
    const site = new cloudfront.Distribution(stack, 'Site', {
      defaultBehavior: { origin: new PackagingGroupOrigin(group) }, domainNames: ['watch.example.com'], certificate,
    });
    new CfnOutput(stack, 'Play', { value: movie.playbackUrl(hls, { distribution: site }) });
    expect(playHost(stack)).toEqual('https://watch.example.com');
  });

  test('the catalog gets the alias as its playback domain', () => {
    const { stack, group, bucket, certificate } = media();
    const cdn = new VodDistribution(stack, 'Cdn', { packagingGroup: group, domainNames: ['video.example.com'], certificate });
    group.addBucketIngest('Ingest', { bucket, keyPatterns: ['x/*.smil'], catalog: true, catalogDistribution: cdn });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ CATALOG_PLAYBACK_DOMAIN: 'video.example.com' }) },
    });
  });
});

describe('a group with CDN authorization served through an origin without the CDN identifier', () => {
  test('a plain HttpOrigin on group.egressDomain: a warning on the distribution; PackagingGroupOrigin: none', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const group = new PackagingGroup(stack, 'Group', { authorization: CdnAuthorization.withGeneratedSecret() });
    new cloudfront.Distribution(stack, 'Plain', { defaultBehavior: { origin: new origins.HttpOrigin(group.egressDomain) } });
    new VodDistribution(stack, 'Cdn', { packagingGroup: group });
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/Stack/Plain', Match.stringLikeRegexp('^origins\\[0\\]: is the egress domain of packaging group Stack/Group, '
      + 'which has CDN authorization, but sends no X-MediaPackage-CDNIdentifier'));
    annotations.hasNoWarning('/Stack/Cdn/Distribution', Match.stringLikeRegexp('X-MediaPackage-CDNIdentifier'));
  });

  test('a group without CDN authorization: no warning', () => {
    const { stack, group } = setup();
    new cloudfront.Distribution(stack, 'Plain', { defaultBehavior: { origin: new origins.HttpOrigin(group.egressDomain) } });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('X-MediaPackage-CDNIdentifier'));
  });
});

describe('final behaviors: what cannot take a group file is left alone', () => {
  test('a page pattern of another origin (*.html) before or after the VOD behaviors synthesizes', () => {
    for (const before of [true, false]) {
      const app = new App();
      const stack = new Stack(app, 'Site', { env: { account: '111111111111', region: 'eu-west-1' } });
      const group = new PackagingGroup(stack, 'Group');
      const site = new origins.HttpOrigin('www.example.com');
      const distribution = new cloudfront.Distribution(stack, 'Cdn', { defaultBehavior: { origin: site } });
      if (before) { distribution.addBehavior('*.html', site); }
      VodBehaviors.addTo(distribution, new PackagingGroupOrigin(group));
      if (!before) { distribution.addBehavior('*.html', site); }
      expect(() => Template.fromStack(stack)).not.toThrow();
    }
  });

  test('a segment pattern of another origin (*.ts) before the VOD behaviors still fails', () => {
    const app = new App();
    const stack = new Stack(app, 'Site', { env: { account: '111111111111', region: 'eu-west-1' } });
    const group = new PackagingGroup(stack, 'Group');
    const other = new origins.HttpOrigin('media.example.com');
    const distribution = new cloudfront.Distribution(stack, 'Cdn', { defaultBehavior: { origin: other } });
    distribution.addBehavior('*.ts', other);
    VodBehaviors.addTo(distribution, new PackagingGroupOrigin(group));
    expect(() => Template.fromStack(stack)).toThrow(/\*\.ts.*another origin|another origin.*\*\.ts/s);
  });
});
