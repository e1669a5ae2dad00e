/** A stack with one of each event helper (asset, imported asset, two ingests, two configurations), shared by the tests. */
import { App, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Asset, AssetSource, PackagingFormat, PackagingGroup } from '../../src';

export const ENV = { account: '111111111111', region: 'eu-west-1' };
export const ASSET_ID = 'movie1';
export const IMPORTED_ASSET_ARN = 'arn:aws:mediapackage-vod:eu-west-1:111111111111:assets/imported-title';

export function buildStatusStack() {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: ENV });
  const bucket = new s3.Bucket(stack, 'Bucket');
  const group = new PackagingGroup(stack, 'Group');
  const hls = group.addPackagingConfiguration('Hls', {
    packagingConfigurationId: 'HLS',
    format: PackagingFormat.hls({ manifests: [{}] }),
  });
  // The configuration id of the captured real event (service-rules.md "Events").
  const dash = group.addPackagingConfiguration('Dash', {
    packagingConfigurationId: 'DASH',
    format: PackagingFormat.dash({ manifests: [{}] }),
  });
  const asset = group.addAsset('Movie', { source: AssetSource.fromBucket(bucket, 'movies/movie1/index.smil'), assetId: ASSET_ID });
  const imported = Asset.fromAssetArn(stack, 'Imported', IMPORTED_ASSET_ARN);
  // With a catalog: its rule takes the four status events of this ingest's assets.
  const library = group.addBucketIngest('Library', { bucket, keyPatterns: ['library/*/index.m3u8'], assetIdPrefix: 'lib', catalog: true });
  // A prefix that starts with the first one: its assets must not reach the first ingest's rules.
  const archive = group.addBucketIngest('Archive', { bucket, keyPatterns: ['archive/*/index.m3u8'], assetIdPrefix: 'lib_archive' });

  const rules: Record<string, events.Rule> = {
    'asset.onIngestStart': asset.onIngestStart('Started'),
    'asset.onIngestComplete': asset.onIngestComplete('Ingested'),
    'asset.onIngestError': asset.onIngestError('Failed'),
    'asset.onPlayable': asset.onPlayable('Playable'),
    'imported.onPlayable': imported.onPlayable('Playable'),
    'imported.onIngestError': imported.onIngestError('Failed'),
    'library.onIngestStart': library.onIngestStart('Started'),
    'library.onIngestComplete': library.onIngestComplete('Ingested'),
    'library.onIngestError': library.onIngestError('Failed'),
    'library.onPlayable': library.onPlayable('Playable'),
    'archive.onPlayable': archive.onPlayable('Playable'),
    'hls.onPlayable': hls.onPlayable('Ready'),
    'dash.onPlayable': dash.onPlayable('Ready'),
    'library.catalog': library.catalogRule!,
  };
  return { app, stack, bucket, group, hls, dash, asset, imported, library, archive, rules };
}
