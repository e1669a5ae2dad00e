/**
 * Integ test: assets from S3 (a KMS-encrypted bucket shared by two assets through one role, an asset with its own role,
 * an imported bucket), with .smil and .m3u8 sources and a SPEKE resource id.
 *
 * Snapshot only (no AWS account here): `scripts/ci/integ.sh` compares test/integ.asset.snapshot.
 */
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Asset, AssetSource, PackagingFormat, PackagingGroup } from '../src';
import { skipCheckov } from '../src/private/checkov';

/**
 * Builds the integ app; `integ-runner` runs this file, the cdk-nag test imports it.
 * No stack traces in the construct metadata: the snapshot would carry this machine's paths.
 */
export function buildIntegApp(app: App = new App({ stackTraces: false, context: { 'aws:cdk:disable-creation-stack-traces': true } }))
  : { app: App; stacks: Stack[] } {
  const stack = new Stack(app, 'MediaPackageVodIntegAsset');
  const group = new PackagingGroup(stack, 'Group');
  group.addPackagingConfiguration('Hls', { format: PackagingFormat.hls({ manifests: [{ manifestName: 'index' }] }) });

  const key = new kms.Key(stack, 'SourcesKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY });
  const sources = new s3.Bucket(stack, 'Sources', {
    encryptionKey: key,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  skipCheckov(sources, 'CKV_AWS_18', 'Test source bucket of an integ app (never deployed by CI): server access logs belong to the '
    + 'user\'s own bucket and need a second bucket.');
  skipCheckov(sources, 'CKV_AWS_21', 'Test source bucket of an integ app (never deployed by CI): versioning is the user\'s choice; '
    + 'an asset is created from the object as it is at deploy.');

  // Two assets of one bucket, no role given: one shared source role.
  group.addAsset('Movie1', { source: AssetSource.fromBucket(sources, 'movies/movie1/index.smil'), resourceId: 'movie1' });
  group.addAsset('Movie2', { source: AssetSource.fromBucket(sources, 'movies/movie2/index.m3u8') });

  // An asset with the role the app brings (granted the read), created through the constructor.
  const ownRole = new iam.Role(stack, 'OwnSourceRole', { assumedBy: new iam.ServicePrincipal('mediapackage.amazonaws.com') });
  new Asset(stack, 'Trailer', {
    packagingGroup: group,
    source: AssetSource.fromBucket(sources, 'trailers/trailer1/index.smil'),
    sourceRole: ownRole,
  });

  // An asset of a bucket this app does not own.
  const imported = s3.Bucket.fromBucketName(stack, 'ImportedSources', 'integ-existing-vod-sources');
  group.addAsset('Archive', { source: AssetSource.fromBucket(imported, 'archive/show1/index.m3u8') });

  new IntegTest(app, 'AssetTest', { testCases: [stack], stackUpdateWorkflow: false });
  return { app, stacks: [stack] };
}

if (require.main === module) {
  buildIntegApp().app.synth();
}
