import { CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Asset, PackagingConfiguration, PackagingFormat } from '../../src';
import { buildStatusStack } from '../stacks/status-stack';

const SOURCE = ['aws.mediapackage'];
const DETAIL_TYPE = ['MediaPackage Input Notification'];

function patternOf(stack: Stack, rule: events.Rule): any {
  return stack.resolve((rule.node.defaultChild as events.CfnRule).eventPattern);
}

function arnOf(resource: string) {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:mediapackage-vod:eu-west-1:111111111111:${resource}`]] };
}

describe('event helpers: synthesized patterns', () => {
  test('asset.onXxx: source, detail-type, detail.event, and the asset ARN in resources', () => {
    const { stack, asset, rules } = buildStatusStack();
    const assetArn = stack.resolve(asset.assetArn);
    expect(assetArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^GroupMovie/), 'Arn'] });
    for (const [name, event] of [
      ['asset.onIngestStart', 'IngestStart'], ['asset.onIngestComplete', 'IngestComplete'],
      ['asset.onIngestError', 'IngestError'], ['asset.onPlayable', 'VodAssetPlayable'],
    ]) {
      expect(patternOf(stack, rules[name])).toEqual({
        'source': SOURCE, 'detail-type': DETAIL_TYPE, 'resources': [assetArn], 'detail': { event: [event] },
      });
    }
  });

  test('an imported asset: its ARN as given', () => {
    const { stack, rules } = buildStatusStack();
    expect(patternOf(stack, rules['imported.onPlayable'])).toEqual({
      'source': SOURCE,
      'detail-type': DETAIL_TYPE,
      'resources': ['arn:aws:mediapackage-vod:eu-west-1:111111111111:assets/imported-title'],
      'detail': { event: ['VodAssetPlayable'] },
    });
    // An asset imported by id: the ARN in the stack's account and Region.
    const byId = Asset.fromAssetId(stack, 'ById', 'other-title');
    expect(patternOf(stack, byId.onIngestComplete('Done'))).toEqual(expect.objectContaining({ resources: [arnOf('assets/other-title')] }));
  });

  test('ingest.onXxx: a prefix match on the ARNs of the ingest\'s asset ids (<prefix>-)', () => {
    const { stack, rules } = buildStatusStack();
    for (const [name, event] of [
      ['library.onIngestStart', 'IngestStart'], ['library.onIngestComplete', 'IngestComplete'],
      ['library.onIngestError', 'IngestError'], ['library.onPlayable', 'VodAssetPlayable'],
    ]) {
      expect(patternOf(stack, rules[name])).toEqual({
        'source': SOURCE, 'detail-type': DETAIL_TYPE, 'resources': [{ prefix: arnOf('assets/lib-') }], 'detail': { event: [event] },
      });
    }
    expect(patternOf(stack, rules['archive.onPlayable']).resources).toEqual([{ prefix: arnOf('assets/lib_archive-') }]);
  });

  test('configuration.onPlayable: VodAssetPlayable with the configuration id in the detail', () => {
    const { stack, hls, rules } = buildStatusStack();
    // The configuration's Ref (its id, here the fixed 'HLS').
    expect(patternOf(stack, rules['hls.onPlayable'])).toEqual({
      'source': SOURCE,
      'detail-type': DETAIL_TYPE,
      'detail': { event: ['VodAssetPlayable'], packaging_configuration_id: [{ Ref: stack.getLogicalId(hls.node.defaultChild as CfnElement) }] },
    });
    // An imported configuration too.
    const imported = PackagingConfiguration.fromPackagingConfigurationId(stack, 'Cfg', 'imported-cfg');
    expect(patternOf(stack, imported.onPlayable('Ready')).detail).toEqual({ event: ['VodAssetPlayable'], packaging_configuration_id: ['imported-cfg'] });
  });

  test('a generated configuration id: the Ref of the configuration', () => {
    const { stack, group } = buildStatusStack();
    const generated = group.addPackagingConfiguration('Generated', { format: PackagingFormat.hls({ manifests: [{}] }) });
    expect(patternOf(stack, generated.onPlayable('Ready')).detail.packaging_configuration_id)
      .toEqual([{ Ref: stack.getLogicalId(generated.node.defaultChild as CfnElement) }]);
  });

  test('options: target, description, rule name and an extra pattern (merged), in the scope of the resource', () => {
    const { stack, asset } = buildStatusStack();
    const queue = new sqs.Queue(stack, 'Queue');
    const rule = asset.onIngestError('Alarm', {
      target: { bind: () => ({ arn: queue.queueArn, id: 'Q' }) },
      description: 'ingest failed',
      ruleName: 'movie-ingest-failed',
      eventPattern: { detail: { message: events.Match.prefix('Asset') } },
    });
    expect(rule.node.path).toBe('Stack/Group/Movie/Alarm');
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      Name: 'movie-ingest-failed',
      Description: 'ingest failed',
      State: 'ENABLED',
      EventPattern: Match.objectLike({ detail: { event: ['IngestError'], message: [{ prefix: 'Asset' }] } }),
      Targets: [{ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Queue'), 'Arn'] }, Id: 'Q' }],
    });
  });

  test('one rule per call, none without a call', () => {
    const { stack } = buildStatusStack();
    // 13 helper rules + the two ingests' S3 rules + the library's catalog rule.
    Template.fromStack(stack).resourceCountIs('AWS::Events::Rule', 13 + 2 + 1);
  });
});
