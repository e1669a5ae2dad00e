/**
 * `npx projen bench:ingest`: catalog-scale ingest, printed (not a timed test).
 *
 * 1. 10,000 objects through the ingest function (the shipped bundle, assets/ingest/handler/index/index.js, with its
 *    bundled SDK client) against the fake VOD API (test/fakes/vod-api.ts, in a child process) with a fixed request-rate
 *    limit (token bucket per operation, 500 requests/s, burst 50), 5 % injected 5xx, 2-6 ms latency, and 10 % of the
 *    messages delivered twice. SQS is simulated in process: a queue with a visibility timeout (2 s here instead of the
 *    construct's 6 minutes, so a returned message comes back within the run) and maxReceiveCount 5 to a dead-letter
 *    list; `maxConcurrency` worker processes (the construct's default, 5; one per Lambda execution environment) each
 *    receive batches of 10 and call the handler with
 *    the construct's MAX_ATTEMPTS (4), as Lambda's SQS event source does. Prints the time to all-ingested over the ideal
 *    (objects / rate limit), assets created, lost, duplicates, retries, the bundle size and cold-import time.
 *    BENCH_INGEST_OBJECTS and BENCH_INGEST_RATE change the object count and the rate limit (the ratio only measures
 *    the retry path when the handler processes can offer more than the limit: on a loaded 2-CPU machine they may not;
 *    the `answered 429` line tells).
 * 2. (The backfill is measured by bench/backfill-scale.ts: `npx projen bench:backfill`.)
 *
 * `--smoke` (run by CI so that a broken benchmark fails it): 500 objects through the ingest, the ratio line printed
 * without its target.
 */
import { ChildProcess, fork, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { assetIdFor } from '../src/ingest/asset-id';

const ARGS = process.argv.slice(2);
const KNOWN_ARGS = ['--smoke'];
if (ARGS.some(a => !KNOWN_ARGS.includes(a))) {
  process.stderr.write(`bench/ingest.ts: unknown argument(s) ${ARGS.filter(a => !KNOWN_ARGS.includes(a)).join(' ')}; `
    + `known: ${KNOWN_ARGS.join(' ')}\n`);
  process.exit(2);
}
const SMOKE = ARGS.includes('--smoke');
const OBJECTS = SMOKE ? 500 : Number(process.env.BENCH_INGEST_OBJECTS ?? 10_000);
const RATE = Number(process.env.BENCH_INGEST_RATE ?? 500);
const BURST = Math.max(1, Math.round(RATE / 10));
const SERVER_ERROR_RATE = 0.05;
const DUPLICATE_RATE = 0.10;
const MAX_CONCURRENCY = 5; // BucketIngest's default maxConcurrency
const BATCH_SIZE = 10;
const MAX_ATTEMPTS = 4;
const VISIBILITY_TIMEOUT_MS = 2_000;
const MAX_RECEIVE_COUNT = 5;
const FUNCTION_TIMEOUT_MS = 60_000;
const TARGET = 1.15;
const ROOT = path.join(__dirname, '..');
const HANDLER_BUNDLE = path.join(ROOT, 'assets', 'ingest', 'handler', 'index', 'index.js');
const BACKFILL_BUNDLE = path.join(ROOT, 'assets', 'ingest', 'backfill', 'index', 'index.js');
const BUCKET = 'bench-media';
const PREFIX = 'Bench';

interface QueuedMessage { id: string; body: string; visibleAt: number; receives: number }

/** A PRNG with a seed, so the duplicate pattern repeats between runs. */
function prng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 48271) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

function startFake(options: unknown): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = fork(path.join(__dirname, 'ingest-fake.ts'), [JSON.stringify(options)], { execArgv: ['-r', 'ts-node/register/transpile-only'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m: any) => resolve({ child, endpoint: m.endpoint }));
    child.once('exit', code => reject(new Error(`fake exited ${code}`)));
  });
}

function ask(child: ChildProcess, cmd: string): Promise<any> {
  return new Promise(resolve => {
    child.once('message', resolve);
    child.send({ cmd });
  });
}

