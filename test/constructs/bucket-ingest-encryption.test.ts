import { App, Annotations as CoreAnnotations, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BucketIngestProps, PackagingGroup } from '../../src';

const ENV = { account: '111111111111', region: 'eu-west-1' };
const KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555';
const WARNING_ID = 'cdk-mediapackage-vod:ImportedEncryptionKey';

function setup(key: (stack: Stack) => kms.IKey, props: Partial<BucketIngestProps> = {}) {
  const stack = new Stack(new App(), 'Stack', { env: ENV });
  const group = new PackagingGroup(stack, 'Group');
  const ingest = group.addBucketIngest('Library', {
    bucket: new s3.Bucket(stack, 'Bucket'), keyPatterns: ['movies/*/index.m3u8'], encryptionKey: key(stack), ...props,
  });
  return { stack, ingest };
}

/** The statement the warning prints, for the rules at these paths (names unknown at synth). */
function expectedStatement(rulePaths: string[]) {
  return {
    Sid: 'AllowEventBridgeToSendToTheIngestQueues',
    Effect: 'Allow',
    Principal: { Service: 'events.amazonaws.com' },
    Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
    Resource: '*',
    Condition: { ArnEquals: { 'aws:SourceArn': rulePaths.map(p => `arn:aws:events:eu-west-1:111111111111:rule/<name of ${p}>`) } },
  };
}

function warningsOf(stack: Stack): string[] {
  return Annotations.fromStack(stack).findWarning('/Stack/Group/Library', Match.stringLikeRegexp('encryptionKey'))
    .map(w => String(w.entry.data));
}

describe('BucketIngest encryptionKey not created in this app', () => {
  test('an imported key: a warning with the exact key-policy statement for the ingest\'s rule', () => {
    const { stack } = setup(s => kms.Key.fromKeyArn(s, 'Imported', KEY_ARN));
    const warnings = warningsOf(stack);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('encryptionKey: Stack/Imported is not created in this app');
    expect(warnings[0]).toContain(`[ack: ${WARNING_ID}]`);
    const json = warnings[0].slice(warnings[0].indexOf('{'), warnings[0].lastIndexOf('}') + 1);
    expect(JSON.parse(json)).toEqual(expectedStatement(['Stack/Group/Library/Rule']));
  });

  test('with the catalog: the statement names the catalog rule too', () => {
    const { stack } = setup(s => kms.Key.fromKeyArn(s, 'Imported', KEY_ARN), { catalog: true });
    const [warning] = warningsOf(stack);
    const json = warning.slice(warning.indexOf('{'), warning.lastIndexOf('}') + 1);
    expect(JSON.parse(json)).toEqual(expectedStatement(['Stack/Group/Library/Rule', 'Stack/Group/Library/CatalogRule']));
  });

  test('an environment-agnostic stack: placeholders for what synth does not know', () => {
    const stack = new Stack(new App(), 'Stack');
    const group = new PackagingGroup(stack, 'Group');
    group.addBucketIngest('Library', {
      bucket: new s3.Bucket(stack, 'Bucket'), keyPatterns: ['movies/*/index.m3u8'], encryptionKey: kms.Key.fromKeyArn(stack, 'Imported', KEY_ARN),
    });
    const [warning] = warningsOf(stack);
    expect(warning).toContain('"aws:SourceArn":["arn:<partition>:events:<region>:<account>:rule/<name of Stack/Group/Library/Rule>"]');
  });

  test('an imported alias warns the same way', () => {
    const { stack } = setup(s => kms.Alias.fromAliasName(s, 'Alias', 'alias/vod'));
    expect(warningsOf(stack)).toEqual([expect.stringContaining('Stack/Alias is not created in this app')]);
  });

  test('the warning can be acknowledged by its id', () => {
    const { stack, ingest } = setup(s => kms.Key.fromKeyArn(s, 'Imported', KEY_ARN));
    CoreAnnotations.of(ingest).acknowledgeWarning(WARNING_ID, 'the key policy has the statement');
    expect(warningsOf(stack)).toEqual([]);
  });

  test('a key created in this app: no warning, and its key policy lets EventBridge use it', () => {
    const { stack } = setup(s => new kms.Key(s, 'Key'));
    expect(warningsOf(stack)).toEqual([]);
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'events.amazonaws.com' },
          Action: Match.arrayWith(['kms:Decrypt', 'kms:GenerateDataKey*']),
        })]),
      },
    });
  });
});
