/**
 * The ingest function checks the world, not the event (#21 items 1, 2, 3): HeadObject before CreateAsset and DeleteAsset
 * (moto's S3, versioned buckets and delete markers included), keys as S3 may send them, and the time budget (records not
 * started go back to the queue as fresh copies, calls are aborted at the deadline). Real SDK clients against moto and the
 * VOD fake.
 */
import { MediaPackageVodClient } from '@aws-sdk/client-mediapackage-vod';
import {
  CreateBucketCommand, DeleteObjectCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { MOTO_CLIENT_CONFIG, useMoto } from './moto';
import { assetIdFor } from '../../src/ingest/asset-id';
import { IngestConfig, IngestHandlerOptions, makeHandler } from '../../src/ingest/handler';
import { backfillMessage, s3Event, sqsEvent, sqsRecord } from '../fakes/events';
import { FakeVodApi } from '../fakes/vod-api';

jest.setTimeout(60_000);

let s3: S3Client;
let sqs: SQSClient;
let fake: FakeVodApi;
let vod: MediaPackageVodClient;
let logs: string[];
let bucketCount = 0;

useMoto(endpoint => [
  s3 = new S3Client({ ...MOTO_CLIENT_CONFIG, endpoint, forcePathStyle: true }),
  sqs = new SQSClient({ ...MOTO_CLIENT_CONFIG, endpoint }),
]);
beforeEach(async () => {
  logs = [];
  fake = new FakeVodApi();
  vod = new MediaPackageVodClient({ ...MOTO_CLIENT_CONFIG, endpoint: await fake.start(), maxAttempts: 1 });
});
afterEach(async () => {
  vod.destroy();
  await fake.stop();
});

const CONFIG: Omit<IngestConfig, 'keyPatterns'> = {
  packagingGroupId: 'group',
  sourceRoleArn: 'arn:aws:iam::111111111111:role/source',
  assetIdPrefix: 'Lib',
  onReupload: 'KEEP',
  deleteAssetsWithObjects: true,
  maxAttempts: 3,
};

async function newBucket(versioned = false): Promise<string> {
  const name = `media-${++bucketCount}-${Date.now()}`;
  await s3.send(new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
  if (versioned) { await s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } })); }
  return name;
}

async function put(bucket: string, key: string, body = 'x'): Promise<{ etag: string; versionId?: string }> {
  const out = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  return { etag: out.ETag!.replace(/"/g, ''), versionId: out.VersionId };
}

function handler(config: Partial<IngestConfig> = {}, options: Partial<IngestHandlerOptions> = {}) {
  return makeHandler({
    config: { ...CONFIG, keyPatterns: ['*.smil'], ...config },
    vod,
    s3,
    sqs,
    sleep: async () => {},
    log: line => logs.push(line),
    ...options,
  });
}
const outcomes = () => logs.map(l => JSON.parse(l)).filter(l => l.outcome).map(l => l.outcome);

describe('deletes and order (#21.1)', () => {
  test('versioned bucket: deleting a noncurrent version keeps the asset; a delete marker removes it', async () => {
    const bucket = await newBucket(true);
    const v1 = await put(bucket, 'v.smil', 'one');
    await put(bucket, 'v.smil', 'two');
    const h = handler();
    await h(sqsEvent(s3Event('Object Created', bucket, 'v.smil')));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'v.smil', VersionId: v1.versionId }));
    await h(sqsEvent(s3Event('Object Deleted', bucket, 'v.smil')));
    expect(fake.assets.has(assetIdFor('Lib', bucket, 'v.smil'))).toBe(true);
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'v.smil' })); // a delete marker: no current version
    await h(sqsEvent(s3Event('Object Deleted', bucket, 'v.smil')));
    expect(fake.assets.size).toBe(0);
    expect(outcomes()).toEqual(['created', 'object-exists', 'deleted']);
  });

  test('an older Deleted processed after a newer Created keeps the asset of the object that exists', async () => {
    const bucket = await newBucket();
    await put(bucket, 'r.smil');
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'r.smil' }));
    const again = await put(bucket, 'r.smil', 'again');
    const h = handler();
    await h(sqsEvent(s3Event('Object Created', bucket, 'r.smil', again.etag)));
    await h(sqsEvent(s3Event('Object Deleted', bucket, 'r.smil'))); // the first delete, delivered late
    expect([...fake.assets.keys()]).toEqual([assetIdFor('Lib', bucket, 'r.smil')]);
    expect(outcomes()).toEqual(['created', 'object-exists']);
  });

  test('a Created processed after its Deleted creates nothing (logged, not dead-lettered)', async () => {
    const bucket = await newBucket();
    const { etag } = await put(bucket, 'gone.smil');
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'gone.smil' }));
    const h = handler();
    expect(await h(sqsEvent(s3Event('Object Deleted', bucket, 'gone.smil'), s3Event('Object Created', bucket, 'gone.smil', etag))))
      .toEqual({ batchItemFailures: [] });
    expect(fake.assets.size).toBe(0);
    expect(fake.stats.byOperation.CreateAsset).toBeUndefined();
    expect(outcomes()).toEqual(['deleted', 'object-missing']);
  });

  test('the asset is tagged with the ETag S3 has now, so a late Created of older content is a duplicate', async () => {
    const bucket = await newBucket();
    const old = await put(bucket, 't.smil', 'old');
    const now = await put(bucket, 't.smil', 'new');
    const h = handler({ onReupload: 'REPLACE' });
    await h(sqsEvent(s3Event('Object Created', bucket, 't.smil', now.etag)));
    await h(sqsEvent(s3Event('Object Created', bucket, 't.smil', old.etag)));
    expect(fake.stats.created).toBe(1);
    expect(outcomes()).toEqual(['created', 'existing']);
  });

  test('a 403 from HeadObject is never taken for "gone": the asset stays, the message is returned', async () => {
    const h = handler({}, { objects: { head: async () => { throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }); } } });
    const result = await h(sqsEvent(s3Event('Object Deleted', 'b', 'x.smil')));
    expect(fake.stats.byOperation.DeleteAsset).toBeUndefined();
    expect(result.batchItemFailures).toHaveLength(1); // permanent (403); without a DLQ URL, returned for the redrive policy
    expect(logs.map(l => JSON.parse(l)).find(l => l.outcome)).toMatchObject({ outcome: 'returned', error: 'AccessDenied (HTTP 403)' });
  });
});

