/**
 * The backfill against moto (real S3 objects and listing, real SQS), through the real SDK clients: the custom resource
 * starts the job and answers; the worker walks the bucket from the job queue and enqueues each matching key once, keys
 * as S3 stores them (spaces, '+', '%', unicode). The worker at scale and under faults: backfill-worker.test.ts (the
 * ListObjectsV2 fake); the walk's rules: backfill-walk.test.ts.
 */
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { drainJob, receiveAll } from './backfill-driver';
import { MOTO_CLIENT_CONFIG, useMoto } from './moto';
import { BackfillEvent, coveringPrefixes, makeBackfill } from '../../src/ingest/backfill';
import { BackfillJobResourceProperties, ROOT_TASK } from '../../src/ingest/backfill/job';
import { makeWorker } from '../../src/ingest/backfill/worker';
import { BACKFILL_MESSAGE_SOURCE } from '../../src/ingest/contract';

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
const create = (p: BackfillJobResourceProperties): BackfillEvent => ({ ...COMMON, RequestType: 'Create', ResourceProperties: { ServiceToken: COMMON.ServiceToken, ...p } });
const update = (p: BackfillJobResourceProperties, old: BackfillJobResourceProperties): BackfillEvent => ({
  ...COMMON, RequestType: 'Update', PhysicalResourceId: `backfill:${p.BucketName}`, ResourceProperties: { ServiceToken: 's', ...p }, OldResourceProperties: old,
});

async function putAll(bucket: string, keys: string[]) {
  for (let i = 0; i < keys.length; i += 16) {
    await Promise.all(keys.slice(i, i + 16).map(Key => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key }))));
  }
}

