/**
 * The backfill worker through the real SDK: S3 is the ListObjectsV2 fake (fast, faults injected), SQS is moto (the job
 * queue, its dead-letter queue and the ingest queue). The job runs as Lambda's event source would run it
 * (test/servers/backfill-driver.ts): short invocations, messages returned on failure.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { drainJob, receiveAll } from './backfill-driver';
import { MOTO_CLIENT_CONFIG, useMoto } from './moto';
import { makeBackfill } from '../../src/ingest/backfill';
import { BackfillJobResourceProperties, MAX_TASK_ATTEMPTS } from '../../src/ingest/backfill/job';
import { makeWorker, WorkerOptions } from '../../src/ingest/backfill/worker';
import { BACKFILL_MESSAGE_SOURCE } from '../../src/ingest/contract';
import { FakeListObjects } from '../fakes/list-objects';

jest.setTimeout(120_000);

let sqs: SQSClient;
useMoto(endpoint => [sqs = new SQSClient({ ...MOTO_CLIENT_CONFIG, endpoint })]);

const fake = new FakeListObjects({ latencyMs: 1 });
let s3: S3Client;
beforeAll(async () => {
  const endpoint = await fake.start();
  s3 = new S3Client({ ...MOTO_CLIENT_CONFIG, endpoint, forcePathStyle: true, maxAttempts: 1, requestHandler: { requestTimeout: 5_000 } });
});
afterAll(async () => {
  s3.destroy();
  await fake.stop();
});

/** 100 titles of 12 files (the parent, 3 child playlists, 8 segments) under movies/, and a few SMIL files under films/. */
function catalog(titles = 100): { keys: string[]; matching: string[] } {
  const keys: string[] = [];
  const matching: string[] = [];
  for (let t = 0; t < titles; t++) {
    const title = `movies/title ${t}+é/`;
    keys.push(`${title}index.m3u8`, ...['360', '720', '1080'].map(r => `${title}index_${r}.m3u8`));
    for (let s = 0; s < 8; s++) { keys.push(`${title}seg_${s}.ts`); }
    matching.push(`${title}index.m3u8`);
  }
  keys.push('films/a.smil', 'films/2026/b.smil', 'films/c.mp4', 'other/d.smil');
  matching.push('films/a.smil', 'films/2026/b.smil');
  return { keys, matching };
}