describe('keys as S3 sends them (#21.2)', () => {
  const KEYS = ['with space.smil', 'plus+sign.smil', 'per%cent.smil', 'ünï cødé.smil', 'a+b.smil', 'a b.smil'];
  const quotePlus = (key: string) => encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');

  test('as sent, URL-encoded, or from the backfill: one object, one asset id', async () => {
    const bucket = await newBucket();
    for (const key of KEYS) { await put(bucket, key); }
    const h = handler();
    for (const key of KEYS) {
      await h(sqsEvent(s3Event('Object Created', bucket, key)));
      await h(sqsEvent(s3Event('Object Created', bucket, quotePlus(key))));
      await h(sqsEvent(backfillMessage(bucket, key)));
    }
    expect([...fake.assets.keys()].sort()).toEqual(KEYS.map(key => assetIdFor('Lib', bucket, key)).sort());
    for (const key of KEYS) {
      expect(fake.assets.get(assetIdFor('Lib', bucket, key))!.sourceArn).toBe(`arn:aws:s3:::${bucket}/${key}`);
    }
    expect(fake.stats.created).toBe(KEYS.length);
  });

  test('a key that is literally a+b is not taken for a b (the key as sent wins when it exists)', async () => {
    const bucket = await newBucket();
    await put(bucket, 'a+b.smil');
    const h = handler();
    await h(sqsEvent(s3Event('Object Created', bucket, 'a+b.smil')));
    expect([...fake.assets.keys()]).toEqual([assetIdFor('Lib', bucket, 'a+b.smil')]);
    // Only `a b` exists: `a+b` (not an object) is read as its encoded form.
    const other = await newBucket();
    await put(other, 'a b.smil');
    await h(sqsEvent(s3Event('Object Created', other, 'a+b.smil')));
    expect(fake.assets.has(assetIdFor('Lib', other, 'a b.smil'))).toBe(true);
  });

  test('a Deleted with an encoded key removes the asset of the decoded key once both are gone', async () => {
    const bucket = await newBucket();
    await put(bucket, 'x y.smil');
    const h = handler();
    await h(sqsEvent(s3Event('Object Created', bucket, 'x y.smil')));
    await h(sqsEvent(s3Event('Object Deleted', bucket, 'x+y.smil'))); // the object is still there
    expect(fake.assets.size).toBe(1);
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'x y.smil' }));
    await h(sqsEvent(s3Event('Object Deleted', bucket, 'x+y.smil')));
    expect(fake.assets.size).toBe(0);
  });
});

