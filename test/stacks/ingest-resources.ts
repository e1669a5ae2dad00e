/**
 * Stack resources of catalog-scale ingest: a stack with one packaging group and N BucketIngests (each its own bucket,
 * with backfill), for N = 1 and 3. The count is constant per ingest and independent of the catalog size (no resource
 * per object). Prints `resources ingest 1: N` and `resources ingest 3: N`, and the per-ingest difference; then the
 * same with `catalog: true` (the table and the status events' queue and rule are per ingest, not per object either).
 *
 * Run: `npx projen bench:ingest-resources` (the handler bundles must exist: the task runs `bundle` first).
 */
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { PackagingFormat, PackagingGroup } from '../../src';

/** Resources of a stack with one group, one HLS configuration and `ingests` bucket ingests (with backfill). */
export function ingestStackResources(ingests: number, catalog = false): number {
  const app = new App();
  const stack = new Stack(app, 'IngestResources', { env: { account: '111111111111', region: 'eu-west-1' } });
  const group = new PackagingGroup(stack, 'Group');
  group.addPackagingConfiguration('Hls', { format: PackagingFormat.hls({ manifests: [{ manifestName: 'index' }] }) });
  for (let i = 0; i < ingests; i++) {
    const bucket = new s3.Bucket(stack, `Bucket${i}`);
    group.addBucketIngest(`Ingest${i}`, { bucket, keyPatterns: ['movies/*/index.m3u8', 'films/*.smil'], ingestExisting: true, catalog });
  }
  const template = app.synth().getStackByName(stack.stackName).template;
  return Object.keys(template.Resources).length;
}

if (require.main === module) {
  const one = ingestStackResources(1);
  const three = ingestStackResources(3);
  console.log(`resources ingest 1: ${one}`);
  console.log(`resources ingest 3: ${three}`);
  console.log(`resources per ingest (incl. its bucket and source role): ${(three - one) / 2}`);
  const oneWithCatalog = ingestStackResources(1, true);
  const threeWithCatalog = ingestStackResources(3, true);
  console.log(`resources ingest+catalog 1: ${oneWithCatalog}`);
  console.log(`resources ingest+catalog 3: ${threeWithCatalog}`);
  console.log(`resources per ingest with catalog: ${(threeWithCatalog - oneWithCatalog) / 2}`);
}
