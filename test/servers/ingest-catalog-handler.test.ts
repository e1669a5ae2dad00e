/**
 * The catalog writes of the ingest function, through the real AWS SDK against real servers: DynamoDB is moto in server
 * mode, MediaPackage VOD the local fake (which also emits the asset's status events, in the captured real event's
 * shape). Events are replayed in every order and repeated; the catalog must end the same.
 */
import {
  AttributeValue,
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { MediaPackageVodClient } from '@aws-sdk/client-mediapackage-vod';
import { MOTO_CLIENT_CONFIG, useMoto } from './moto';
import { assetIdFor } from '../../src/ingest/asset-id';
import { IngestConfig, IngestHandlerOptions, makeHandler } from '../../src/ingest/handler';
import { backfillMessage, s3Event, sqsEvent } from '../fakes/events';
import { EVERY_OBJECT_EXISTS, NO_OBJECT_EXISTS } from '../fakes/object-store';
import { FakeVodApi } from '../fakes/vod-api';

jest.setTimeout(120_000);

const BUCKET = 'library-bucket';
const PREFIX = 'lib';
const T0 = '2026-11-28T10:00:00.250Z'; // the function's clock when it creates the asset
const TIMES = ['2026-11-28T10:00:02Z', '2026-11-28T10:03:00Z', '2026-11-28T10:05:00Z', '2026-11-28T10:05:01Z'];
const BASE: IngestConfig = {
  packagingGroupId: 'group',
  sourceRoleArn: 'arn:aws:iam::111111111111:role/source',
  assetIdPrefix: PREFIX,
  keyPatterns: ['movies/*/index.m3u8'],
  onReupload: 'KEEP',
  deleteAssetsWithObjects: false,
  maxAttempts: 3,
};

let dynamodb: DynamoDBClient;
let fake: FakeVodApi;
let vod: MediaPackageVodClient;
let logs: string[];
let tables = 0;

useMoto(endpoint => [dynamodb = new DynamoDBClient({ ...MOTO_CLIENT_CONFIG, endpoint, maxAttempts: 1 })]);
beforeEach(async () => {
  logs = [];
  fake = new FakeVodApi({ groups: [{ id: 'group', configurations: [{ id: 'hls', format: 'hls' }, { id: 'dash', format: 'dash' }] }] });
  vod = new MediaPackageVodClient({ ...MOTO_CLIENT_CONFIG, endpoint: await fake.start(), maxAttempts: 1 });
});
afterEach(async () => {
  vod.destroy();
  await fake.stop();
});

/** A new catalog table as the construct defines it (asset id key, the sourceKey index). */
async function newTable(): Promise<string> {
  const name = `catalog-${++tables}`;
  await dynamodb.send(new CreateTableCommand({
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'assetId', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'assetId', AttributeType: 'S' }, { AttributeName: 'sourceKey', AttributeType: 'S' }],
    GlobalSecondaryIndexes: [{ IndexName: 'sourceKey', KeySchema: [{ AttributeName: 'sourceKey', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
  }));
  return name;
}

function handlerWith(table: string | undefined, config: Partial<IngestConfig> = {}, options: Partial<IngestHandlerOptions> = {}) {
  return makeHandler({
    objects: EVERY_OBJECT_EXISTS,
    config: { ...BASE, catalogTableName: table, ...config },
    vod,
    dynamodb,
    sleep: async () => {},
    now: () => new Date(T0),
    log: line => logs.push(line),
    ...options,
  });
}

function plain(value: AttributeValue): unknown {
  if (value.S !== undefined) { return value.S; }
  if (value.N !== undefined) { return Number(value.N); }
  if (value.L) { return value.L.map(plain); }
  if (value.M) { return Object.fromEntries(Object.entries(value.M).map(([k, v]) => [k, plain(v)])); }
  throw new Error(`unexpected attribute ${JSON.stringify(value)}`);
}

/** The item, without `updatedAt` (the time of the last write, which depends on the order). */
async function item(table: string, assetId: string): Promise<Record<string, any> | undefined> {
  const out = await dynamodb.send(new GetItemCommand({ TableName: table, Key: { assetId: { S: assetId } }, ConsistentRead: true }));
  if (!out.Item) { return undefined; }
  const { updatedAt, ...rest } = plain({ M: out.Item }) as Record<string, any>;
  expect(typeof updatedAt).toBe('string');
  return rest;
}

async function itemCount(table: string): Promise<number> {
  return (await dynamodb.send(new ScanCommand({ TableName: table, Select: 'COUNT' }))).Count ?? 0;
}

const lines = () => logs.map(l => JSON.parse(l)).filter(l => l.outcome);

/** Creates the asset of `key` in the fake (no catalog), takes its status events, and forgets the asset again. */
async function eventsFor(key: string, times = TIMES, failWith?: string) {
  const assetId = assetIdFor(PREFIX, BUCKET, key);
  await handlerWith(undefined)(sqsEvent(s3Event('Object Created', BUCKET, key, 'etag1')));
  const events = fake.statusEvents(assetId, times, failWith);
  fake.assets.delete(assetId);
  logs = [];
  return { assetId, events, create: s3Event('Object Created', BUCKET, key, 'etag1') };
}

/** Stops the fake and starts another with these options (one HLS configuration unless given). */
async function replaceFake(options: ConstructorParameters<typeof FakeVodApi>[0]) {
  vod.destroy();
  await fake.stop();
  fake = new FakeVodApi({ groups: [{ id: 'group', configurations: [{ id: 'hls', format: 'hls' }] }], ...options });
  vod = new MediaPackageVodClient({ ...MOTO_CLIENT_CONFIG, endpoint: await fake.start(), maxAttempts: 1 });
}

/** A new table, the object `key` with its events, and a handler writing that table. */
async function scenario(key: string) {
  const table = await newTable();
  return { table, key, ...await eventsFor(key), handler: handlerWith(table) };
}

/**
 * The pattern the catalog must give an asset, from its manifest URLs alone: their common directory (the configurations'
 * hashes differ, the asset's is shared), then `*`.
 */
function commonDirectoryPattern(urls: string[]): string {
  const paths = urls.map(url => new URL(url).pathname.split('/'));
  let n = 0;
  while (paths.every(p => n < p.length - 1 && p[n] === paths[0][n])) { n++; }
  return `${paths[0].slice(0, n).join('/')}/*`;
}

/** The manifest URLs of the Playable events among `events`. */
const manifestUrlsOf = (events: any[]): string[] => events.filter(e => e.detail.event === 'VodAssetPlayable').flatMap(e => e.detail.manifest_urls);

/** The item a complete ingest must leave, from the events themselves. */
function completeItem(key: string, assetId: string, events: any[]) {
  const playable = events.filter(e => e.detail.event === 'VodAssetPlayable');
  return {
    assetId,
    sourceBucket: BUCKET,
    sourceKey: key,
    sourceEtag: 'etag1',
    assetCreatedAt: '2026-11-28T10:00:00Z',
    ingestStatus: 'COMPLETE',
    ingestMessage: events[1].detail.message,
    ingestStatusAt: TIMES[1],
    statusOrder: `${TIMES[1]}#2`,
    playback: Object.fromEntries(playable.map(e => [e.detail.packaging_configuration_id, {
      state: 'PLAYABLE', playableAt: e.time, manifestUrls: e.detail.manifest_urls,
    }])),
    playbackPathPattern: commonDirectoryPattern(manifestUrlsOf(events)),
  };
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) { return [items]; }
  return items.flatMap((first, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map(rest => [first, ...rest]));
}

describe('the catalog ends the same whatever the order', () => {
  test('in order: the object, INGESTING, then COMPLETE and one PLAYABLE entry per configuration', async () => {
    const { table, key, assetId, events, create, handler } = await scenario('movies/in-order/index.m3u8');

    expect((await handler(sqsEvent(create))).batchItemFailures).toEqual([]);
    expect(await item(table, assetId)).toEqual({
      assetId,
      sourceBucket: BUCKET,
      sourceKey: key,
      sourceEtag: 'etag1',
      assetCreatedAt: '2026-11-28T10:00:00Z',
      ingestStatus: 'INGESTING',
      ingestStatusAt: T0,
      statusOrder: '2026-11-28T10:00:00Z#0',
    });
    for (const event of events) {
      expect((await handler(sqsEvent(event))).batchItemFailures).toEqual([]);
    }
    const expected = completeItem(key, assetId, events);
    expect(await item(table, assetId)).toEqual(expected);
    // The URLs are the ones MediaPackage gives (the fake's DescribeAsset), one manifest per configuration.
    expect(Object.keys(expected.playback).sort()).toEqual(['dash', 'hls']);
    expect(expected.playback.dash.manifestUrls[0]).toMatch(/^https:\/\/[0-9a-f]+\.egress\.mediapackage-vod\.eu-west-1\.amazonaws\.com\/out\/v1\/.*\/index\.mpd$/);
    // The path pattern is the asset's directory (/out/v1/<asset hash>/*), which covers both configurations' manifests.
    expect(expected.playbackPathPattern).toMatch(/^\/out\/v1\/[0-9a-f]+\/\*$/);
    for (const url of manifestUrlsOf(events)) {
      expect(new URL(url).pathname.startsWith(expected.playbackPathPattern.slice(0, -1))).toBe(true);
    }
    expect(lines().map(l => l.outcome)).toEqual(['created', 'status-applied', 'status-applied', 'status-applied', 'status-applied']);
  });

  test('all 120 orders of the object and its four events, each message delivered twice: the same item', async () => {
    const table = await newTable();
    const orders = permutations([0, 1, 2, 3, 4]);
    const messagesPerOrder = 2 * 5;
    expect(orders).toHaveLength(120);
    // The assets and their events first (each order its own object), then the orders, eight at a time (each order's
    // messages one after the other: the concurrency is between objects, as with several function instances).
    const cases: { order: number[]; key: string; assetId: string; events: any[]; create: Record<string, unknown> }[] = [];
    for (const [n, order] of orders.entries()) {
      const key = `movies/order-${n}/index.m3u8`;
      cases.push({ order, key, ...await eventsFor(key) });
    }
    const handler = handlerWith(table);
    const results: { order: number[]; item: unknown }[] = [];
    const expected: { order: number[]; item: unknown }[] = [];
    for (let i = 0; i < cases.length; i += 8) {
      await Promise.all(cases.slice(i, i + 8).map(async ({ order, key, assetId, events, create }) => {
        const messages = [create, ...events];
        // Each message on its own (separate deliveries), then the whole order again as one batch (repeats).
        for (const m of order) {
          expect((await handler(sqsEvent(messages[m]))).batchItemFailures).toEqual([]);
        }
        expect((await handler(sqsEvent(...order.map(m => messages[m])))).batchItemFailures).toEqual([]);
        results.push({ order, item: await item(table, assetId) });
        expected.push({ order, item: completeItem(key, assetId, events) });
      }));
    }
    expect(results).toEqual(expected);
    const stale = lines().filter(l => l.outcome === 'status-stale').length;
    expect(await itemCount(table)).toBe(120);
    // Every repeat was recognised as stale (4 per order), and the out-of-order ones too.
    expect(stale).toBeGreaterThanOrEqual(4 * 120);
    expect(stale).toBeLessThan(messagesPerOrder * 120);
  });

  test('a Playable before the function\'s record: the item starts with the playback entry and the record completes it', async () => {
    const { table, key, assetId, events, create, handler } = await scenario('movies/early/index.m3u8');
    await handler(sqsEvent(events[2]));
    expect(await item(table, assetId)).toEqual({
      assetId,
      playback: { [events[2].detail.packaging_configuration_id]: { state: 'PLAYABLE', playableAt: TIMES[2], manifestUrls: events[2].detail.manifest_urls } },
      playbackPathPattern: commonDirectoryPattern(manifestUrlsOf(events)),
    });
    await handler(sqsEvent(create, events[3], events[1], events[0]));
    expect(await item(table, assetId)).toEqual(completeItem(key, assetId, events));
  });
});

describe('failures and later events', () => {
  test('an IngestError after a Complete: an older one changes nothing, a newer one is FAILED with the service\'s message', async () => {
    const { table, key, assetId, events, create, handler } = await scenario('movies/errors/index.m3u8');
    await handler(sqsEvent(create, ...events));
    const error = (time: string, message: string) => ({ ...events[0], time, detail: { event: 'IngestError', message } });

    await handler(sqsEvent(error('2026-11-28T10:01:00Z', 'an older error')));
    expect(await item(table, assetId)).toEqual(completeItem(key, assetId, events));
    expect(lines().pop().outcome).toBe('status-stale');

    // At the same second as the Complete, the later stage (the error) wins.
    await handler(sqsEvent(error(TIMES[1], 'Source content could not be read')));
    expect(await item(table, assetId)).toMatchObject({
      ingestStatus: 'FAILED', ingestMessage: 'Source content could not be read', ingestStatusAt: TIMES[1], statusOrder: `${TIMES[1]}#3`,
    });
    // The playback entries stay (nothing is deleted because an event is odd).
    expect(Object.keys((await item(table, assetId))!.playback).sort()).toEqual(['dash', 'hls']);
  });

  test('an ingest that fails: FAILED with the message, whichever comes first', async () => {
    const table = await newTable();
    const key = 'movies/broken/index.m3u8';
    const { assetId, events, create } = await eventsFor(key, TIMES, 'Unable to parse the manifest');
    const handler = handlerWith(table);
    await handler(sqsEvent(events[1], events[0], create, events[1]));
    expect(await item(table, assetId)).toEqual({
      assetId,
      sourceBucket: BUCKET,
      sourceKey: key,
      sourceEtag: 'etag1',
      assetCreatedAt: '2026-11-28T10:00:00Z',
      ingestStatus: 'FAILED',
      ingestMessage: 'Unable to parse the manifest',
      ingestStatusAt: TIMES[1],
      statusOrder: `${TIMES[1]}#3`,
    });
  });

  test('REPLACE: a re-upload starts the item again; the old asset\'s late events are stale, the new one\'s apply', async () => {
    const table = await newTable();
    const key = 'movies/replaced/index.m3u8';
    const assetId = assetIdFor(PREFIX, BUCKET, key);
    const first = handlerWith(table, { onReupload: 'REPLACE' });
    await first(sqsEvent(s3Event('Object Created', BUCKET, key, 'etag1')));
    // The old asset's URLs under another asset hash than the new one's (the fake derives it from the asset id alone).
    const oldEvents = fake.statusEvents(assetId, TIMES).map(e => e.detail.event !== 'VodAssetPlayable' ? e : {
      ...e, detail: { ...e.detail, manifest_urls: e.detail.manifest_urls.map((u: string) => u.replace(/\/out\/v1\/[0-9a-f]+\//, '/out/v1/0ld/')) },
    });
    await first(sqsEvent(...oldEvents.slice(0, 3)));
    expect((await item(table, assetId))!.playbackPathPattern).toBe('/out/v1/0ld/*');

    const T10 = '2026-11-28T11:00:00.000Z';
    const later = handlerWith(table, { onReupload: 'REPLACE' }, { now: () => new Date(T10) });
    await later(sqsEvent(s3Event('Object Created', BUCKET, key, 'etag2')));
    expect(lines().pop().outcome).toBe('replaced');
    expect(await item(table, assetId)).toEqual({
      assetId,
      sourceBucket: BUCKET,
      sourceKey: key,
      sourceEtag: 'etag2',
      assetCreatedAt: '2026-11-28T11:00:00Z',
      ingestStatus: 'INGESTING',
      ingestStatusAt: T10,
      statusOrder: '2026-11-28T11:00:00Z#0',
      playback: {},
    }); // no playbackPathPattern: the old asset's was removed with its entries
    // The old asset's last Playable arrives late: stale (neither its entry nor its pattern is written).
    await later(sqsEvent(oldEvents[3]));
    expect(lines().pop().outcome).toBe('status-stale');
    expect((await item(table, assetId))!.playback).toEqual({});
    expect((await item(table, assetId))!.playbackPathPattern).toBeUndefined();
    // The new asset's events apply.
    const newTimes = ['2026-11-28T11:00:05Z', '2026-11-28T11:02:00Z', '2026-11-28T11:04:00Z', '2026-11-28T11:04:00Z'];
    const newEvents = fake.statusEvents(assetId, newTimes);
    await later(sqsEvent(...newEvents));
    const now = await item(table, assetId);
    expect(now).toMatchObject({ ingestStatus: 'COMPLETE', ingestStatusAt: newTimes[1], sourceEtag: 'etag2' });
    expect(now!.playback.hls.manifestUrls).toEqual(newEvents[2].detail.manifest_urls);
    expect(now!.playback.hls.manifestUrls).not.toEqual(oldEvents[2].detail.manifest_urls);
    expect(now!.playbackPathPattern).toBe(commonDirectoryPattern(manifestUrlsOf(newEvents)));
    expect(now!.playbackPathPattern).not.toBe('/out/v1/0ld/*');
  });

  test('KEEP: a re-upload keeps the item (and the ETag of the content the asset has)', async () => {
    const { table, key, assetId, events, create, handler } = await scenario('movies/kept/index.m3u8');
    await handler(sqsEvent(create, ...events));
    await handler(sqsEvent(s3Event('Object Created', BUCKET, key, 'etag2')));
    expect(lines().pop().outcome).toBe('kept');
    expect(await item(table, assetId)).toEqual(completeItem(key, assetId, events));
  });

  test('an object deleted with its asset: DELETED, playback emptied, the item kept; late Playables stay out', async () => {
    const table = await newTable();
    const key = 'movies/deleted/index.m3u8';
    const { assetId, events, create } = await eventsFor(key);
    const handler = handlerWith(table, { deleteAssetsWithObjects: true });
    await handler(sqsEvent(create, ...events.slice(0, 3)));
    const deleting = handlerWith(table, { deleteAssetsWithObjects: true }, { now: () => new Date('2026-11-28T12:00:00Z'), objects: NO_OBJECT_EXISTS });
    await deleting(sqsEvent(s3Event('Object Deleted', BUCKET, key)));
    await deleting(sqsEvent(events[3], events[1]));
    expect(await item(table, assetId)).toMatchObject({
      sourceKey: key,
      ingestStatus: 'DELETED',
      ingestMessage: 'the source object was deleted',
      playback: {},
      statusOrder: '2026-11-28T12:00:00Z#9',
    });
    expect((await item(table, assetId))!.playbackPathPattern).toBeUndefined();
    expect(await itemCount(table)).toBe(1);
    // Uploaded again: a new asset, INGESTING again.
    const again = handlerWith(table, { deleteAssetsWithObjects: true }, { now: () => new Date('2026-11-28T13:00:00Z') });
    await again(sqsEvent(s3Event('Object Created', BUCKET, key, 'etag3')));
    expect(await item(table, assetId)).toMatchObject({ ingestStatus: 'INGESTING', sourceEtag: 'etag3', assetCreatedAt: '2026-11-28T13:00:00Z' });
  });

  test('an asset from before the catalog (a backfill finds it): DescribeAsset fills the item; events already there win', async () => {
    const table = await newTable();
    const key = 'movies/before-catalog/index.m3u8';
    const assetId = assetIdFor(PREFIX, BUCKET, key);
    // Ingested before the catalog was turned on: its events are gone; the fake lists both configurations as PLAYABLE.
    await handlerWith(undefined)(sqsEvent(s3Event('Object Created', BUCKET, key, 'etag1')));
    const [old] = fake.statusEvents(assetId, TIMES).filter(e => e.detail.packaging_configuration_id === 'hls');
    logs = [];
    const handler = handlerWith(table, { catalogPlaybackDomain: 'd111111abcdef8.cloudfront.net' }, { now: () => new Date('2026-11-29T09:00:00Z') });
    await handler(sqsEvent(backfillMessage(BUCKET, key, '"etag1"')));
    expect(lines().pop().outcome).toBe('existing');
    const seeded = await item(table, assetId);
    expect(seeded).toMatchObject({
      sourceKey: key,
      sourceEtag: 'etag1',
      ingestStatus: 'COMPLETE',
      ingestStatusAt: '2026-11-29T09:00:00.000Z',
      statusOrder: '2026-11-29T09:00:00Z#2',
    });
    expect(seeded!.assetCreatedAt).toBeUndefined();
    expect(seeded!.ingestMessage).toMatch(/^playable through hls, dash when the ingest function found the asset \(DescribeAsset\)/);
    expect(seeded!.playback.hls).toEqual({
      state: 'PLAYABLE',
      playableAt: '2026-11-29T09:00:00Z',
      manifestUrls: old.detail.manifest_urls,
      playbackUrls: [`https://d111111abcdef8.cloudfront.net${new URL(old.detail.manifest_urls[0]).pathname}`],
    });
    expect(seeded!.playbackPathPattern).toBe(commonDirectoryPattern([seeded!.playback.hls.manifestUrls[0], seeded!.playback.dash.manifestUrls[0]]));
    // A second backfill changes nothing; neither does the old event if it still arrives.
    await handler(sqsEvent(backfillMessage(BUCKET, key, 'etag1'), old));
    expect(await item(table, assetId)).toEqual(seeded);
  });

  test('CreateAsset done with less than the safety margin left: the catalog write still happens (not deferred, not lost)', async () => {
    const table = await newTable();
    const key = 'movies/late/index.m3u8';
    const assetId = assetIdFor(PREFIX, BUCKET, key);
    const handler = handlerWith(table, {}, { safetyMarginMs: 15_000, abortMarginMs: 3_000 });
    // 60 s left until the asset exists, then 10 s: under the safety margin (no new record starts), over the abort margin.
    const context = { getRemainingTimeInMillis: () => (fake.stats.created > 0 ? 10_000 : 60_000) };
    expect(await handler(sqsEvent(s3Event('Object Created', BUCKET, key, 'etag1')), context)).toEqual({ batchItemFailures: [] });
    expect(lines().map(l => l.outcome)).toEqual(['created']);
    expect(await item(table, assetId)).toMatchObject({ ingestStatus: 'INGESTING', assetCreatedAt: '2026-11-28T10:00:00Z', sourceEtag: 'etag1' });
    expect(logs.map(l => JSON.parse(l)).find(l => l._aws)).toMatchObject({ AssetsCreated: 1, MessagesDeferred: 0 });
  });

  test('a duplicate delivery of an asset still QUEUED seeds nothing: the events fill the item', async () => {
    await replaceFake({ playableAfterMs: 3_600_000 });
    const table = await newTable();
    const key = 'movies/queued/index.m3u8';
    const assetId = assetIdFor(PREFIX, BUCKET, key);
    const create = s3Event('Object Created', BUCKET, key, 'etag1');
    const handler = handlerWith(table);
    await handler(sqsEvent(create));
    await handler(sqsEvent(create));
    expect(lines().map(l => l.outcome)).toEqual(['created', 'existing']);
    expect(await item(table, assetId)).toEqual({
      assetId,
      sourceBucket: BUCKET,
      sourceKey: key,
      sourceEtag: 'etag1',
      assetCreatedAt: '2026-11-28T10:00:00Z',
      ingestStatus: 'INGESTING',
      ingestStatusAt: T0,
      statusOrder: '2026-11-28T10:00:00Z#0',
    });
  });

  test('a Playable whose URL is not /out/v1/<hash>/...: the entry is written, no path pattern is made up', async () => {
    const { table, assetId, events, create, handler } = await scenario('movies/odd-url/index.m3u8');
    const odd = { ...events[2], detail: { ...events[2].detail, manifest_urls: ['https://example.com/out/v1/index.m3u8'] } };
    await handler(sqsEvent(create, odd));
    const written = await item(table, assetId);
    expect(written!.playback[odd.detail.packaging_configuration_id].manifestUrls).toEqual(['https://example.com/out/v1/index.m3u8']);
    expect(written!.playbackPathPattern).toBeUndefined();
    // The next configuration's URL has the shape: the pattern comes with it.
    await handler(sqsEvent(events[3]));
    expect((await item(table, assetId))!.playbackPathPattern).toBe(commonDirectoryPattern(manifestUrlsOf(events)));
  });

  test('with a distribution: playbackUrls on its domain, same path', async () => {
    const table = await newTable();
    const key = 'movies/cdn/index.m3u8';
    const { assetId, events, create } = await eventsFor(key);
    const handler = handlerWith(table, { catalogPlaybackDomain: 'd111111abcdef8.cloudfront.net' });
    await handler(sqsEvent(create, ...events));
    const hls = (await item(table, assetId))!.playback.hls;
    const egress = new URL(hls.manifestUrls[0]);
    expect(hls.playbackUrls).toEqual([`https://d111111abcdef8.cloudfront.net${egress.pathname}`]);
  });
});

describe('bad input and failing calls', () => {
  test('a refused CreateAsset (the group\'s asset quota): FAILED with the reason; a later create makes it INGESTING', async () => {
    const table = await newTable();
    await replaceFake({ assetQuotaPerGroup: 0 });
    const key = 'movies/over-quota/index.m3u8';
    const assetId = assetIdFor(PREFIX, BUCKET, key);
    const create = s3Event('Object Created', BUCKET, key, 'etag1');
    await handlerWith(table)(sqsEvent(create));
    expect(lines().pop()).toMatchObject({ outcome: 'returned', error: 'UnprocessableEntityException (HTTP 422)' });
    const failed = await item(table, assetId);
    expect(failed).toMatchObject({
      assetId, sourceBucket: BUCKET, sourceKey: key, sourceEtag: 'etag1', ingestStatus: 'FAILED', statusOrder: '2026-11-28T10:00:00Z#3',
    });
    expect(failed!.ingestMessage).toMatch(/^CreateAsset refused: UnprocessableEntityException \(HTTP 422\): .*quota/i);
    // The quota raised, the message redriven an hour later: created, INGESTING.
    await replaceFake({});
    await handlerWith(table, {}, { now: () => new Date('2026-11-28T11:00:00Z') })(sqsEvent(create));
    expect(await item(table, assetId)).toMatchObject({ ingestStatus: 'INGESTING', statusOrder: '2026-11-28T11:00:00Z#0' });
  });

  test('malformed or foreign status events: one ERROR line each, acknowledged (never retried), nothing written', async () => {
    const table = await newTable();
    const { events } = await eventsFor('movies/bad/index.m3u8');
    const [start, , playable] = events as any[];
    const bad = {
      'no detail.event': { ...start, detail: { message: 'x' } },
      'no asset ARN': { ...start, resources: ['arn:aws:mediapackage-vod:eu-west-1:111111111111:packaging-groups/group'] },
      'another ingest\'s asset': { ...start, resources: ['arn:aws:mediapackage-vod:eu-west-1:111111111111:assets/other-title'] },
      'a time that is not one': { ...start, time: 'yesterday' },
      'Playable without configuration': { ...playable, detail: { ...playable.detail, packaging_configuration_id: undefined } },
      'Playable without URLs': { ...playable, detail: { ...playable.detail, manifest_urls: [] } },
      'Playable with an http URL': { ...playable, detail: { ...playable.detail, manifest_urls: ['http://example.com/index.m3u8'] } },
    };
    const handler = handlerWith(table);
    const result = await handler(sqsEvent(...Object.values(bad)));
    expect(result.batchItemFailures).toEqual([]);
    const logged = lines();
    expect(logged.map(l => [l.level, l.outcome])).toEqual(Object.keys(bad).map(() => ['ERROR', 'status-dropped']));
    expect(logged.map(l => l.detail)).toEqual([
      'the event has no detail.event',
      'the event names no asset ARN in resources',
      `asset other-title is not one of this ingest's (prefix ${PREFIX}-)`,
      'the event\'s time "yesterday" is not a time',
      'the VodAssetPlayable event has no detail.packaging_configuration_id',
      'the VodAssetPlayable event has no detail.manifest_urls of https URLs',
      'the VodAssetPlayable event has no detail.manifest_urls of https URLs',
    ]);
    expect(await itemCount(table)).toBe(0);
    const emf = logs.map(l => JSON.parse(l)).find(l => l._aws);
    expect(emf.StatusEventsDropped).toBe(7);
  });

  test('another kind of MediaPackage event is ignored (INFO), and a function without a catalog drops status events', async () => {
    const table = await newTable();
    const { events } = await eventsFor('movies/other/index.m3u8');
    await handlerWith(table)(sqsEvent({ ...events[0], detail: { event: 'VodAssetDeleted', message: 'x' } }));
    expect(lines()).toEqual([expect.objectContaining({ level: 'INFO', outcome: 'status-ignored' })]);
    logs = [];
    await handlerWith(undefined)(sqsEvent(events[0]));
    expect(lines()).toEqual([expect.objectContaining({
      level: 'ERROR', outcome: 'status-dropped', detail: 'this ingest has no catalog (CATALOG_TABLE_NAME is not set)',
    })]);
    expect(await itemCount(table)).toBe(0);
  });

  test('DynamoDB unreachable: bounded retries, then the message goes back to the queue (its redrive ends in the DLQ)', async () => {
    const unreachable = new DynamoDBClient({ ...MOTO_CLIENT_CONFIG, endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
    const { events, create } = await eventsFor('movies/unreachable/index.m3u8');
    const handler = handlerWith('catalog', {}, { dynamodb: unreachable });
    const result = await handler(sqsEvent(events[0], create));
    expect(result.batchItemFailures).toHaveLength(2);
    expect(lines().map(l => [l.level, l.outcome])).toEqual([['WARN', 'returned'], ['WARN', 'returned']]);
    expect(lines()[0].message).toMatch(/^UpdateItem \(status\): gave up after 3 attempt\(s\)/);
    // The asset was created: the redelivery finds it and writes the catalog then.
    const emf = logs.map(l => JSON.parse(l)).find(l => l._aws);
    expect(emf.Retries).toBe(4);
    unreachable.destroy();
  });

  test('a table the function may not write (refused, not retryable): the message goes to the DLQ path, not retried in place', async () => {
    const { create } = await eventsFor('movies/missing-table/index.m3u8');
    const result = await handlerWith('no-such-table')(sqsEvent(create));
    // No DLQ URL configured here: a permanent refusal is returned, and the queue's redrive policy moves it on.
    expect(result.batchItemFailures).toHaveLength(1);
    expect(lines()).toEqual([expect.objectContaining({ level: 'ERROR', outcome: 'returned', error: 'ResourceNotFoundException (HTTP 400)' })]);
  });
});

describe('catalog order: INGESTING never hides a later status (#21.6)', () => {
  const LATE = '2026-11-28T10:30:00Z'; // the clock after a slow CreateAsset: later than every event
  const orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
  test.each(['IngestComplete', 'IngestError'])('every order of the function\'s write and IngestStart, %s', async last => {
    for (const order of orders) {
      const table = await newTable();
      const key = `movies/order-${last}-${order.join('')}/index.m3u8`;
      const { assetId, events, create } = await eventsFor(key, TIMES, last === 'IngestError' ? 'bad source' : undefined);
      const createdBefore = fake.stats.created;
      // The function's clock reads T0 until CreateAsset has happened, LATE after it.
      const h = handlerWith(table, {}, { now: () => new Date(fake.stats.created > createdBefore ? LATE : T0) });
      const messages = [create, events[0], events[1]];
      for (const i of order) { await h(sqsEvent(messages[i])); }
      const written = await item(table, assetId);
      expect({ order, status: written!.ingestStatus }).toEqual({ order, status: last === 'IngestError' ? 'FAILED' : 'COMPLETE' });
    }
  });
});

describe('REPLACE finished on a later delivery (#21.7)', () => {
  test('a new asset under an id whose older asset had playback entries clears them', async () => {
    const { table, key, assetId, events, create, handler } = await scenario('movies/replaced-later/index.m3u8');
    await handler(sqsEvent(create, ...events));
    expect(Object.keys((await item(table, assetId))!.playback)).toEqual(['hls', 'dash']);
    // An earlier delivery deleted the old asset for REPLACE; this one creates the new asset ('created', not 'replaced').
    fake.assets.delete(assetId);
    const later = handlerWith(table, { onReupload: 'REPLACE' }, { now: () => new Date('2026-11-28T11:00:00Z') });
    await later(sqsEvent(s3Event('Object Created', BUCKET, key, 'etag2')));
    expect(lines().pop().outcome).toBe('created');
    const after = await item(table, assetId);
    expect(after).toMatchObject({ sourceEtag: 'etag2', assetCreatedAt: '2026-11-28T11:00:00Z', ingestStatus: 'INGESTING' });
    expect(after!.playback).toEqual({}); // toMatchObject would take any map for {}
    expect(after!.playbackPathPattern).toBeUndefined();
  });
});

test('a status event whose detail.event is an Object.prototype name is ignored, not written (#21.10a)', async () => {
  const { table, assetId, events, handler } = await scenario('movies/proto/index.m3u8');
  for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
    expect(await handler(sqsEvent({ ...events[0], detail: { ...events[0].detail, event: name } }))).toEqual({ batchItemFailures: [] });
  }
  expect(lines().map(l => l.outcome)).toEqual(['status-ignored', 'status-ignored', 'status-ignored', 'status-ignored']);
  expect(await item(table, assetId)).toBeUndefined();
});