async function setup(name: string, keys: string[]) {
  await s3.send(new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
  await putAll(name, keys);
  const queue = async (q: string) => (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-${q}` }))).QueueUrl!;
  return { ingest: await queue('ingest'), job: await queue('job'), dead: await queue('dead') };
}

test('keys as S3 stores them (spaces, +, %, unicode, a+b and a b): each matching key enqueued once, with its ETag', async () => {
  const titles = ['a+b', 'a b', '100%', 'é t+é', '\u{1F3AC}', 'plain'];
  const keys = titles.flatMap(t => [`movies/${t}/index.m3u8`, `movies/${t}/index_720p.m3u8`, `movies/${t}/seg 1+.ts`]);
  keys.push('movies/plain/720p/index.m3u8', 'films/x y.smil', 'films/deep/z%.smil', 'films/no.mp4');
  const urls = await setup('backfill-keys', keys);
  const props = { BucketName: 'backfill-keys', KeyPatterns: ['movies/*/index.m3u8', 'films/*.smil'], Prefixes: ['films/', 'movies/'], QueueUrl: urls.ingest, JobQueueUrl: urls.job };
  const logs: string[] = [];
  const result = await makeBackfill({ s3, sqs, log: l => logs.push(l) })(create(props));
  expect(result).toEqual({ PhysicalResourceId: 'backfill:backfill-keys', Data: { RunId: 'request-1', Started: 'true' } });
  expect(JSON.parse(logs[0])).toMatchObject({ level: 'INFO', outcome: 'started', bucket: 'backfill-keys', runId: 'request-1' });
  // The job message the custom resource sent: the run and the root folder.
  const drained = await drainJob(sqs, urls.job, makeWorker({ s3, sqs, jobQueueUrl: urls.job, deadLetterQueueUrl: urls.dead, log: () => {} }), 60_000);
  expect(drained).toMatchObject({ invocations: 1, returned: 0 });
  const bodies = await receiveAll(sqs, urls.ingest);
  const expected = [...titles.map(t => `movies/${t}/index.m3u8`), 'films/x y.smil', 'films/deep/z%.smil'];
  expect(bodies.map(b => b.key).sort()).toEqual(expected.sort());
  expect(bodies).toContainEqual({ source: BACKFILL_MESSAGE_SOURCE, bucket: 'backfill-keys', key: 'movies/a+b/index.m3u8', etag: expect.stringMatching(/^[0-9a-f]{32}$/) });
});

test('the job message: version, run and root task; Update starts a job only when patterns, bucket, queue or catalog table change; Delete does nothing', async () => {
  const urls = await setup('backfill-update', ['a.smil', 'b.m3u8']);
  const props = { BucketName: 'backfill-update', KeyPatterns: ['*.smil'], Prefixes: [''], QueueUrl: urls.ingest, JobQueueUrl: urls.job };
  const handler = makeBackfill({ s3, sqs, log: () => {} });
  const receive = new ReceiveMessageCommand({ QueueUrl: urls.job, MaxNumberOfMessages: 10, VisibilityTimeout: 600 });
  const jobs = async () => (await sqs.send(receive)).Messages ?? [];
  expect(await handler(update(props, props))).toEqual({ PhysicalResourceId: 'backfill:backfill-update', Data: { RunId: '', Started: 'false' } });
  // A new job queue alone starts nothing either.
  expect((await handler(update(props, { ...props, JobQueueUrl: 'old' }))).Data?.Started).toBe('false');
  expect(await jobs()).toEqual([]);
  expect((await handler(update({ ...props, KeyPatterns: ['*.smil', '*.m3u8'] }, props))).Data?.Started).toBe('true');
  expect((await handler(update({ ...props, CatalogTable: 'catalog' }, props))).Data?.Started).toBe('true');
  const sent = (await jobs()).map(m => JSON.parse(m.Body!));
  expect(sent).toEqual([
    { v: 1, run: { bucket: 'backfill-update', patterns: ['*.smil', '*.m3u8'], queueUrl: urls.ingest, runId: 'request-1' }, tasks: [ROOT_TASK] },
    { v: 1, run: { bucket: 'backfill-update', patterns: ['*.smil'], queueUrl: urls.ingest, runId: 'request-1' }, tasks: [ROOT_TASK] },
  ]);
  const send = jest.spyOn(sqs, 'send');
  expect(await handler({ ...COMMON, RequestType: 'Delete', PhysicalResourceId: 'backfill:x', ResourceProperties: { ServiceToken: 's', ...props } }))
    .toEqual({ PhysicalResourceId: 'backfill:x' });
  expect(send).not.toHaveBeenCalled();
  send.mockRestore();
});

test('a missing bucket fails the deployment with S3\'s error before any job starts', async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'backfill-missing' }));
  const handler = makeBackfill({ s3, sqs, log: () => {} });
  await expect(handler(create({ BucketName: 'no-such-bucket', KeyPatterns: ['*.smil'], Prefixes: [''], QueueUrl: QueueUrl!, JobQueueUrl: QueueUrl! })))
    .rejects.toThrow(/ListObjectsV2 of s3:\/\/no-such-bucket\/ failed: NoSuchBucket/);
  expect(await receiveAll(sqs, QueueUrl!)).toEqual([]);
});

test('the custom resource answers within its own deadline: a call that would start after it is not made', async () => {
  const urls = await setup('backfill-deadline', ['a.smil']);
  let clock = 0;
  const handler = makeBackfill({ s3, sqs, log: () => {}, now: () => clock, deadlineMs: 1_000 });
  const send = jest.spyOn(s3, 'send').mockImplementation(async () => { clock += 2_000; throw Object.assign(new Error('slow'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } }); });
  await expect(handler(create({ BucketName: 'backfill-deadline', KeyPatterns: ['*.smil'], Prefixes: [''], QueueUrl: urls.ingest, JobQueueUrl: urls.job })))
    .rejects.toThrow(/no time left/);
  expect(send).toHaveBeenCalledTimes(1);
  send.mockRestore();
  expect(await receiveAll(sqs, urls.job)).toEqual([]);
});

test.each([
  [{ BucketName: '' }, /BucketName must be a bucket name/],
  [{ KeyPatterns: [] }, /KeyPatterns must be a non-empty list of strings/],
  [{ Prefixes: 'x' }, /Prefixes must be a non-empty list of strings/],
  [{ QueueUrl: undefined }, /QueueUrl must be a queue URL/],
  [{ JobQueueUrl: '' }, /JobQueueUrl must be a queue URL/],
])('refuses properties %j', async (change, message) => {
  const handler = makeBackfill({ s3, sqs, log: () => {} });
  await expect(handler(create({ BucketName: 'b', KeyPatterns: ['*.smil'], Prefixes: [''], QueueUrl: 'q', JobQueueUrl: 'j', ...change } as any))).rejects.toThrow(message);
});

test('coveringPrefixes drops prefixes under another one', () => {
  expect(coveringPrefixes(['movies/', 'movies/a/', 'films/', 'movies/'])).toEqual(['films/', 'movies/']);
  expect(coveringPrefixes(['x/', ''])).toEqual(['']);
});
