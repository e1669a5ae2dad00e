/**
 * The fault-injection suite of the ingest function (#21.11): the real handler, the real SDK clients, moto's S3 and SQS
 * (a real redrive policy: maxReceiveCount 5 to a dead-letter queue, visibility timeout 1 s) and the VOD fake, with
 * faults injected mid-batch. After each scenario the queue is drained and the world is checked:
 * - exactly one asset per existing object that matches, none for a deleted one;
 * - no healthy message dead-lettered (the dead-letter queue is empty);
 * - nothing stuck (no message left in the queue, visible or in flight);
 * - no invocation ran past its (simulated) Lambda timeout.
 */
import { MediaPackageVodClient } from '@aws-sdk/client-mediapackage-vod';
import {
  CreateBucketCommand, DeleteObjectCommand, ListObjectsV2Command, PutBucketVersioningCommand, PutObjectCommand, S3Client,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { MOTO_CLIENT_CONFIG, useMoto } from './moto';
import { pollOnce } from './sqs-poller';
import { assetIdFor } from '../../src/ingest/asset-id';
import { IngestConfig, makeHandler } from '../../src/ingest/handler';
import { s3Event } from '../fakes/events';
import { FakeVodApi, FakeVodApiOptions } from '../fakes/vod-api';

jest.setTimeout(120_000);

const PREFIX = 'Fault';
const MAX_RECEIVE_COUNT = 5;
let s3: S3Client;
let sqs: SQSClient;
let fake: FakeVodApi;
let vod: MediaPackageVodClient;
let serial = 0;

useMoto(endpoint => [
  s3 = new S3Client({ ...MOTO_CLIENT_CONFIG, endpoint, forcePathStyle: true }),
  sqs = new SQSClient({ ...MOTO_CLIENT_CONFIG, endpoint }),
]);
afterEach(async () => {
  vod?.destroy();
  await fake?.stop();
});

async function startFake(options: FakeVodApiOptions = {}) {
  fake = new FakeVodApi({ seed: 7, ...options });
  vod = new MediaPackageVodClient({
    ...MOTO_CLIENT_CONFIG, endpoint: await fake.start(), maxAttempts: 1, requestHandler: { connectionTimeout: 500, requestTimeout: 1_000 },
  });
}

interface World {
  readonly bucket: string;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly dlqUrl: string;
}

async function world(versioned = false): Promise<World> {
  const n = ++serial;
  const bucket = `fault-${n}-${Date.now()}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
  if (versioned) { await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } })); }
  const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `fault-dlq-${n}` }))).QueueUrl!;
  const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const queueUrl = (await sqs.send(new CreateQueueCommand({
    QueueName: `fault-${n}`,
    Attributes: { VisibilityTimeout: '1', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: MAX_RECEIVE_COUNT }) },
  }))).QueueUrl!;
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  return { bucket, queueUrl, queueArn, dlqUrl };
}

async function enqueue(w: World, bodies: unknown[]): Promise<void> {
  for (let i = 0; i < bodies.length; i += 10) {
    await sqs.send(new SendMessageBatchCommand({
      QueueUrl: w.queueUrl,
      Entries: bodies.slice(i, i + 10).map((body, j) => ({ Id: String(j), MessageBody: JSON.stringify(body) })),
    }));
  }
}

async function count(queueUrl: string): Promise<number> {
  const attributes = (await sqs.send(new GetQueueAttributesCommand({
    QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
  }))).Attributes!;
  return Number(attributes.ApproximateNumberOfMessages) + Number(attributes.ApproximateNumberOfMessagesNotVisible);
}

interface DrainOptions {
  /** The simulated Lambda timeout of each invocation. @default 6000 */
  readonly timeoutMs?: number;
  readonly safetyMarginMs?: number;
  readonly abortMarginMs?: number;
  /** Called before each invocation (fault injection mid-run). */
  readonly beforeInvocation?: (invocation: number) => Promise<void> | void;
}

/**
 * Runs the event source mapping until the queue is empty: receive up to 10, invoke, delete what did not fail. An
 * invocation that runs past its timeout is treated as Lambda treats it: the whole batch comes back (nothing deleted).
 */
async function drain(w: World, config: Partial<IngestConfig> = {}, options: DrainOptions = {}) {
  const timeoutMs = options.timeoutMs ?? 6_000;
  const handler = makeHandler({
    config: {
      packagingGroupId: 'group',
      sourceRoleArn: 'arn:aws:iam::111111111111:role/source',
      assetIdPrefix: PREFIX,
      keyPatterns: ['*.smil'],
      onReupload: 'KEEP',
      deleteAssetsWithObjects: true,
      maxAttempts: 3,
      deadLetterQueueUrl: w.dlqUrl,
      ingestQueueUrl: w.queueUrl,
      maxReceiveCount: MAX_RECEIVE_COUNT,
      ...config,
    },
    vod,
    s3,
    sqs,
    baseDelayMs: 20,
    maxDelayMs: 200,
    safetyMarginMs: options.safetyMarginMs ?? 2_000,
    abortMarginMs: options.abortMarginMs ?? 700,
    log: () => {},
  });
  let invocations = 0;
  let overran = 0;
  let longest = 0;
  for (let round = 0; round < 200 && await count(w.queueUrl) > 0; round++) {
    await options.beforeInvocation?.(invocations);
    const received = await pollOnce(sqs, w.queueUrl, w.queueArn, async (event: SQSEvent) => {
      invocations++;
      const started = Date.now();
      const context = { getRemainingTimeInMillis: () => timeoutMs - (Date.now() - started) };
      const result = await handler(event, context);
      const took = Date.now() - started;
      longest = Math.max(longest, took);
      if (took > timeoutMs) { overran++; return { batchItemFailures: event.Records.map(r => ({ itemIdentifier: r.messageId })) }; }
      return result;
    });
    if (received === 0) { await new Promise(resolve => setTimeout(resolve, 300)); } // returned messages: visibility 1 s
  }
  return { invocations, overran, longest };
}

/** The assets every existing matching object must have, and nothing else; no message dead-lettered or left. */
async function expectWorld(w: World, run: { overran: number }) {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: w.bucket }));
  const expected = (listed.Contents ?? []).map(o => o.Key!).filter(k => k.endsWith('.smil')).map(k => assetIdFor(PREFIX, w.bucket, k)).sort();
  const ours = [...fake.assets.keys()].filter(id => id.startsWith(`${PREFIX}-`)).sort();
  expect({ assets: ours, dead: await count(w.dlqUrl), left: await count(w.queueUrl), overran: run.overran })
    .toEqual({ assets: expected, dead: 0, left: 0, overran: 0 });
  for (const id of ours) { expect(fake.stats.createsPerId.get(id)).toBeGreaterThanOrEqual(1); }
}

async function putAll(w: World, keys: string[]) {
  for (const key of keys) { await s3.send(new PutObjectCommand({ Bucket: w.bucket, Key: key, Body: key })); }
}
const keysOf = (name: string, n: number) => Array.from({ length: n }, (_, i) => `${name}/title-${i}.smil`);
const created = (w: World, keys: string[]) => keys.map(k => s3Event('Object Created', w.bucket, k));

/** The fake with these options, a new bucket and queues, `n` objects under `name/`, and their Created events queued. */
async function seeded(name: string, n: number, options: FakeVodApiOptions = {}): Promise<World> {
  await startFake(options);
  const w = await world();
  const keys = keysOf(name, n);
  await putAll(w, keys);
  await enqueue(w, created(w, keys));
  return w;
}

test('the VOD fake killed mid-batch and revived', async () => {
  const w = await seeded('killed', 25, { latencyMs: 30 });
  const run = await drain(w, {}, {
    beforeInvocation: async i => {
      if (i === 1) { setTimeout(() => { void fake.kill(); }, 100); }
      if (i === 3) { await fake.revive(); }
    },
  });
  await expectWorld(w, run);
  expect(fake.stats.created).toBe(25);
});

test('the VOD fake stalled mid-batch (calls aborted, records returned, then done)', async () => {
  const w = await seeded('stalled', 20);
  const run = await drain(w, {}, { beforeInvocation: i => { if (i === 0) { fake.stallNext(2, 'CreateAsset'); } } });
  await expectWorld(w, run);
});

test('429 and 5xx bursts', async () => {
  const w = await seeded('bursts', 30, { rateLimit: { requestsPerSecond: 20, burst: 5 }, serverErrorRate: 0.25 });
  const run = await drain(w);
  await expectWorld(w, run);
  expect(fake.stats.throttled + fake.stats.serverErrors).toBeGreaterThan(0);
});

test('responses lost after commit (CreateAsset done, answer cut): duplicates, not failures', async () => {
  const w = await seeded('lost', 15);
  fake.loseResponseNext(4, 'CreateAsset');
  const run = await drain(w);
  await expectWorld(w, run);
  expect([...fake.stats.createsPerId.values()].every(n => n === 1)).toBe(true);
});

test('Lambda timeouts with redelivery: a slow service, batches longer than the budget, nothing dead-lettered', async () => {
  const w = await seeded('slow', 20, { latencyMs: 250 });
  const run = await drain(w, {}, { timeoutMs: 2_500, safetyMarginMs: 1_200, abortMarginMs: 400 });
  await expectWorld(w, run);
  expect(run.longest).toBeLessThan(2_500);
});

test('deletes and creates in every order (events shuffled, some delivered twice)', async () => {
  await startFake();
  const w = await world();
  const events: unknown[] = [];
  // stays: created; gone: created then deleted; back: created, deleted, created again; never: deleted only.
  for (let i = 0; i < 6; i++) {
    const [stays, gone, back] = [`order/stays-${i}.smil`, `order/gone-${i}.smil`, `order/back-${i}.smil`];
    await putAll(w, [stays, gone, back]);
    await s3.send(new DeleteObjectCommand({ Bucket: w.bucket, Key: gone }));
    await s3.send(new DeleteObjectCommand({ Bucket: w.bucket, Key: back }));
    await putAll(w, [back]);
    events.push(...created(w, [stays, gone, back, back]));
    events.push(s3Event('Object Deleted', w.bucket, gone), s3Event('Object Deleted', w.bucket, back), s3Event('Object Deleted', w.bucket, `order/never-${i}.smil`));
  }
  // A fixed shuffle (seeded), so a failure repeats.
  let seed = 11;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const shuffled = events.map(e => ({ e, k: random() })).sort((a, b) => a.k - b.k).map(x => x.e);
  await enqueue(w, [...shuffled, ...shuffled.slice(0, 8)]);
  const run = await drain(w);
  await expectWorld(w, run);
});

test('versioned deletes: noncurrent versions and lifecycle-like expiry of old versions keep the asset; delete markers remove it', async () => {
  await startFake();
  const w = await world(true);
  const keys = keysOf('versioned', 8);
  const firstVersions: Record<string, string> = {};
  for (const key of keys) {
    firstVersions[key] = (await s3.send(new PutObjectCommand({ Bucket: w.bucket, Key: key, Body: 'v1' }))).VersionId!;
    await s3.send(new PutObjectCommand({ Bucket: w.bucket, Key: key, Body: 'v2' }));
  }
  const events: unknown[] = created(w, keys);
  for (const [i, key] of keys.entries()) {
    // Every key loses its first (noncurrent) version; half of them then get a delete marker.
    await s3.send(new DeleteObjectCommand({ Bucket: w.bucket, Key: key, VersionId: firstVersions[key] }));
    events.push(s3Event('Object Deleted', w.bucket, key));
    if (i % 2 === 0) {
      await s3.send(new DeleteObjectCommand({ Bucket: w.bucket, Key: key }));
      events.push(s3Event('Object Deleted', w.bucket, key));
    }
  }
  await enqueue(w, events);
  const run = await drain(w);
  await expectWorld(w, run);
  expect(fake.assets.size).toBe(4);
});
