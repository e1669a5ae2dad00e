import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  Asset, AssetSource, BucketIngest, CdnAuthorization, PackagingConfiguration, PackagingFormat, PackagingGroup, PackagingGroupOrigin,
} from '../../src';
import { keyPatternProblem, keyPatternsOverlap } from '../../src/ingest/key-pattern';

const ENV = { account: '111111111111', region: 'eu-west-1' };

function setup() {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: ENV });
  const group = new PackagingGroup(stack, 'Group', { packagingGroupId: 'vod' });
  const bucket = new s3.Bucket(stack, 'Bucket');
  return { app, stack, group, bucket };
}

function plainDistribution(stack: Stack, domain: string): cloudfront.Distribution {
  return new cloudfront.Distribution(stack, 'Plain', { defaultBehavior: { origin: new origins.HttpOrigin(domain) } });
}

describe('CdnAuthorization (#22)', () => {
  test('withGeneratedSecret with an invalid secretName fails with the group path', () => {
    const { stack } = setup();
    expect(() => new PackagingGroup(stack, 'Secured', { authorization: CdnAuthorization.withGeneratedSecret({ secretName: 'bad name!' }) }))
      .toThrow("[Stack/Secured] authorization.secretName: must be 1 to 512 letters, digits and the characters /_+=.@- (Secrets Manager secret names) (got 'bad name!')");
  });

  test('withGeneratedSecret with a valid secretName names the secret', () => {
    const { stack } = setup();
    new PackagingGroup(stack, 'Secured', { authorization: CdnAuthorization.withGeneratedSecret({ secretName: 'vod/cdn-identifier_1' }) });
    Template.fromStack(stack).hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'vod/cdn-identifier_1' });
  });

  test('one withGeneratedSecret() object given to two groups fails (not one secret shared silently)', () => {
    const { stack } = setup();
    const authorization = CdnAuthorization.withGeneratedSecret();
    new PackagingGroup(stack, 'First', { authorization });
    expect(() => new PackagingGroup(stack, 'Second', { authorization }))
      .toThrow(/\[Stack\/Second\] authorization: this CdnAuthorization.withGeneratedSecret\(\) already made the secret of Stack\/First: call withGeneratedSecret\(\) once for each group/);
  });

  test('two withGeneratedSecret() calls give two groups two secrets', () => {
    const { stack } = setup();
    const first = new PackagingGroup(stack, 'First', { authorization: CdnAuthorization.withGeneratedSecret() });
    const second = new PackagingGroup(stack, 'Second', { authorization: CdnAuthorization.withGeneratedSecret() });
    expect(first.cdnIdentifierSecret).not.toBe(second.cdnIdentifierSecret);
    Template.fromStack(stack).resourceCountIs('AWS::SecretsManager::Secret', 2);
  });

  test('the constructor is not public: only the factories make one', () => {
    // TypeScript rejects `new CdnAuthorization()` (private constructor); the factories are the way in.
    // @ts-expect-error the constructor is private
    const make = () => new CdnAuthorization({ options: {} });
    expect(make()).toBeInstanceOf(CdnAuthorization);
    expect(CdnAuthorization.withGeneratedSecret()).toBeInstanceOf(CdnAuthorization);
  });
});

