/**
 * Integ test: catalog-scale ingest (BucketIngest). A bucket created here (EventBridge turned on in its resource) with
 * a backfill of the objects already in it, deleting assets with their objects and a delivery delay; a KMS-encrypted
 * ingest of a bucket this app does not own, through `new BucketIngest`, replacing assets on re-upload.
 *
 * Snapshot only (no AWS account here): `scripts/ci/integ.sh` compares test/integ.ingest.ts.snapshot. The handler
 * bundles (assets/ingest/handler, assets/ingest/backfill) must exist: `npx projen bundle` first.
 */
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BucketIngest, OnReupload, PackagingFormat, PackagingGroup } from '../src';
import { skipCheckov } from '../src/private/checkov';

/**
 * Builds the integ app; `integ-runner` runs this file, the cdk-nag test imports it.
 * No stack traces in the construct metadata: the snapshot would carry this machine's paths.
 */
export function buildIntegApp(app: App = new App({ stackTraces: false, context: { 'aws:cdk:disable-creation-stack-traces': true } }))
  : { app: App; stacks: Stack[] } {
  const stack = new Stack(app, 'MediaPackageVodIntegIngest');
  const group = new PackagingGroup(stack, 'Group');
  group.addPackagingConfiguration('Hls', { format: PackagingFormat.hls({ manifests: [{ manifestName: 'index' }] }) });

  const library = new s3.Bucket(stack, 'Library', {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  skipCheckov(library, 'CKV_AWS_18', 'Test library bucket of an integ app (never deployed by CI), standing for the user\'s own: '
    + 'server access logs need a second bucket, the user\'s choice.');
  skipCheckov(library, 'CKV_AWS_21', 'Test library bucket of an integ app (never deployed by CI): versioning is the user\'s choice; '
    + 'BucketIngest ingests each uploaded object whether the bucket keeps versions or not.');
  group.addBucketIngest('Titles', {
    bucket: library,
    keyPatterns: ['movies/*/index.m3u8', 'films/*.smil'],
    ingestExisting: true,
    deleteAssetsWithObjects: true,
    deliveryDelay: Duration.minutes(2),
    assetIdPrefix: 'integ_titles',
  });

  const key = new kms.Key(stack, 'QueueKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY });
  new BucketIngest(stack, 'Archive', {
    packagingGroup: group,
    bucket: s3.Bucket.fromBucketName(stack, 'ArchiveBucket', 'integ-existing-vod-archive'),
    keyPatterns: ['archive/*/main.smil'],
    onReupload: OnReupload.REPLACE,
    maxConcurrency: 10,
    encryptionKey: key,
  });

  new IntegTest(app, 'IngestTest', { testCases: [stack], stackUpdateWorkflow: false });
  return { app, stacks: [stack] };
}

if (require.main === module) {
  buildIntegApp().app.synth();
}