describe('time budget (#21.3)', () => {
  async function queue(): Promise<string> {
    return (await sqs.send(new CreateQueueCommand({ QueueName: `ingest-${Date.now()}-${Math.floor(Math.random() * 1e6)}` }))).QueueUrl!;
  }

  test('slow service: no record starts past the deadline; those not started go back as fresh copies, not failures', async () => {
    const bucket = await newBucket();
    const keys = Array.from({ length: 10 }, (_, i) => `slow${i}.smil`);
    for (const key of keys) { await put(bucket, key); }
    await fake.stop();
    fake = new FakeVodApi({ latencyMs: 300 });
    vod.destroy();
    vod = new MediaPackageVodClient({ ...MOTO_CLIENT_CONFIG, endpoint: await fake.start(), maxAttempts: 1 });
    const queueUrl = await queue();
    const started = Date.now();
    const timeoutMs = 4_000;
    const context = { getRemainingTimeInMillis: () => timeoutMs - (Date.now() - started) };
    const h = handler({ ingestQueueUrl: queueUrl }, { safetyMarginMs: 2_000, abortMarginMs: 1_000 });
    const records = keys.map(key => sqsRecord(s3Event('Object Created', bucket, key)));
    const result = await h({ Records: records }, context);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(timeoutMs); // the invocation ends before its timeout
    expect(result.batchItemFailures).toEqual([]);
    const created = fake.stats.created;
    expect(created).toBeGreaterThan(0);
    expect(created).toBeLessThan(10);
    const copies = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }));
    expect(copies.Messages).toHaveLength(10 - created);
    for (const copy of copies.Messages!) {
      expect(copy.MessageAttributes!['cdk-mediapackage-vod.deferrals'].StringValue).toBe('1');
      expect(copy.MessageAttributes!['cdk-mediapackage-vod.receives'].StringValue).toBe('0');
    }
    expect(outcomes().filter(o => o === 'deferred')).toHaveLength(10 - created);
  });

  test('a stalled call is aborted at the deadline less the margin: the record is returned, the invocation ends in time', async () => {
    const bucket = await newBucket();
    await put(bucket, 'stall.smil');
    fake.stallNext(1, 'CreateAsset');
    const started = Date.now();
    const context = { getRemainingTimeInMillis: () => 2_000 - (Date.now() - started) };
    const h = handler({}, { safetyMarginMs: 1_000, abortMarginMs: 500 });
    const record = sqsRecord(s3Event('Object Created', bucket, 'stall.smil'));
    const result = await h({ Records: [record] }, context);
    expect(Date.now() - started).toBeLessThan(1_800);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(outcomes()).toEqual(['returned']);
  });

  test('after a stalled call was aborted, the records not started are still deferred (the send has its own deadline)', async () => {
    const bucket = await newBucket();
    for (const key of ['s1.smil', 's2.smil', 's3.smil']) { await put(bucket, key); }
    fake.stallNext(1, 'CreateAsset');
    const queueUrl = await queue();
    const started = Date.now();
    const context = { getRemainingTimeInMillis: () => 3_000 - (Date.now() - started) };
    const h = handler({ ingestQueueUrl: queueUrl }, { safetyMarginMs: 2_000, abortMarginMs: 1_500 });
    const records = ['s1.smil', 's2.smil', 's3.smil'].map(key => sqsRecord(s3Event('Object Created', bucket, key)));
    const result = await h({ Records: records }, context);
    expect(Date.now() - started).toBeLessThan(3_000);
    // The stalled record is returned (its receive counts); the two not started wait for time without using a receive.
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: records[0].messageId }]);
    expect(outcomes()).toEqual(['returned', 'deferred', 'deferred']);
    const copies = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }));
    expect(copies.Messages!.map(m => JSON.parse(m.Body!).detail.object.key).sort()).toEqual(['s2.smil', 's3.smil']);
  });

  test('a record whose asset call finished is not deferred when a later call finds no time: it is returned', async () => {
    // `a+b.smil` has two candidate keys: the first DeleteAsset is done, the second finds the deadline passed. A deferred
    // copy would count a MessagesDeferred for work half done; the record goes back to the queue instead.
    const queueUrl = await queue();
    const h = handler({ ingestQueueUrl: queueUrl }, { objects: { head: async () => undefined }, safetyMarginMs: 15_000 });
    const id = assetIdFor('Lib', 'b', 'a+b.smil');
    fake.assets.set(id, { id } as any);
    const record = sqsRecord(s3Event('Object Deleted', 'b', 'a+b.smil'));
    // 60 s left until the first DeleteAsset is done, then 2 s (less than the abort margin): no further call starts.
    const context = { getRemainingTimeInMillis: () => (fake.stats.byOperation.DeleteAsset ? 2_000 : 60_000) };
    const result = await h({ Records: [record] }, context);
    expect(fake.stats.byOperation.DeleteAsset).toBe(1);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(outcomes()).toEqual(['returned']);
    const copies = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
    expect(copies.Messages ?? []).toHaveLength(0);
  });

  test('a record whose asset call finished completes its calls past the safety margin, up to the abort margin', async () => {
    const h = handler({}, { objects: { head: async () => undefined }, safetyMarginMs: 15_000, abortMarginMs: 3_000 });
    const ids = ['a+b.smil', 'a b.smil'].map(key => assetIdFor('Lib', 'b', key));
    for (const id of ids) { fake.assets.set(id, { id } as any); }
    const record = sqsRecord(s3Event('Object Deleted', 'b', 'a+b.smil'));
    // 10 s left once the first DeleteAsset is done: under the safety margin, over the abort margin.
    const result = await h({ Records: [record] }, { getRemainingTimeInMillis: () => (fake.stats.byOperation.DeleteAsset ? 10_000 : 60_000) });
    expect(result.batchItemFailures).toEqual([]);
    expect(fake.stats.byOperation.DeleteAsset).toBe(2);
    expect(fake.assets.size).toBe(0);
    expect(outcomes()).toEqual(['deleted']);
  });

  test('after maxDeferrals deferrals a record is returned normally (its receive counts), before that it is deferred', async () => {
    const queueUrl = await queue();
    const h = handler({ ingestQueueUrl: queueUrl }, { maxDeferrals: 20 });
    const record = (deferrals: number) => {
      const r = sqsRecord(s3Event('Object Created', 'b', `d${deferrals}.smil`));
      return { ...r, messageAttributes: { 'cdk-mediapackage-vod.deferrals': { dataType: 'Number', stringValue: String(deferrals) } } } as any;
    };
    const [nineteen, twenty] = [record(19), record(20)];
    const result = await h({ Records: [nineteen, twenty] }, { getRemainingTimeInMillis: () => 10_000 }); // under the 15 s margin: nothing starts
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: twenty.messageId }]);
    expect(outcomes()).toEqual(['deferred', 'returned']);
    const copies = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }));
    expect(copies.Messages).toHaveLength(1);
    expect(JSON.parse(copies.Messages![0].Body!).detail.object.key).toBe('d19.smil');
    expect(copies.Messages![0].MessageAttributes!['cdk-mediapackage-vod.deferrals'].StringValue).toBe('20');
  });

  test('a copy\'s receives count: a 422 for a missing id is returned until the last receive, then dead-lettered', async () => {
    const bucket = await newBucket();
    await put(bucket, 'q.smil');
    await fake.stop();
    fake = new FakeVodApi({ assetQuotaPerGroup: 0 });
    vod.destroy();
    vod = new MediaPackageVodClient({ ...MOTO_CLIENT_CONFIG, endpoint: await fake.start(), maxAttempts: 1 });
    const dlq = await queue();
    const h = handler({ maxReceiveCount: 5, deadLetterQueueUrl: dlq });
    const record = (receives: number, carried?: number) => {
      const r = sqsRecord(s3Event('Object Created', bucket, 'q.smil'));
      return {
        ...r,
        attributes: { ...r.attributes, ApproximateReceiveCount: String(receives) },
        messageAttributes: carried === undefined ? {} : { 'cdk-mediapackage-vod.receives': { dataType: 'Number', stringValue: String(carried) } },
      } as any;
    };
    expect((await h({ Records: [record(1)] })).batchItemFailures).toHaveLength(1);
    expect((await h({ Records: [record(2, 2)] })).batchItemFailures).toHaveLength(1);
    expect((await h({ Records: [record(1, 4)] })).batchItemFailures).toHaveLength(0); // 1 + 4 = 5: the last receive
    expect(outcomes()).toEqual(['returned', 'returned', 'dead-lettered']);
  });
});
