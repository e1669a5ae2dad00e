/** The ingest function through the real MediaPackage VOD SDK client over HTTP, against the local fake of the VOD API. */
import { MediaPackageVodClient } from '@aws-sdk/client-mediapackage-vod';
import { SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { assetIdFor } from '../../src/ingest/asset-id';
import { SOURCE_ETAG_TAG } from '../../src/ingest/contract';
import { configFromEnv, IngestConfig, IngestHandlerOptions, makeHandler, metricsLine, parseMessage } from '../../src/ingest/handler';
import { backfillMessage, s3Event, sqsEvent, sqsRecord } from '../fakes/events';
import { EVERY_OBJECT_EXISTS, NO_OBJECT_EXISTS } from '../fakes/object-store';
import { FakeVodApi, FakeVodApiOptions } from '../fakes/vod-api';

const ROLE = 'arn:aws:iam::111111111111:role/source';
const BUCKET = 'media-bucket';
const CONFIG: IngestConfig = {
  packagingGroupId: 'group',
  sourceRoleArn: ROLE,
  assetIdPrefix: 'Library',
  keyPatterns: ['movies/*/index.m3u8', '*.smil'],
  onReupload: 'KEEP',
  deleteAssetsWithObjects: false,
  maxAttempts: 4,
  deadLetterQueueUrl: undefined,
};

let fake: FakeVodApi;
let vod: MediaPackageVodClient;
let logs: string[];
let sleeps: number[];

async function start(options: FakeVodApiOptions = {}) {
  fake = new FakeVodApi({ groups: [{ id: 'group', configurations: [{ id: 'hls', format: 'hls' }] }], ...options });
  const endpoint = await fake.start();
  vod = new MediaPackageVodClient({ endpoint, region: 'eu-west-1', maxAttempts: 1, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
}

function handlerWith(config: Partial<IngestConfig> = {}, options: Partial<IngestHandlerOptions> = {}) {
  return makeHandler({
    objects: EVERY_OBJECT_EXISTS,
    config: { ...CONFIG, ...config },
    vod,
    sleep: async (ms) => { sleeps.push(ms); },
    random: () => 0.5,
    log: line => logs.push(line),
    ...options,
  });
}

const lines = () => logs.map(l => JSON.parse(l));
const outcomes = () => lines().filter(l => l.outcome).map(l => l.outcome);
const metrics = () => lines().filter(l => l._aws);

beforeEach(() => { logs = []; sleeps = []; });
afterEach(async () => {
  vod?.destroy();
  await fake?.stop();
});

describe('creating assets', () => {
  test('an Object Created event becomes one asset with the deterministic id, source, role, ResourceId and ETag tag', async () => {
    await start();
    const key = 'movies/Big Buck Bunny/index.m3u8';
    const result = await handlerWith()(sqsEvent(s3Event('Object Created', BUCKET, key, 'abc123')));
    expect(result).toEqual({ batchItemFailures: [] });
    const id = assetIdFor('Library', BUCKET, key);
    expect([...fake.assets.keys()]).toEqual([id]);
    expect(fake.assets.get(id)).toMatchObject({
      packagingGroupId: 'group',
      sourceArn: `arn:aws:s3:::${BUCKET}/${key}`,
      sourceRoleArn: ROLE,
      resourceId: id,
      tags: { [SOURCE_ETAG_TAG]: 'abc123' },
    });
    expect(lines()[0]).toEqual({ level: 'INFO', outcome: 'created', bucket: BUCKET, key, assetId: id });
    expect(metrics()).toHaveLength(1);
    expect(metrics()[0]).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Namespace: 'MediaPackageVod/Ingest', Dimensions: [['IngestId']] }] },
      IngestId: 'Library',
      AssetsCreated: 1,
      AssetsExisting: 0,
      MessagesDeadLettered: 0,
    });
  });

  test('the source ARN takes the partition of the role', async () => {
    await start();
    await handlerWith({ sourceRoleArn: 'arn:aws-cn:iam::111111111111:role/source' })(sqsEvent(backfillMessage(BUCKET, 'a.smil')));
    expect([...fake.assets.values()][0].sourceArn).toBe(`arn:aws-cn:s3:::${BUCKET}/a.smil`);
  });

  test('keys are used as they are (not URL-decoded)', async () => {
    await start();
    const key = 'movies/a+b%20c/index.m3u8';
    await handlerWith()(sqsEvent(s3Event('Object Created', BUCKET, key)));
    expect([...fake.assets.values()][0].sourceArn).toBe(`arn:aws:s3:::${BUCKET}/${key}`);
  });
});