describe('imports (#22)', () => {
  test.each([
    ['account 1', 'arn:aws:mediapackage-vod:eu-west-1:1:packaging-groups/g', /\[Stack\] packagingGroupArn: must name an AWS account of 12 digits .*names '1' \(got 'arn:aws:mediapackage-vod:eu-west-1:1:packaging-groups\/g'\)/],
    ['Region eu-west-1x', 'arn:aws:mediapackage-vod:eu-west-1x:111111111111:packaging-groups/g', /\[Stack\] packagingGroupArn: must name an AWS Region such as eu-west-1 .*names 'eu-west-1x'/],
  ])('a group ARN with %s fails', (_name, arn, message) => {
    const { stack } = setup();
    expect(() => PackagingGroup.fromPackagingGroupArn(stack, 'G', arn)).toThrow(message);
  });

  test.each([
    'arn:aws:mediapackage-vod:us-gov-west-1:111111111111:packaging-groups/g',
    'arn:aws-cn:mediapackage-vod:cn-north-1:111111111111:packaging-groups/g',
  ])('a group ARN in %s is accepted', (arn) => {
    const { stack } = setup();
    expect(PackagingGroup.fromPackagingGroupArn(stack, 'G', arn).packagingGroupId).toBe('g');
  });

  test('fromPackagingGroupAttributes with neither id nor ARN fails', () => {
    const { stack } = setup();
    expect(() => PackagingGroup.fromPackagingGroupAttributes(stack, 'G', {}))
      .toThrow('[Stack] packagingGroupId: give packagingGroupId or packagingGroupArn to import a packaging group (got {})');
  });

  test('fromPackagingGroupAttributes with an id and an ARN that disagree fails', () => {
    const { stack } = setup();
    expect(() => PackagingGroup.fromPackagingGroupAttributes(stack, 'G', {
      packagingGroupId: 'one', packagingGroupArn: 'arn:aws:mediapackage-vod:eu-west-1:111111111111:packaging-groups/other',
    })).toThrow(/\[Stack\] packagingGroupArn: names the group 'other', but packagingGroupId is 'one'/);
  });

  test('fromPackagingGroupAttributes with an ARN keeps it (account and Region from the ARN)', () => {
    const { stack } = setup();
    const arn = 'arn:aws:mediapackage-vod:eu-west-1:222222222222:packaging-groups/theirs';
    const group = PackagingGroup.fromPackagingGroupAttributes(stack, 'G', { packagingGroupArn: arn, packagingGroupId: 'theirs' });
    expect(group.packagingGroupArn).toBe(arn);
    expect(group.packagingGroupId).toBe('theirs');
    expect(group.env.account).toBe('222222222222');
  });
});