async function ingestBench(): Promise<void> {
  const { child, endpoint } = await startFake({
    rateLimit: { requestsPerSecond: RATE, burst: BURST },
    serverErrorRate: SERVER_ERROR_RATE,
    latencyMs: [2, 6],
    seed: 11,
    groups: [{ id: 'bench-group', configurations: [{ id: 'hls', format: 'hls' }] }],
  });
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    PACKAGING_GROUP_ID: 'bench-group',
    SOURCE_ROLE_ARN: 'arn:aws:iam::111111111111:role/bench-source',
    ASSET_ID_PREFIX: PREFIX,
    KEY_PATTERNS: JSON.stringify(['movies/*/index.m3u8']),
    ON_REUPLOAD: 'KEEP',
    DELETE_ASSETS_WITH_OBJECTS: 'false',
    MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    MEDIAPACKAGE_VOD_ENDPOINT: endpoint,
  });
  // maxConcurrency worker processes (Lambda execution environments), each running the shipped bundle.
  const metrics: Record<string, number> = {};
  const workers = await Promise.all(Array.from({ length: MAX_CONCURRENCY }, () => new Promise<ChildProcess>((resolve, reject) => {
    const worker = fork(path.join(__dirname, 'ingest-worker.ts'), [], {
      execArgv: ['-r', 'ts-node/register/transpile-only'],
      env: { ...process.env, INGEST_HANDLER_BUNDLE: HANDLER_BUNDLE },
    });
    worker.once('message', () => resolve(worker));
    worker.once('error', reject);
  })));
  const invoke = (worker: ChildProcess, records: { messageId: string; body: string }[]) => new Promise<string[]>(resolve => {
    worker.once('message', (reply: { failed: string[]; metrics: Record<string, number> }) => {
      for (const [name, value] of Object.entries(reply.metrics)) { metrics[name] = (metrics[name] ?? 0) + value; }
      resolve(reply.failed);
    });
    worker.send({ records, timeoutMs: FUNCTION_TIMEOUT_MS });
  });

  const random = prng(42);
  const keys = Array.from({ length: OBJECTS }, (_, i) => `movies/title-${i}/index.m3u8`);
  const queue: QueuedMessage[] = [];
  let sequence = 0;
  const enqueue = (key: string, i: number) => queue.push({
    id: `m${sequence++}`,
    body: JSON.stringify({ 'source': 'aws.s3', 'detail-type': 'Object Created', 'detail': { bucket: { name: BUCKET }, object: { key, etag: `etag${i}` } } }),
    visibleAt: 0,
    receives: 0,
  });
  keys.forEach((key, i) => enqueue(key, i));
  let duplicates = 0;
  keys.forEach((key, i) => {
    if (random() < DUPLICATE_RATE) {
      duplicates++;
      // The second delivery lands somewhere later in the queue (S3/EventBridge/SQS at-least-once).
      const at = Math.min(queue.length, i + 1 + Math.floor(random() * 2_000));
      queue.splice(at, 0, { id: `m${sequence++}`, body: queue.find(m => JSON.parse(m.body).detail.object.key === key)!.body, visibleAt: 0, receives: 0 });
    }
  });
  const deadLetters: QueuedMessage[] = [];
  let invocations = 0;
  const started = Date.now();

  function receive(): QueuedMessage[] {
    const now = Date.now();
    const batch: QueuedMessage[] = [];
    for (const message of queue) {
      if (message.visibleAt <= now) {
        message.receives++;
        if (message.receives > MAX_RECEIVE_COUNT) {
          deadLetters.push(message);
          message.visibleAt = Number.POSITIVE_INFINITY;
          continue;
        }
        message.visibleAt = now + VISIBILITY_TIMEOUT_MS;
        batch.push(message);
        if (batch.length === BATCH_SIZE) { break; }
      }
    }
    return batch;
  }

  async function poller(worker: ChildProcess): Promise<void> {
    for (;;) {
      const batch = receive();
      if (batch.length === 0) {
        if (queue.every(m => m.visibleAt === Number.POSITIVE_INFINITY)) { return; }
        await new Promise(resolve => setTimeout(resolve, 20));
        continue;
      }
      invocations++;
      const failed = new Set(await invoke(worker, batch.map(m => ({ messageId: m.id, body: m.body }))));
      for (const message of batch) {
        if (!failed.has(message.id)) { message.visibleAt = Number.POSITIVE_INFINITY; } // deleted
      }
      // Delete acknowledged messages from the queue (keeps receive() fast).
      for (let i = queue.length - 1; i >= 0; i--) {
        if (queue[i].visibleAt === Number.POSITIVE_INFINITY && !deadLetters.includes(queue[i])) { queue.splice(i, 1); }
      }
    }
  }

  await Promise.all(workers.map(poller));
  for (const worker of workers) { worker.kill(); }
  const seconds = (Date.now() - started) / 1000;
  const { stats, assetIds } = await ask(child, 'stats');
  child.kill();

  const expected = new Set(keys.map(key => assetIdFor(PREFIX, BUCKET, key)));
  const have = new Set<string>(assetIds);
  const lost = [...expected].filter(id => !have.has(id)).length;
  const extra = [...have].filter(id => !expected.has(id)).length;
  const ideal = OBJECTS / RATE;
  const ratio = seconds / ideal;
  console.log(`ingest: ${OBJECTS} objects, ${duplicates} delivered twice, rate limit ${RATE}/s per operation (burst ${BURST}), `
    + `${SERVER_ERROR_RATE * 100}% 5xx, latency 2-6 ms, maxConcurrency ${MAX_CONCURRENCY}, batch ${BATCH_SIZE}, MAX_ATTEMPTS ${MAX_ATTEMPTS}`);
  console.log(`load average at the end: ${os.loadavg().map(l => l.toFixed(1)).join(' ')}`);
  console.log(`time to all ingested: ${seconds.toFixed(2)} s; ideal (objects / rate limit): ${ideal.toFixed(2)} s; invocations: ${invocations}`);
  // Lower bound: every CreateAsset (duplicates' 422s and 5xx retries included) needs a token of the CreateAsset bucket.
  const floor = (stats.byOperation.CreateAsset - BURST) / RATE / ideal;
  console.log(`rate limit engaged: ${stats.throttled > 0 ? 'yes' : 'NO (the handler processes never offered more than the limit: CPU-bound)'}; `
    + `achieved ${(stats.requests / seconds).toFixed(0)} requests/s; lower bound of the ratio for these CreateAsset calls: ${floor.toFixed(3)}`);
  console.log(`ratio ingest-time ${OBJECTS}: ${ratio.toFixed(3)} `
    + (SMOKE ? '(smoke run, no target)' : `(target <= ${TARGET}: ${ratio <= TARGET ? 'met' : 'not met'})`));
  console.log(`assets created: ${stats.created}`);
  console.log(`lost: ${lost} (objects without an asset; dead-lettered messages: ${deadLetters.length})`);
  console.log(`duplicates: ${stats.createsPerId.length + extra} (ids created more than once: ${stats.createsPerId.length}, unexpected ids: ${extra})`);
  console.log(`retries: ${metrics.Retries ?? 0} in-invocation; messages returned to the queue: ${metrics.MessagesReturned ?? 0}; `
    + `existing (duplicate deliveries found): ${metrics.AssetsExisting ?? 0}`);
  console.log(`service: ${stats.requests} requests (${JSON.stringify(stats.byOperation)}), ${stats.throttled} answered 429, ${stats.serverErrors} answered 5xx`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function bundleFigures(): void {
  for (const [name, file] of [['handler', HANDLER_BUNDLE], ['backfill', BACKFILL_BUNDLE]]) {
    const size = fs.statSync(file).size;
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const run = spawnSync(process.execPath, ['-e',
        `const t = process.hrtime.bigint(); require(${JSON.stringify(file)}); console.log(Number(process.hrtime.bigint() - t) / 1e6);`], { encoding: 'utf8' });
      times.push(Number(run.stdout.trim()));
    }
    console.log(`${name} bundle size: ${size} bytes (${path.relative(ROOT, file)})`);
    console.log(`${name} cold-import time: ${median(times).toFixed(1)} ms (median of 7 fresh node processes)`);
  }
}

async function main(): Promise<void> {
  // The ratio needs CPU for maxConcurrency handler processes plus the fake: on a loaded machine it measures the machine.
  console.log(`machine: ${os.cpus().length} CPUs, load average ${os.loadavg().map(l => l.toFixed(1)).join(' ')} at start`);
  bundleFigures();
  await ingestBench();
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
