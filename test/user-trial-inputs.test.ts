import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  Asset, AssetSource, CdnAuthorization, PackagingConfiguration, PackagingFormat, PackagingGroup, PackagingGroupOrigin,
} from '../src';

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
    ['Region', 'arn:aws:mediapackage-vod:us-east-1:111111111111:assets/movie', /the asset is in Region us-east-1/],
    ['account', 'arn:aws:mediapackage-vod:eu-west-1:222222222222:assets/movie', /the asset is in account 222222222222/],
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

  test('playbackUrl with a configuration imported from another Region fails', () => {
    const { stack, group, bucket } = setup();
    const asset = group.addAsset('Movie', { source: AssetSource.fromBucket(bucket, 'm/index.smil') });
    const other = PackagingConfiguration.fromPackagingConfigurationArn(stack, 'Hls',
      'arn:aws:mediapackage-vod:us-east-1:111111111111:packaging-configurations/hls');
    expect(() => asset.playbackUrl(other))
      .toThrow(/\[Stack\/Group\/Movie\] configuration: is in us-east-1, the asset in eu-west-1: .* \(got 'arn:aws:mediapackage-vod:us-east-1:111111111111:packaging-configurations\/hls'\)/);
  });
});