describe('event helpers (#22)', () => {
  test.each([
    ['Region', 'arn:aws:mediapackage-vod:us-east-1:111111111111:assets/movie',
      /onIngestError: must be in the stack's Region \(eu-west-1\): MediaPackage sends an asset's events to the default event bus .* \(got 'us-east-1'\)/],
    ['account', 'arn:aws:mediapackage-vod:eu-west-1:222222222222:assets/movie',
      /onIngestError: must be in the stack's account \(111111111111\): .* \(got '222222222222'\)/],
  ])('onPlayable on an asset of another %s fails: its events go to that bus', (_what, arn, message) => {
    const { stack } = setup();
    const asset = Asset.fromAssetArn(stack, 'Movie', arn);
    expect(() => asset.onPlayable('Ready')).toThrow(/\[Stack\/Movie\] onPlayable: /);
    expect(() => asset.onIngestError('Failed')).toThrow(message);
  });

  test('onPlayable on an asset of the stack\'s Region works', () => {
    const { stack } = setup();
    Asset.fromAssetArn(stack, 'Movie', 'arn:aws:mediapackage-vod:eu-west-1:111111111111:assets/movie').onPlayable('Ready');
    Template.fromStack(stack).resourceCountIs('AWS::Events::Rule', 1);
  });

  test.each([
    ['source', { source: ['aws.s3'] }, /options\.eventPattern\.source: is set by the helper \(\["aws.mediapackage"\]\).* \(got \["aws.s3"\]\)/],
    ['detailType', { detailType: ['Object Created'] }, /options\.eventPattern\.detailType: is set by the helper/],
    ['detail.event', { detail: { event: ['IngestError'] } }, /options\.eventPattern\.detail\.event: is set by the helper \(\["VodAssetPlayable"\]\)/],
  ])('an eventPattern %s that contradicts the helper fails', (_field, eventPattern, message) => {
    const { stack } = setup();
    const asset = Asset.fromAssetId(stack, 'Movie', 'movie');
    expect(() => asset.onPlayable('Ready', { eventPattern })).toThrow(message);
  });

  test('an eventPattern with other resources than the asset\'s fails (merged, it would match other assets)', () => {
    const { stack } = setup();
    const asset = Asset.fromAssetId(stack, 'Movie', 'movie');
    expect(() => asset.onPlayable('Ready', { eventPattern: { resources: ['arn:aws:mediapackage-vod:eu-west-1:111111111111:assets/other'] } }))
      .toThrow(/\[Stack\/Movie\] options\.eventPattern\.resources: is set by the helper .* \(got \["arn:aws:mediapackage-vod:eu-west-1:111111111111:assets\/other"\]\)/);
  });

  test('an eventPattern with another configuration id than the configuration\'s fails (merged, it would match others)', () => {
    const { stack, group } = setup();
    const hls = group.addPackagingConfiguration('Hls', { packagingConfigurationId: 'hls', format: PackagingFormat.hls({ manifests: [{}] }) });
    expect(() => hls.onPlayable('Ready', { eventPattern: { detail: { packaging_configuration_id: ['dash'] } } }))
      .toThrow(/\[Stack\/Group\/Hls\] options\.eventPattern\.detail\.packaging_configuration_id: is set by the helper \(\[\{"Ref":"GroupHls.*"\}\]\).* \(got \["dash"\]\)/);
    // Repeating the helper's own value is kept.
    hls.onPlayable('Same', { eventPattern: { detail: { packaging_configuration_id: [hls.packagingConfigurationId] } } });
    Template.fromStack(stack).resourceCountIs('AWS::Events::Rule', 1);
  });

  test('an eventPattern that repeats the helper or narrows it is kept', () => {
    const { stack } = setup();
    const asset = Asset.fromAssetId(stack, 'Movie', 'movie');
    asset.onPlayable('Ready', { eventPattern: { source: ['aws.mediapackage'], detail: { packaging_configuration_id: ['hls'] } } });
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.mediapackage'], detail: { event: ['VodAssetPlayable'], packaging_configuration_id: ['hls'] } },
    });
  });
});