let queues = 0;
async function setup(keys: string[], bucketName = `b${queues}`) {
  queues++;
  fake.putBucket(bucketName, keys.map(key => ({ key, etag: `etag-${key.length}` })));
  const url = async (name: string) => (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-${queues}` }))).QueueUrl!;
  const [ingest, job, dead] = await Promise.all([url('ingest'), url('job'), url('dead')]);
  const props: BackfillJobResourceProperties = {
    BucketName: bucketName, KeyPatterns: ['movies/*/index.m3u8', 'films/*.smil'], Prefixes: ['films/', 'movies/'], QueueUrl: ingest, JobQueueUrl: job,
  };
  return { ingest, job, dead, props, bucket: bucketName };
}

function worker(urls: { job: string; dead: string }, logs: string[], options: WorkerOptions = {}) {
  const log = (l: string) => { logs.push(l); };
  return makeWorker({ s3, sqs, jobQueueUrl: urls.job, deadLetterQueueUrl: urls.dead, log, baseDelayMs: 1, maxDelayMs: 5, ...options });
}

const start = (props: BackfillJobResourceProperties) => makeBackfill({ s3, sqs, log: () => {} })({
  RequestType: 'Create',
  ServiceToken: 's',
  ResponseURL: 'r',
  StackId: 's',
  RequestId: 'run-1',
  LogicalResourceId: 'Backfill',
  ResourceType: 'Custom::MediaPackageVodIngestBackfill',
  ResourceProperties: { ServiceToken: 's', ...props },
});

test('the custom resource starts the job and answers; the worker enqueues every matching key once, one probe per title', async () => {
  const { keys, matching } = catalog();
  const urls = await setup(keys);
  const before = fake.stats.requests;
  expect(await start(urls.props)).toEqual({ PhysicalResourceId: `backfill:${urls.bucket}`, Data: { RunId: 'run-1', Started: 'true' } });
  // The custom resource made only its two checks (one per listing prefix): the walk is the worker's.
  expect(fake.stats.requests - before).toBe(2);
  const logs: string[] = [];
  const drained = await drainJob(sqs, urls.job, worker(urls, logs), 60_000);
  expect(drained).toMatchObject({ invocations: 1, returned: 0 });
  const bodies = await receiveAll(sqs, urls.ingest);
  expect(bodies.map(b => b.key).sort()).toEqual([...matching].sort());
  expect(bodies).toContainEqual({ source: BACKFILL_MESSAGE_SOURCE, bucket: urls.bucket, key: 'movies/title 7+é/index.m3u8', etag: 'etag-27' });
  const line = JSON.parse(logs[logs.length - 1]);
  // movies/: 1 delimited page (100 titles); 100 probes; films/: 1 flat page. 1,204 objects, 100 + 100 + 3 results read.
  expect(line).toMatchObject({ level: 'INFO', outcome: 'walked', runId: 'run-1', calls: 102, keysRead: 203, matched: 102, tasksLeft: 0 });
});

test('short invocations: each stops starting work at its margin, hands the rest on, and the job still sends each key once', async () => {
  const slow = new FakeListObjects({ latencyMs: 40 });
  const endpoint = await slow.start();
  const slowS3 = new S3Client({ ...MOTO_CLIENT_CONFIG, endpoint, forcePathStyle: true });
  try {
    const { keys, matching } = catalog(150);
    slow.putBucket('slow', keys);
    const urls = await setup([], 'unused');
    await start({ ...urls.props, BucketName: 'unused' });
    const job = { v: 1, run: { bucket: 'slow', patterns: urls.props.KeyPatterns, queueUrl: urls.ingest, runId: 'r' }, tasks: [{ t: 'dir', p: '', d: 0 }] };
    await receiveAll(sqs, urls.job);
    await sqs.send(new SendMessageCommand({ QueueUrl: urls.job, MessageBody: JSON.stringify(job) }));
    const logs: string[] = [];
    // 3 s per invocation, no task started in its last 2 s (sends may use all but the last 0.5 s: moto is slow on a
    // loaded machine): ~1 s of calls of 40 ms, 4 in flight, for 152 calls.
    const drained = await drainJob(sqs, urls.job, makeWorker({
      s3: slowS3,
      sqs,
      jobQueueUrl: urls.job,
      deadLetterQueueUrl: urls.dead,
      log: l => logs.push(l),
      concurrency: 4,
      marginMs: 2_000,
    }), 3_000, 40);
    expect(logs.filter(l => JSON.parse(l).level !== 'INFO')).toEqual([]);
    expect(drained.invocations).toBeGreaterThanOrEqual(2);
    expect(drained.returned).toBe(0);
    expect(drained.longestMs).toBeLessThan(3_000);
    const outcomes = logs.map(l => JSON.parse(l).outcome);
    expect(outcomes.filter(o => o === 'handed-on').length).toBe(drained.invocations - 1);
    expect(outcomes[outcomes.length - 1]).toBe('walked');
    const bodies = await receiveAll(sqs, urls.ingest);
    expect(bodies.map(b => b.key).sort()).toEqual([...matching].sort());
  } finally {
    slowS3.destroy();
    await slow.stop();
  }
});

test('503 bursts are retried within the invocation; a stalled call is aborted at the deadline and its task handed on', async () => {
  const { keys, matching } = catalog(30);
  const urls = await setup(keys);
  await start(urls.props);
  const logs: string[] = [];
  fake.failNext(3, 503);
  fake.stallNext(1);
  const drained = await drainJob(sqs, urls.job, worker(urls, logs, { concurrency: 1, marginMs: 1_000 }), 1_500);
  expect(drained.returned).toBe(0);
  expect(drained.invocations).toBeGreaterThanOrEqual(2);
  expect(JSON.parse(logs[0])).toMatchObject({ outcome: 'handed-on', tasksFailed: 0 });
  expect(drained.longestMs).toBeLessThan(1_500);
  const bodies = await receiveAll(sqs, urls.ingest);
  expect(bodies.map(b => b.key).sort()).toEqual([...matching].sort());
});

test(`a task that keeps failing is tried in ${MAX_TASK_ATTEMPTS} invocations, then parked in the dead-letter queue; the rest goes on`, async () => {
  const { keys } = catalog(5);
  const urls = await setup(keys);
  // The job names a bucket the fake does not have: every call of it fails (NoSuchBucket, not retryable).
  const job = (bucket: string) => ({ v: 1, run: { bucket, patterns: ['movies/*/index.m3u8'], queueUrl: urls.ingest, runId: 'r' }, tasks: [{ t: 'dir', p: '', d: 0 }] });
  await sqs.send(new SendMessageCommand({ QueueUrl: urls.job, MessageBody: JSON.stringify(job('gone')) }));
  await sqs.send(new SendMessageCommand({ QueueUrl: urls.job, MessageBody: JSON.stringify(job(urls.bucket)) }));
  const logs: string[] = [];
  const drained = await drainJob(sqs, urls.job, worker(urls, logs), 60_000);
  expect(drained).toMatchObject({ invocations: 1 + MAX_TASK_ATTEMPTS, returned: 0 });
  const failures = logs.map(l => JSON.parse(l)).filter(l => l.outcome === 'task-failed');
  expect(failures.map(f => f.attempts)).toEqual([1, 2, 3]);
  expect(failures[0].error).toMatch(/ListObjectsV2 of s3:\/\/gone\/movies\/ failed: NoSuchBucket/);
  const parked = await receiveAll(sqs, urls.dead);
  expect(parked).toEqual([{ v: 1, run: expect.objectContaining({ bucket: 'gone' }), tasks: [expect.objectContaining({ p: 'movies/', a: 3 })], error: expect.stringMatching(/NoSuchBucket/) }]);
  expect((await receiveAll(sqs, urls.ingest)).map(b => b.key)).toHaveLength(5);
});

test('the stack of tasks stays bounded: past spillAt its oldest half goes to the job queue, and other invocations take it', async () => {
  const { keys, matching } = catalog(120);
  const urls = await setup(keys);
  await start(urls.props);
  const logs: string[] = [];
  const drained = await drainJob(sqs, urls.job, worker(urls, logs, { spillAt: 20, pageSize: 50 }), 60_000);
  expect(drained.invocations).toBeGreaterThan(3);
  expect(drained.returned).toBe(0);
  const bodies = await receiveAll(sqs, urls.ingest);
  expect(bodies.map(b => b.key).sort()).toEqual([...matching].sort());
});

test('a failed send returns the message (SQS delivers it again; maxReceiveCount bounds it); a malformed message is logged and dropped', async () => {
  const { keys } = catalog(2);
  const urls = await setup(keys);
  const logs: string[] = [];
  const run = worker(urls, logs);
  const record = (body: string) => ({ Records: [{ messageId: 'm1', body }] }) as any;
  const job = { v: 1, run: { bucket: urls.bucket, patterns: ['movies/*/index.m3u8'], queueUrl: `${urls.ingest}-missing`, runId: 'r' }, tasks: [{ t: 'dir', p: '', d: 0 }] };
  expect(await run(record(JSON.stringify(job)))).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
  expect(JSON.parse(logs.pop()!)).toMatchObject({ level: 'ERROR', outcome: 'returned', messageId: 'm1', error: expect.stringMatching(/SendMessageBatch failed.*NonExistentQueue|QueueDoesNotExist/) });
  for (const body of ['not json', '{"v":2}', JSON.stringify({ ...job, tasks: [{ t: 'dir', p: 1 }] }), JSON.stringify({ ...job, run: { bucket: 'b' } })]) {
    expect(await run(record(body))).toEqual({ batchItemFailures: [] });
    expect(JSON.parse(logs.pop()!)).toMatchObject({ level: 'ERROR', outcome: 'malformed-job', messageId: 'm1' });
  }
});