describe('idempotency', () => {
  test('duplicate deliveries (same batch, later batches, backfill with a quoted ETag) give one asset', async () => {
    await start();
    const handler = handlerWith();
    const event = s3Event('Object Created', BUCKET, 'x.smil', 'e1');
    expect(await handler(sqsEvent(event, event))).toEqual({ batchItemFailures: [] });
    expect(await handler(sqsEvent(event))).toEqual({ batchItemFailures: [] });
    expect(await handler(sqsEvent(backfillMessage(BUCKET, 'x.smil', '"e1"')))).toEqual({ batchItemFailures: [] });
    expect(fake.assets.size).toBe(1);
    expect(fake.stats.created).toBe(1);
    expect(outcomes()).toEqual(['created', 'existing', 'existing', 'existing']);
    // In the same batch the duplicate costs no request; later ones cost CreateAsset (422) + DescribeAsset.
    expect(fake.stats.byOperation).toEqual({ CreateAsset: 3, DescribeAsset: 2 });
  });

  test('concurrent deliveries of the same event give one asset', async () => {
    await start();
    const handler = handlerWith();
    const event = s3Event('Object Created', BUCKET, 'y.smil', 'e1');
    const results = await Promise.all(Array.from({ length: 5 }, () => handler(sqsEvent(event))));
    expect(results.every(r => r.batchItemFailures.length === 0)).toBe(true);
    expect(fake.stats.created).toBe(1);
    expect(outcomes().sort()).toEqual(['created', 'existing', 'existing', 'existing', 'existing']);
  });

  test('re-upload with ON_REUPLOAD=KEEP keeps the asset and its playback URLs', async () => {
    await start();
    const handler = handlerWith();
    await handler(sqsEvent(s3Event('Object Created', BUCKET, 'z.smil', 'v1')));
    const before = fake.assets.get(assetIdFor('Library', BUCKET, 'z.smil'));
    await handler(sqsEvent(s3Event('Object Created', BUCKET, 'z.smil', 'v2')));
    expect(fake.assets.get(assetIdFor('Library', BUCKET, 'z.smil'))).toBe(before);
    expect(outcomes()).toEqual(['created', 'kept']);
  });

  test('re-upload with ON_REUPLOAD=REPLACE deletes and creates the asset again, once, even if the service holds the id a while', async () => {
    await start({ deleteSettleMs: 150 });
    const handler = handlerWith({ onReupload: 'REPLACE', maxAttempts: 6 }, { sleep: ms => new Promise(r => setTimeout(r, ms)), baseDelayMs: 40 });
    const id = assetIdFor('Library', BUCKET, 'r.smil');
    await handler(sqsEvent(s3Event('Object Created', BUCKET, 'r.smil', 'v1')));
    await handler(sqsEvent(s3Event('Object Created', BUCKET, 'r.smil', 'v2')));
    expect(fake.assets.get(id)?.tags).toEqual({ [SOURCE_ETAG_TAG]: 'v2' });
    expect(fake.stats.createsPerId.get(id)).toBe(2);
    expect(fake.stats.deleted).toBe(1);
    // The same re-upload delivered again is a duplicate, not another replacement.
    await handler(sqsEvent(s3Event('Object Created', BUCKET, 'r.smil', 'v2')));
    expect(fake.stats.deleted).toBe(1);
    expect(outcomes()).toEqual(['created', 'replaced', 'existing']);
    expect(metrics()[1]).toMatchObject({ AssetsReplaced: 1, AssetsCreated: 1 });
  });
});

