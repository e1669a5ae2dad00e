/**
 * The backfill custom resource against moto (real S3 listing pages, real SQS), through the real SDK clients; branches
 * moto cannot produce (SQS failing single entries, sender faults) with aws-sdk-client-mock.
 */
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { MOTO_CLIENT_CONFIG, useMoto } from './servers/moto';
import { BackfillEvent, coveringPrefixes, makeBackfill } from '../src/ingest/backfill';
import { BACKFILL_MESSAGE_SOURCE, BackfillResourceProperties } from '../src/ingest/contract';

jest.setTimeout(120_000);

let s3: S3Client;
let sqs: SQSClient;
useMoto(endpoint => [
  s3 = new S3Client({ ...MOTO_CLIENT_CONFIG, endpoint, forcePathStyle: true }),
  sqs = new SQSClient({ ...MOTO_CLIENT_CONFIG, endpoint }),
]);

const COMMON = {
  ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:provider',
  ResponseURL: '...',
  StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/Stack/guid',
  RequestId: 'request-1',
  LogicalResourceId: 'Backfill',
  ResourceType: 'Custom::MediaPackageVodIngestBackfill',
};
const create = (p: BackfillResourceProperties): BackfillEvent => ({ ...COMMON, RequestType: 'Create', ResourceProperties: { ServiceToken: COMMON.ServiceToken, ...p } });

async function putAll(bucket: string, keys: string[]) {
  for (let i = 0; i < keys.length; i += 16) {
    await Promise.all(keys.slice(i, i + 16).map(Key => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key }))));
  }
}

/** Receives (and deletes) every message, with a few receivers in parallel (moto hands out few messages per call). */
async function receiveAll(queueUrl: string): Promise<any[]> {
  const bodies: any[] = [];
  const receiver = async () => {
    for (;;) {
      const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }));
      const messages = out.Messages ?? [];
      if (messages.length === 0) { return; }
      bodies.push(...messages.map(m => JSON.parse(m.Body!)));
      const entries = messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! }));
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
    }
  };
  await Promise.all(Array.from({ length: 8 }, receiver));
  return bodies;
}

test('502 objects over eleven listing pages (moto is slow: the bench measures 10,000): exactly the matching keys are enqueued, once each', async () => {
  const bucket = 'backfill-pages';
  await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
  const matching: string[] = [];
  const keys: string[] = [];
  for (let i = 0; i < 250; i++) {
    const title = `movies/title ${i}+cut/`;
    keys.push(`${title}index.m3u8`, `${title}index_720p.m3u8`);
    matching.push(`${title}index.m3u8`);
  }
  keys.push('films/a.smil', 'other/b.smil');
  matching.push('films/a.smil');
  await putAll(bucket, keys);
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'backfill-pages' }));
  const logs: string[] = [];
  const list = jest.spyOn(s3, 'send');
  const handler = makeBackfill({ s3, sqs, pageSize: 50, log: l => logs.push(l) });
  const result = await handler(create({
    BucketName: bucket, KeyPatterns: ['movies/*/index.m3u8', 'films/*.smil'], Prefixes: ['movies/', 'films/'], QueueUrl: QueueUrl!,
  }));
  // 500 objects under movies/ at 50 a page: 10 pages; films/: 1 page.
  expect(list).toHaveBeenCalledTimes(11);
  list.mockRestore();
  expect(result).toEqual({ PhysicalResourceId: `backfill:${bucket}`, Data: { ObjectsListed: 501, ObjectsMatched: 251, MessagesSent: 251 } });
  const bodies = await receiveAll(QueueUrl!);
  // SQS delivers at least once (moto too, with parallel receivers): compare the distinct keys.
  expect(bodies.length).toBeGreaterThanOrEqual(251);
  expect([...new Set(bodies.map(b => b.key))].sort()).toEqual([...matching].sort());
  expect(bodies[0]).toEqual({ source: BACKFILL_MESSAGE_SOURCE, bucket, key: expect.any(String), etag: expect.stringMatching(/^[0-9a-f]{32}$/) });
  expect(JSON.parse(logs[0])).toMatchObject({ level: 'INFO', outcome: 'backfilled', ObjectsMatched: 251 });
});

