import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AssetSource, BucketIngest, PackagingGroup } from '../src';
import { keyPatternProblem, keyPatternsOverlap } from '../src/ingest/key-pattern';

const ENV = { account: '111111111111', region: 'eu-west-1' };

function setup() {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: ENV });
  const group = new PackagingGroup(stack, 'Group', { packagingGroupId: 'vod' });
  const bucket = new s3.Bucket(stack, 'Bucket');
  return { app, stack, group, bucket };
}

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