describe('replacing with the last attempt used', () => {
  test('REPLACE whose delete took the last attempt: returned (ReplacePending), the next delivery creates the new asset', async () => {
    await start();
    const handler = handlerWith({ onReupload: 'REPLACE', maxAttempts: 1 });
    const id = assetIdFor('Library', BUCKET, 'p.smil');
    await handler(sqsEvent(s3Event('Object Created', BUCKET, 'p.smil', 'v1')));
    const event = sqsEvent(s3Event('Object Created', BUCKET, 'p.smil', 'v2'));
    expect(await handler(event)).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[0].messageId }] });
    expect(fake.assets.has(id)).toBe(false); // deleted for the replacement, not created yet
    expect(lines().find(l => l.outcome === 'returned')).toMatchObject({ error: 'ReplacePending', assetId: id });
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    expect(fake.assets.get(id)?.tags).toEqual({ [SOURCE_ETAG_TAG]: 'v2' });
    expect(outcomes()).toEqual(['created', 'returned', 'created']);
  });
});

describe('deletes', () => {
  test('Object Deleted is ignored unless opted in', async () => {
    await start();
    await handlerWith()(sqsEvent(s3Event('Object Created', BUCKET, 'd.smil')));
    await handlerWith()(sqsEvent(s3Event('Object Deleted', BUCKET, 'd.smil')));
    expect(fake.assets.size).toBe(1);
    expect(outcomes()).toEqual(['created', 'ignored']);
  });

  test('with DELETE_ASSETS_WITH_OBJECTS the asset is deleted; a missing asset (404) is success', async () => {
    await start();
    await handlerWith({ deleteAssetsWithObjects: true })(sqsEvent(s3Event('Object Created', BUCKET, 'd.smil')));
    const handler = handlerWith({ deleteAssetsWithObjects: true }, { objects: NO_OBJECT_EXISTS });
    expect(await handler(sqsEvent(s3Event('Object Deleted', BUCKET, 'd.smil'), s3Event('Object Deleted', BUCKET, 'gone.smil'))))
      .toEqual({ batchItemFailures: [] });
    expect(fake.assets.size).toBe(0);
    expect(outcomes()).toEqual(['created', 'deleted', 'deleted']);
  });
});

describe('retries', () => {
  test('429 and 5xx are retried with full-jitter exponential backoff, then succeed', async () => {
    await start();
    fake.failNext(429, 1, 'CreateAsset');
    fake.failNext(503, 1, 'CreateAsset');
    fake.failNext(500, 1, 'CreateAsset');
    const result = await handlerWith()(sqsEvent(s3Event('Object Created', BUCKET, 'retry.smil')));
    expect(result.batchItemFailures).toEqual([]);
    expect(fake.assets.size).toBe(1);
    // random() = 0.5: half of caps 100, 200, 400
    expect(sleeps).toEqual([50, 100, 200]);
    expect(metrics()[0]).toMatchObject({ Retries: 3, AssetsCreated: 1 });
  });

  test('when the attempts run out the message goes back to the queue (batch item failure), the others succeed', async () => {
    await start();
    fake.failNext(503, 4, 'CreateAsset');
    const event = sqsEvent(s3Event('Object Created', BUCKET, 'busy.smil'), s3Event('Object Created', BUCKET, 'fine.smil'));
    const result = await handlerWith()(event);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0].messageId }]);
    expect(fake.assets.size).toBe(1);
    expect(lines()[0]).toMatchObject({ level: 'WARN', outcome: 'returned', key: 'busy.smil', error: 'ServiceUnavailableException (HTTP 503)' });
    expect(sleeps).toHaveLength(3);
    // The redelivery succeeds and creates the asset once.
    expect((await handlerWith()(sqsEvent(s3Event('Object Created', BUCKET, 'busy.smil')))).batchItemFailures).toEqual([]);
    expect(fake.assets.size).toBe(2);
  });

  test('retries stop when the invocation has little time left', async () => {
    await start();
    fake.failNext(429, 1, 'CreateAsset');
    const event = sqsEvent(s3Event('Object Created', BUCKET, 'late.smil'));
    const result = await handlerWith()(event, { getRemainingTimeInMillis: () => 10_000 });
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0].messageId }]);
    expect(sleeps).toEqual([]);
  });

  test('a network error (connection refused) is retried and then returned', async () => {
    await start();
    await fake.stop();
    const event = sqsEvent(s3Event('Object Created', BUCKET, 'down.smil'));
    const result = await handlerWith({ maxAttempts: 2 })(event);
    expect(result.batchItemFailures).toHaveLength(1);
    expect(lines()[0]).toMatchObject({ outcome: 'returned' });
  });
});

