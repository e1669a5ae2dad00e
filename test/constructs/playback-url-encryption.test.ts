/**
 * The playback-URL function's log group (one per stack, shared by every `asset.playbackUrl` and `playbackPathPattern`)
 * takes a customer managed KMS key: `options.logEncryptionKey`. Every call of one stack must give the same key (or
 * none); CloudWatch Logs' own key stays the default (with its checkov skip).
 */
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { newStack, TEST_ENV } from './util';
import { AssetSource, IAsset, IPackagingConfiguration, PackagingFormat, PackagingGroup } from '../../src';

function setup(stack: Stack = newStack(), packagingGroupId = 'vod') {
  const group = new PackagingGroup(stack, 'Group', { packagingGroupId });
  const hls: IPackagingConfiguration = group.addPackagingConfiguration('Hls', { format: PackagingFormat.hls({ manifests: [{}] }) });
  const dash = group.addPackagingConfiguration('Dash', { format: PackagingFormat.dash({ manifests: [{}] }) });
  const bucket = new s3.Bucket(stack, 'Bucket');
  const asset = (id: string): IAsset => group.addAsset(id, { source: AssetSource.fromBucket(bucket, `${id.toLowerCase()}/index.smil`) });
  return { stack, hls, dash, movie: asset('Movie'), trailer: asset('Trailer') };
}

/** The playback-URL function's log group: the only log group of these stacks. */
function logGroupOf(template: Template): { Properties: Record<string, unknown>; Metadata?: any } {
  const logGroups = Object.values(template.findResources('AWS::Logs::LogGroup')) as any[];
  expect(logGroups).toHaveLength(1);
  return logGroups[0];
}

test('with a key: the log group is encrypted with it, CloudWatch Logs may use it, and the checkov skip is gone', () => {
  const { stack, hls, movie, trailer } = setup();
  const key = new kms.Key(stack, 'LogKey');
  movie.playbackUrl(hls, { logEncryptionKey: key });
  trailer.playbackPathPattern(hls, { logEncryptionKey: key });
  const template = Template.fromStack(stack);
  const logGroup = logGroupOf(template);
  expect(logGroup.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] });
  expect(logGroup.Properties.RetentionInDays).toBe(7);
  expect(logGroup.Metadata?.checkov).toBeUndefined();
  // The statement of src/private/log-encryption.ts (its full shape: test/constructs/kms.test.ts): CloudWatch Logs of the Region, for
  // this account's log groups.
  template.hasResourceProperties('AWS::KMS::Key', {
    KeyPolicy: {
      Statement: Match.arrayWith([Match.objectLike({
        Principal: { Service: `logs.${TEST_ENV.region}.amazonaws.com` },
        Action: Match.arrayWith(['kms:Encrypt*', 'kms:GenerateDataKey*']),
        Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
      })]),
    },
  });
  // Still one provider: the key changes nothing else.
  template.resourceCountIs('AWS::Lambda::Function', 1);
  template.resourceCountIs('Custom::MediaPackageVodPlaybackUrl', 2);
});

test('default: CloudWatch Logs\' own key, with the checkov skip that says how to give one', () => {
  const { stack, hls, movie } = setup();
  movie.playbackUrl(hls);
  const template = Template.fromStack(stack);
  const logGroup = logGroupOf(template);
  expect(logGroup.Properties.KmsKeyId).toBeUndefined();
  expect(logGroup.Metadata.checkov.skip).toEqual([{
    id: 'CKV_AWS_158',
    comment: expect.stringMatching(/DescribeAsset function.*Pass logEncryptionKey in the options of asset\.playbackUrl/),
  }]);
  template.resourceCountIs('AWS::KMS::Key', 0);
});

test('every call of a stack gives the same key: another key, or none after a key, fails with path and value', () => {
  const { stack, hls, dash, movie, trailer } = setup();
  const key = new kms.Key(stack, 'LogKey');
  const other = new kms.Key(stack, 'OtherKey');
  movie.playbackUrl(hls, { logEncryptionKey: key });
  // The same key again, on another configuration and another asset, and for a path pattern: accepted.
  movie.playbackUrl(dash, { logEncryptionKey: key });
  trailer.playbackPathPattern(hls, { logEncryptionKey: key });
  expect(() => trailer.playbackUrl(dash, { logEncryptionKey: other }))
    .toThrow(/\[Stack\/Group\/Trailer\] options\.logEncryptionKey: .*already created with the key Stack\/LogKey.*\(got 'Stack\/OtherKey'\)/);
  // Checked when the resource already exists too (the outcome does not depend on which call came first).
  expect(() => movie.playbackUrl(hls))
    .toThrow(/\[Stack\/Group\/Movie\] options\.logEncryptionKey: .*already created with the key Stack\/LogKey.*\(got undefined\)/);
  expect(() => movie.playbackPathPattern(hls))
    .toThrow(/\[Stack\/Group\/Movie\] options\.logEncryptionKey: .*already created with the key Stack\/LogKey.*\(got undefined\)/);
});

test('two imports of one key ARN are the same key', () => {
  const { stack, hls, dash, movie } = setup();
  const arn = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  movie.playbackUrl(hls, { logEncryptionKey: kms.Key.fromKeyArn(stack, 'KeyA', arn) });
  movie.playbackUrl(dash, { logEncryptionKey: kms.Key.fromKeyArn(stack, 'KeyB', arn) });
  expect(logGroupOf(Template.fromStack(stack)).Properties.KmsKeyId).toBe(arn);
  expect(() => movie.playbackPathPattern(hls, { logEncryptionKey: kms.Key.fromKeyArn(stack, 'KeyC', arn.replace('1234abcd', '9999abcd')) }))
    .toThrow(/options\.logEncryptionKey: .*already created with the key Stack\/KeyA.*\(got 'Stack\/KeyC'\)/);
});

test('a key after calls without one fails too', () => {
  const { stack, hls, movie } = setup();
  movie.playbackUrl(hls);
  expect(() => movie.playbackUrl(hls, { logEncryptionKey: new kms.Key(stack, 'LogKey') }))
    .toThrow(/\[Stack\/Group\/Movie\] options\.logEncryptionKey: .*already created with no key.*\(got 'Stack\/LogKey'\)/);
});

test('stacks are independent: one stack\'s key does not bind another\'s playback URLs', () => {
  const app = new App();
  const first = setup(newStack(app, 'First'));
  const second = setup(newStack(app, 'Second'), 'vod2');
  first.movie.playbackUrl(first.hls, { logEncryptionKey: new kms.Key(first.stack, 'LogKey') });
  second.movie.playbackUrl(second.hls);
  expect(logGroupOf(Template.fromStack(first.stack)).Properties.KmsKeyId).toBeDefined();
  expect(logGroupOf(Template.fromStack(second.stack)).Properties.KmsKeyId).toBeUndefined();
});