describe('distributions and configurations that do not serve the group (#22)', () => {
  test('playbackUrl with a plain Distribution of this app that does not serve the group fails', () => {
    const { stack, group, bucket } = setup();
    const hls = new PackagingConfiguration(stack, 'Hls', { packagingGroup: group, format: PackagingFormat.hls({ manifests: [{ manifestName: 'index' }] }) });
    const asset = group.addAsset('Movie', { source: AssetSource.fromBucket(bucket, 'm/index.smil') });
    const plain = plainDistribution(stack, 'example.com');
    expect(() => asset.playbackUrl(hls, { distribution: plain }))
      .toThrow(/\[Stack\/Group\/Movie\] options\.distribution: does not serve the asset's group Stack\/Group: none of its origins is the group's egress domain .* \(got 'Stack\/Plain'\)/);
  });

  test('playbackUrl with a plain Distribution whose origin is the group passes', () => {
    const { stack, group, bucket } = setup();
    const hls = new PackagingConfiguration(stack, 'Hls', { packagingGroup: group, format: PackagingFormat.hls({ manifests: [{ manifestName: 'index' }] }) });
    const asset = group.addAsset('Movie', { source: AssetSource.fromBucket(bucket, 'm/index.smil') });
    const own = new cloudfront.Distribution(stack, 'Own', { defaultBehavior: { origin: new PackagingGroupOrigin(group) } });
    expect(() => asset.playbackUrl(hls, { distribution: own })).not.toThrow();
  });

  test('catalogDistribution with a plain Distribution that does not serve the group fails', () => {
    const { stack, group, bucket } = setup();
    const plain = plainDistribution(stack, 'example.com');
    expect(() => group.addBucketIngest('Library', { bucket, keyPatterns: ['m/*.smil'], catalog: true, catalogDistribution: plain }))
      .toThrow(/\[Stack\/Group\/Library\] catalogDistribution: does not serve the ingest's group Stack\/Group: none of its origins/);
  });

  test.each(['playbackUrl', 'playbackPathPattern'] as const)('%s with a configuration imported from another Region fails', (method) => {
    const { stack, group, bucket } = setup();
    const asset = group.addAsset('Movie', { source: AssetSource.fromBucket(bucket, 'm/index.smil') });
    const other = PackagingConfiguration.fromPackagingConfigurationArn(stack, 'Hls',
      'arn:aws:mediapackage-vod:us-east-1:111111111111:packaging-configurations/hls');
    expect(() => asset[method](other))
      .toThrow(/\[Stack\/Group\/Movie\] configuration: is in us-east-1, the asset in eu-west-1: .* \(got 'arn:aws:mediapackage-vod:us-east-1:111111111111:packaging-configurations\/hls'\)/);
  });
});

describe('key patterns: the same shape and case rule as AssetSource (#22)', () => {
  test.each([
    ['/movies/*/index.m3u8', /\[Stack\/Group\/Library\] keyPatterns\[0\]: is an S3 object key and must not start with '\/' \(got '\/movies\/\*\/index\.m3u8'\)/],
    ['s3://my-bucket/movies/*.smil', /\[Stack\/Group\/Library\] keyPatterns\[0\]: is the object key in the bucket .*not a URL \(got 's3:\/\/my-bucket\/movies\/\*\.smil'\)/],
  ])('%s fails with path and value', (pattern, message) => {
    const { group, bucket } = setup();
    expect(() => group.addBucketIngest('Library', { bucket, keyPatterns: [pattern] })).toThrow(message);
  });

  test('the file ending is recognised in any case, in key patterns as in AssetSource keys', () => {
    const { group, bucket } = setup();
    expect(keyPatternProblem('a/*/INDEX.M3U8')).toBeUndefined();
    expect(keyPatternProblem('a/*.Smil')).toBeUndefined();
    expect(() => group.addBucketIngest('Library', { bucket, keyPatterns: ['a/*/INDEX.M3U8'] })).not.toThrow();
    expect(() => group.addAsset('Movie', { source: AssetSource.fromBucket(bucket, 'm/INDEX.M3U8') })).not.toThrow();
    // Both still reject other endings.
    expect(keyPatternProblem('a/*.M3U')).toMatch(/must end in \.smil or \.m3u8 \(any case\)/);
  });

  test('a single string instead of a list fails with path and value (not patterns.forEach is not a function)', () => {
    const { group, bucket } = setup();
    expect(() => group.addBucketIngest('Library', { bucket, keyPatterns: 'a/*.smil' as unknown as string[] }))
      .toThrow("[Stack/Group/Library] keyPatterns: must be a list of key patterns (e.g. ['movies/*/index.m3u8']), not a single value (got 'a/*.smil')");
  });
});

describe('keyPatternsOverlap', () => {
  test.each([
    ['a/*.smil', 'a/x.smil', true],
    ['a/*.smil', '*/x.smil', true],
    ['movies/*/index.m3u8', 'movies/*.m3u8', true],
    ['*', '*.smil', true],
    ['a/*.smil', 'b/*.smil', false],
    ['a/*.smil', 'a/*.m3u8', false],
    ['a/x*.smil', 'a/y*.smil', false],
    ['a\\*.smil', 'a*.smil', true],
    ['a\\*.smil', 'ab.smil', false],
  ])('%s and %s: %s', (a, b, expected) => {
    expect(keyPatternsOverlap(a, b)).toBe(expected);
    expect(keyPatternsOverlap(b, a)).toBe(expected);
  });
});

describe('rules between the ingests of one app (#22)', () => {
  test('two ingests of one group with the same assetIdPrefix fail', () => {
    const { stack, group, bucket } = setup();
    group.addBucketIngest('Movies', { bucket, keyPatterns: ['movies/*.smil'], assetIdPrefix: 'lib' });
    expect(() => group.addBucketIngest('Series', { bucket: new s3.Bucket(stack, 'Other'), keyPatterns: ['series/*.smil'], assetIdPrefix: 'lib' }))
      .toThrow(/\[Stack\/Group\/Series\] assetIdPrefix: is also the prefix of Stack\/Group\/Movies, an ingest of the same packaging group.* \(got 'lib'\)/);
  });

  test('the same prefix in two groups is fine', () => {
    const { stack, group, bucket } = setup();
    const other = new PackagingGroup(stack, 'Other', { packagingGroupId: 'other' });
    group.addBucketIngest('Movies', { bucket, keyPatterns: ['movies/*.smil'], assetIdPrefix: 'lib' });
    expect(() => other.addBucketIngest('Movies', { bucket, keyPatterns: ['series/*.smil'], assetIdPrefix: 'lib' })).not.toThrow();
  });

  test('overlapping key patterns of two ingests on one bucket warn; disjoint ones do not', () => {
    const { stack, group, bucket } = setup();
    const other = new PackagingGroup(stack, 'Other', { packagingGroupId: 'other' });
    group.addBucketIngest('Movies', { bucket, keyPatterns: ['movies/*.smil'] });
    other.addBucketIngest('All', { bucket, keyPatterns: ['*/index.smil'] });
    other.addBucketIngest('Series', { bucket, keyPatterns: ['series/*.m3u8'] });
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/Stack/Other/All', Match.stringLikeRegexp(
      "keyPatterns: '\\*/index.smil' and 'movies/\\*.smil' of Stack/Group/Movies \\(same bucket\\) can match the same object key"));
    annotations.hasNoWarning('/Stack/Other/Series', Match.stringLikeRegexp('KeyPatternsOverlap|can match the same object key'));
  });
});