describe('permanent refusals', () => {
  let sqsMock: ReturnType<typeof mockClient>;
  beforeAll(() => { sqsMock = mockClient(SQSClient); });
  afterAll(() => sqsMock.restore());
  beforeEach(() => sqsMock.reset());

  test('422 (quota reached) is logged as one structured line and sent to the DLQ, not returned', async () => {
    await start({ assetQuotaPerGroup: 0 });
    const handler = handlerWith({ deadLetterQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111111111111/dlq' }, { sqs: new SQSClient({ region: 'eu-west-1' }) });
    const event = sqsEvent(s3Event('Object Created', BUCKET, 'q.smil'));
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    const line = lines()[0];
    expect(line).toEqual({
      level: 'ERROR',
      outcome: 'dead-lettered',
      bucket: BUCKET,
      key: 'q.smil',
      assetId: assetIdFor('Library', BUCKET, 'q.smil'),
      error: 'UnprocessableEntityException (HTTP 422)',
      message: 'The packaging group \'group\' has reached its quota of 0 assets',
    });
    const sent = sqsMock.calls()[0].args[0].input as any;
    expect(sent.QueueUrl).toBe('https://sqs.eu-west-1.amazonaws.com/111111111111/dlq');
    expect(sent.MessageBody).toBe(event.Records[0].body);
    expect(sent.MessageAttributes.error.StringValue).toBe('UnprocessableEntityException (HTTP 422)');
    // A 422 whose asset does not exist is tried maxAttempts times (a delete may be settling), then final.
    expect(fake.stats.byOperation).toEqual({ CreateAsset: 4, DescribeAsset: 4 });
  });

  test('403 goes to the DLQ at once', async () => {
    await start({ forbid: () => 'User is not authorized to perform iam:PassRole' });
    const handler = handlerWith({ deadLetterQueueUrl: 'dlq' }, { sqs: new SQSClient({ region: 'eu-west-1' }) });
    await handler(sqsEvent(s3Event('Object Created', BUCKET, 'f.smil')));
    expect(lines()[0]).toMatchObject({ outcome: 'dead-lettered', error: 'ForbiddenException (HTTP 403)', message: 'User is not authorized to perform iam:PassRole' });
    expect(fake.stats.requests).toBe(1);
  });

  test.each([
    ['not json', 'not JSON'],
    [JSON.stringify({ source: 'aws.ec2' }), 'unexpected source'],
    [JSON.stringify({ 'source': 'aws.s3', 'detail-type': 'Object Restore Completed' }), 'unexpected detail-type'],
    [JSON.stringify({ 'source': 'aws.s3', 'detail-type': 'Object Created', 'detail': {} }), 'no detail.bucket.name'],
    [JSON.stringify({ source: 'cdk-mediapackage-vod.backfill', bucket: 'b' }), 'no bucket or key'],
    [JSON.stringify(42), 'not a JSON object'],
  ])('malformed message %s goes to the DLQ (%s) without a call to the service', async (body, reason) => {
    await start();
    const handler = handlerWith({ deadLetterQueueUrl: 'dlq' }, { sqs: new SQSClient({ region: 'eu-west-1' }) });
    expect(await handler({ Records: [sqsRecord(body)] })).toEqual({ batchItemFailures: [] });
    expect(lines()[0]).toMatchObject({ level: 'ERROR', outcome: 'dead-lettered', error: 'MalformedMessage' });
    expect(lines()[0].message).toContain(reason);
    expect(fake.stats.requests).toBe(0);
  });

  test('a key that matches no pattern goes to the DLQ', async () => {
    await start();
    const handler = handlerWith({ deadLetterQueueUrl: 'dlq' }, { sqs: new SQSClient({ region: 'eu-west-1' }) });
    await handler(sqsEvent(s3Event('Object Created', BUCKET, 'movies/x/child_720p.m3u8')));
    expect(lines()[0]).toMatchObject({ outcome: 'dead-lettered', error: 'KeyNotMatched' });
    expect(fake.stats.requests).toBe(0);
  });

  test('an asset id taken by another source is a refusal', async () => {
    await start();
    const id = assetIdFor('Library', BUCKET, 'taken.smil');
    fake.assets.set(id, { id, arn: fake.assetArn(id), packagingGroupId: 'group', sourceArn: 'arn:aws:s3:::other/x.smil', sourceRoleArn: ROLE, createdAt: '', createdAtMs: 0 });
    await handlerWith({ deadLetterQueueUrl: 'dlq' }, { sqs: new SQSClient({ region: 'eu-west-1' }) })(sqsEvent(s3Event('Object Created', BUCKET, 'taken.smil')));
    expect(lines()[0]).toMatchObject({ outcome: 'dead-lettered', error: 'AssetIdTaken' });
  });

  test('when the DLQ send fails (or there is no DLQ URL) the refusal is returned to the queue for the redrive policy', async () => {
    await start();
    sqsMock.rejects(Object.assign(new Error('AccessDenied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
    const event = sqsEvent('garbage');
    const result = await handlerWith({ deadLetterQueueUrl: 'dlq' }, { sqs: new SQSClient({ region: 'eu-west-1' }) })(event);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0].messageId }]);
    expect(outcomes()).toEqual(['dead-letter-send-failed', 'returned']);
    logs = [];
    const result2 = await handlerWith()(event);
    expect(result2.batchItemFailures).toHaveLength(1);
  });
});

describe('configuration', () => {
  const env = {
    PACKAGING_GROUP_ID: 'group',
    SOURCE_ROLE_ARN: ROLE,
    ASSET_ID_PREFIX: 'Library',
    KEY_PATTERNS: '["*.smil"]',
    ON_REUPLOAD: 'REPLACE',
    DELETE_ASSETS_WITH_OBJECTS: 'true',
    MAX_ATTEMPTS: '3',
    DEAD_LETTER_QUEUE_URL: 'dlq',
    INGEST_QUEUE_URL: 'queue',
    MAX_RECEIVE_COUNT: '5',
  };

  test('reads the environment', () => {
    expect(configFromEnv(env)).toEqual({
      packagingGroupId: 'group',
      sourceRoleArn: ROLE,
      assetIdPrefix: 'Library',
      keyPatterns: ['*.smil'],
      onReupload: 'REPLACE',
      deleteAssetsWithObjects: true,
      maxAttempts: 3,
      deadLetterQueueUrl: 'dlq',
      ingestQueueUrl: 'queue',
      maxReceiveCount: 5,
      endpoint: undefined,
    });
    const defaults = { ON_REUPLOAD: undefined, DELETE_ASSETS_WITH_OBJECTS: undefined, MAX_ATTEMPTS: undefined, MAX_RECEIVE_COUNT: undefined };
    expect(configFromEnv({ ...env, ...defaults }))
      .toMatchObject({ onReupload: 'KEEP', deleteAssetsWithObjects: false, maxAttempts: 6, maxReceiveCount: 1 });
  });

  test.each([
    [{ PACKAGING_GROUP_ID: undefined }, /PACKAGING_GROUP_ID is not set/],
    [{ ASSET_ID_PREFIX: 'a-b' }, /not a valid asset id prefix: a-b/],
    [{ KEY_PATTERNS: '[' }, /KEY_PATTERNS is not JSON/],
    [{ KEY_PATTERNS: '[]' }, /non-empty JSON array of strings/],
    [{ ON_REUPLOAD: 'OVERWRITE' }, /must be KEEP or REPLACE \(got OVERWRITE\)/],
    [{ MAX_ATTEMPTS: '0' }, /MAX_ATTEMPTS must be an integer from 1 to 20 \(got 0\)/],
    [{ MAX_RECEIVE_COUNT: '0' }, /MAX_RECEIVE_COUNT must be an integer from 1 to 1000 \(got 0\)/],
  ])('refuses %j', (change, message) => {
    expect(() => configFromEnv({ ...env, ...change })).toThrow(message);
  });

  test('a bad configuration fails the whole batch with one structured line', async () => {
    const handler = makeHandler({ log: line => logs.push(line) });
    const saved = process.env.ASSET_ID_PREFIX;
    delete process.env.ASSET_ID_PREFIX;
    await expect(handler(sqsEvent(backfillMessage(BUCKET, 'a.smil')))).rejects.toThrow(/ASSET_ID_PREFIX is not set/);
    if (saved !== undefined) { process.env.ASSET_ID_PREFIX = saved; }
    expect(lines()).toEqual([{ level: 'ERROR', outcome: 'misconfigured', message: 'Environment variable ASSET_ID_PREFIX is not set' }]);
  });

  test('parseMessage normalizes quoted ETags and the metrics line lists every metric', () => {
    expect(parseMessage(JSON.stringify(backfillMessage('b', 'k.smil', '"q"')))).toEqual({ kind: 'created', bucket: 'b', key: 'k.smil', etag: 'q' });
    const line = JSON.parse(metricsLine('P', { AssetsCreated: 2 }));
    expect(line._aws.CloudWatchMetrics[0].Metrics.map((m: any) => m.Name)).toEqual([
      'AssetsCreated', 'AssetsExisting', 'AssetsReplaced', 'AssetsDeleted', 'MessagesIgnored', 'Retries', 'MessagesReturned', 'MessagesDeferred',
      'MessagesDeadLettered',
      'StatusEventsApplied', 'StatusEventsStale', 'StatusEventsDropped',
    ]);
    expect(line).toMatchObject({ IngestId: 'P', AssetsCreated: 2, Retries: 0 });
  });
});

describe('refusals checked against the world (#21.7)', () => {
  test('a non-retryable CreateAsset error other than 403 (here 400) for an id that is ours is a duplicate, not a refusal', async () => {
    await start();
    const handler = handlerWith();
    await handler(sqsEvent(s3Event('Object Created', BUCKET, 'dup.smil', 'e1')));
    fake.failNext(400, 1, 'CreateAsset');
    expect(await handler(sqsEvent(s3Event('Object Created', BUCKET, 'dup.smil', 'e1')))).toEqual({ batchItemFailures: [] });
    expect(outcomes()).toEqual(['created', 'existing']);
    expect(fake.stats.byOperation.DescribeAsset).toBe(1);
  });

  test('a 400 for an id that does not exist stays a refusal; a 403 is not checked', async () => {
    await start();
    const handler = handlerWith();
    fake.failNext(400, 1, 'CreateAsset');
    await handler(sqsEvent(s3Event('Object Created', BUCKET, 'new.smil')));
    fake.failNext(403, 1, 'CreateAsset');
    await handler(sqsEvent(s3Event('Object Created', BUCKET, 'denied.smil')));
    expect(lines().filter(l => l.outcome).map(l => [l.outcome, l.error])).toEqual([
      ['returned', 'BadRequestException (HTTP 400)'], ['returned', 'ForbiddenException (HTTP 403)'],
    ]);
    expect(fake.stats.byOperation.DescribeAsset).toBe(1);
  });
});