test('Update lists again only when patterns or the catalog table change; Delete does nothing', async () => {
  const bucket = 'backfill-update';
  await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
  await putAll(bucket, ['a.smil', 'b.m3u8']);
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'backfill-update' }));
  const props = { BucketName: bucket, KeyPatterns: ['*.smil'], Prefixes: [''], QueueUrl: QueueUrl! };
  const handler = makeBackfill({ s3, sqs, log: () => {} });
  const same = await handler({ ...COMMON, RequestType: 'Update', PhysicalResourceId: `backfill:${bucket}`, ResourceProperties: { ServiceToken: 's', ...props }, OldResourceProperties: props });
  expect(same.Data).toEqual({ ObjectsListed: 0, ObjectsMatched: 0, MessagesSent: 0 });
  const changed = await handler({
    ...COMMON,
    RequestType: 'Update',
    PhysicalResourceId: `backfill:${bucket}`,
    ResourceProperties: { ServiceToken: 's', ...props, KeyPatterns: ['*.smil', '*.m3u8'] },
    OldResourceProperties: props,
  });
  expect(changed.Data).toEqual({ ObjectsListed: 2, ObjectsMatched: 2, MessagesSent: 2 });
  // A catalog turned on: the objects pass again, so the ingest fills their items.
  const withCatalog = { ...props, CatalogTable: 'catalog' };
  const catalogued = await handler({
    ...COMMON, RequestType: 'Update', PhysicalResourceId: `backfill:${bucket}`, ResourceProperties: { ServiceToken: 's', ...withCatalog }, OldResourceProperties: props,
  });
  expect(catalogued.Data).toEqual({ ObjectsListed: 2, ObjectsMatched: 1, MessagesSent: 1 });
  const sameCatalog = await handler({
    ...COMMON, RequestType: 'Update', PhysicalResourceId: `backfill:${bucket}`, ResourceProperties: { ServiceToken: 's', ...withCatalog }, OldResourceProperties: withCatalog,
  });
  expect(sameCatalog.Data).toEqual({ ObjectsListed: 0, ObjectsMatched: 0, MessagesSent: 0 });
  const send = jest.spyOn(sqs, 'send');
  expect(await handler({ ...COMMON, RequestType: 'Delete', PhysicalResourceId: 'backfill:x', ResourceProperties: { ServiceToken: 's', ...props } }))
    .toEqual({ PhysicalResourceId: 'backfill:x' });
  expect(send).not.toHaveBeenCalled();
  send.mockRestore();
  expect((await receiveAll(QueueUrl!)).map(b => b.key).sort()).toEqual(['a.smil', 'a.smil', 'b.m3u8']);
});

test('a missing bucket fails the deployment with S3\'s error', async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'backfill-missing' }));
  const handler = makeBackfill({ s3, sqs, log: () => {} });
  await expect(handler(create({ BucketName: 'no-such-bucket', KeyPatterns: ['*.smil'], Prefixes: [''], QueueUrl: QueueUrl! })))
    .rejects.toThrow(/ListObjectsV2 of s3:\/\/no-such-bucket\/ failed: NoSuchBucket/);
});

test.each([
  [{ BucketName: '' }, /BucketName must be a bucket name/],
  [{ KeyPatterns: [] }, /KeyPatterns must be a non-empty list of strings/],
  [{ Prefixes: 'x' }, /Prefixes must be a non-empty list of strings/],
  [{ QueueUrl: undefined }, /QueueUrl must be a queue URL/],
])('refuses properties %j', async (change, message) => {
  const handler = makeBackfill({ s3, sqs, log: () => {} });
  await expect(handler(create({ BucketName: 'b', KeyPatterns: ['*.smil'], Prefixes: [''], QueueUrl: 'q', ...change } as any))).rejects.toThrow(message);
});

test('coveringPrefixes drops prefixes under another one', () => {
  expect(coveringPrefixes(['movies/', 'movies/a/', 'films/', 'movies/'])).toEqual(['films/', 'movies/']);
  expect(coveringPrefixes(['x/', ''])).toEqual(['']);
});

describe('SQS partial failures (client mock: moto does not fail single entries)', () => {
  // Created in beforeAll (not at collection time): mockClient on the class replaces send for every SQSClient.
  let sqsMock: AwsClientStub<SQSClient>;
  beforeAll(() => { sqsMock = mockClient(SQSClient); });
  afterAll(() => sqsMock.restore());
  beforeEach(() => sqsMock.reset());

  test('entries SQS failed on its side are retried with backoff until sent', async () => {
    const bucket = 'backfill-partial';
    await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    await putAll(bucket, Array.from({ length: 15 }, (_, i) => `k${i}.smil`));
    sqsMock.on(SendMessageBatchCommand)
      .resolvesOnce({ Successful: [], Failed: [{ Id: '3', Code: 'InternalError', Message: 'retry me', SenderFault: false }] })
      .rejectsOnce(Object.assign(new Error('slow down'), { name: 'RequestThrottled', $metadata: { httpStatusCode: 403 } }))
      .resolves({ Successful: [], Failed: [] });
    const sleeps: number[] = [];
    const handler = makeBackfill({ s3, sqs: new SQSClient({ region: 'eu-west-1' }), sendConcurrency: 1, sleep: async ms => { sleeps.push(ms); }, random: () => 1, log: () => {} });
    const result = await handler(create({ BucketName: bucket, KeyPatterns: ['*.smil'], Prefixes: [''], QueueUrl: 'q' }));
    expect(result.Data).toEqual({ ObjectsListed: 15, ObjectsMatched: 15, MessagesSent: 15 });
    const calls = sqsMock.commandCalls(SendMessageBatchCommand).map(c => c.args[0].input.Entries!.length);
    expect(calls).toEqual([10, 1, 1, 5]);
    expect(sleeps).toEqual([200, 200]);
  });

  test('a sender fault fails the deployment with SQS\'s message', async () => {
    const bucket = 'backfill-fault';
    await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    await putAll(bucket, ['a.smil']);
    sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [{ Id: '0', Code: 'InvalidParameterValue', Message: 'too big', SenderFault: true }] });
    const handler = makeBackfill({ s3, sqs: new SQSClient({ region: 'eu-west-1' }), log: () => {} });
    await expect(handler(create({ BucketName: bucket, KeyPatterns: ['*.smil'], Prefixes: [''], QueueUrl: 'q' })))
      .rejects.toThrow('SendMessageBatch refused a message: InvalidParameterValue: too big');
  });
});
