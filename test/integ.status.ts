/**
 * Integ test: status and playback URLs. Event rules on an asset, an imported asset, a BucketIngest and a packaging
 * configuration (SQS targets), playback URLs (egress and through a VodDistribution) as stack outputs, from the one
 * shared provider, and the BucketIngest's catalog (table, status events rule and queue, a reader role).
 *
 * Snapshot only (no AWS account here): `scripts/ci/integ.sh` compares test/integ.status.ts.snapshot.
 */
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Asset, AssetSource, PackagingFormat, PackagingGroup, VodDistribution } from '../src';
import { skipCheckov } from '../src/private/checkov';

/**
 * Builds the integ app; `integ-runner` runs this file, the cdk-nag test imports it.
 * No stack traces in the construct metadata: the snapshot would carry this machine's paths.
 */
export function buildIntegApp(app: App = new App({ stackTraces: false, context: { 'aws:cdk:disable-creation-stack-traces': true } }))
  : { app: App; stacks: Stack[] } {
  const stack = new Stack(app, 'MediaPackageVodIntegStatus');
  const group = new PackagingGroup(stack, 'Group');
  const hls = group.addPackagingConfiguration('Hls', { format: PackagingFormat.hls({ manifests: [{ manifestName: 'index' }] }) });
  const dash = group.addPackagingConfiguration('Dash', { format: PackagingFormat.dash({ manifests: [{ manifestName: 'index' }] }) });
  const sources = s3.Bucket.fromBucketName(stack, 'Sources', 'integ-existing-vod-sources');
  const movie = group.addAsset('Movie', { source: AssetSource.fromBucket(sources, 'movies/movie1/index.smil') });
  const cdn = new VodDistribution(stack, 'Cdn', { packagingGroup: group });
  // With a catalog: the table, the status events' rule and queue; playback URLs also on the distribution's domain.
  const ingest = group.addBucketIngest('Library', {
    bucket: sources,
    keyPatterns: ['library/*/index.m3u8'],
    assetIdPrefix: 'integ_status',
    catalog: true,
    catalogDistribution: cdn.distribution,
  });
  ingest.grantReadCatalog(new iam.Role(stack, 'CatalogReader', {
    assumedBy: new iam.AccountRootPrincipal(),
    description: 'Stands for the platform API that reads the catalog',
  }));

  const undelivered = new sqs.Queue(stack, 'Undelivered', { enforceSSL: true });
  const notifications = new sqs.Queue(stack, 'Notifications', { enforceSSL: true, deadLetterQueue: { queue: undelivered, maxReceiveCount: 5 } });
  for (const queue of [undelivered, notifications]) {
    skipCheckov(queue, 'CKV_AWS_27', 'Test queue of an integ app (never deployed by CI), the target of the status rules: SQS '
      + 'encrypts new queues with SQS-managed keys by default; a KMS key is the user\'s choice.');
  }
  const target = new targets.SqsQueue(notifications);
  movie.onPlayable('MoviePlayable', { target });
  movie.onIngestError('MovieFailed', { target });
  Asset.fromAssetId(stack, 'Archived', 'archived-title').onIngestComplete('ArchivedIngested', { target });
  ingest.onPlayable('LibraryPlayable', { target });
  ingest.onIngestError('LibraryFailed', { target });
  dash.onPlayable('DashReady', { target });

  new CfnOutput(stack, 'MovieHlsUrl', { value: movie.playbackUrl(hls) });
  new CfnOutput(stack, 'MovieDashUrl', { value: movie.playbackUrl(dash) });
  new CfnOutput(stack, 'MovieHlsCdnUrl', { value: movie.playbackUrl(hls, { distribution: cdn.distribution }) });

  new IntegTest(app, 'StatusTest', { testCases: [stack], stackUpdateWorkflow: false });
  return { app, stacks: [stack] };
}

if (require.main === module) {
  buildIntegApp().app.synth();
}