describe('where the ingest\'s inputs live (#22)', () => {
  test('a group of another account without the catalog fails on packagingGroup', () => {
    const { stack, bucket } = setup();
    const group = PackagingGroup.fromPackagingGroupArn(stack, 'Theirs', 'arn:aws:mediapackage-vod:eu-west-1:222222222222:packaging-groups/theirs');
    expect(() => new BucketIngest(stack, 'Library', { packagingGroup: group, bucket, keyPatterns: ['x/*.smil'] }))
      .toThrow(/\[Stack\/Library\] packagingGroup: must be in the stack's account \(111111111111\): the ingest function calls CreateAsset .* \(got '222222222222'\)/);
  });

  test('an encryptionKey in another Region fails', () => {
    const { stack, group, bucket } = setup();
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(() => group.addBucketIngest('Library', { bucket, keyPatterns: ['x/*.smil'], encryptionKey: key }))
      .toThrow(/\[Stack\/Group\/Library\] encryptionKey: must be in the stack's Region \(eu-west-1\).* \(got 'us-east-1'\)/);
  });

  test('a sourceRole of another account warns', () => {
    const { stack, group, bucket } = setup();
    const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::222222222222:role/reader');
    group.addBucketIngest('Library', { bucket, keyPatterns: ['x/*.smil'], sourceRole: role });
    Annotations.fromStack(stack).hasWarning('/Stack/Group/Library', Match.stringLikeRegexp(
      'sourceRole: arn:aws:iam::222222222222:role/reader is in account 222222222222, not the group\'s \\(111111111111\\)'));
  });

  test('a sourceRole of the same account does not warn', () => {
    const { stack, group, bucket } = setup();
    const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::111111111111:role/reader');
    group.addBucketIngest('Library', { bucket, keyPatterns: ['x/*.smil'], sourceRole: role });
    Annotations.fromStack(stack).hasNoWarning('/Stack/Group/Library', Match.stringLikeRegexp('sourceRole'));
  });
});
