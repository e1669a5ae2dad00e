/**
 * The backfill at catalog scale (issue #21 item 4): 1,000,000 keys, 50,000 titles of 20 files each
 * (`movies/title-N/index.m3u8`, 3 child playlists, 16 segments), pattern `movies/*\/index.m3u8`.
 *
 * The real starter (custom resource handler) and worker run in this process through the real SDK clients; S3 is the
 * ListObjectsV2 fake (test/fakes/list-objects.ts) and SQS a small sink speaking SQS's JSON protocol, both in a child
 * process, so this process's memory is the worker's alone. The job runs as Lambda's event source runs it: one job
 * message per invocation, the invocation given the worker's real timeout (120 s) and margin (20 s).
 *
 * Printed: `figure` lines (time, invocations, calls, results read, memory, longest invocation) and `ratio` lines with
 * their targets (met / not met): results read per title (one key per title, not its 20 files), every title enqueued
 * exactly once, the longest invocation against 5 minutes, peak memory against a run 50 times smaller (flat).
 * `--smoke`: 20,000 keys (1,000 titles) against 2,000, for CI. BENCH_BACKFILL_TITLES sets another size; BENCH_BACKFILL_LATENCY_MS
 * adds a latency to each listing call (S3 answers a LIST in tens of ms; the fake in well under one). Progress on stderr.
 */
import { ChildProcess, fork } from 'child_process';
import { createHash } from 'crypto';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as v8 from 'v8';
import * as vm from 'vm';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { makeBackfill } from '../src/ingest/backfill';
import { makeWorker } from '../src/ingest/backfill/worker';
import { FakeListObjects } from '../test/fakes/list-objects';

/** A full garbage collection (the flag is set at run time, so the projen task needs no node option). */
v8.setFlagsFromString('--expose-gc');
const gc: () => void = vm.runInNewContext('gc');

const FILES_PER_TITLE = 20;
const WORKER_TIMEOUT_MS = 120_000;
const FIVE_MINUTES_MS = 300_000;
const CLIENT = { region: 'eu-west-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, maxAttempts: 1 };

function titleKeys(title: number): string[] {
  const folder = `movies/title-${String(title).padStart(6, '0')}/`;
  const keys = [`${folder}index.m3u8`, ...['360', '720', '1080'].map(r => `${folder}index_${r}.m3u8`)];
  for (let s = keys.length; s < FILES_PER_TITLE; s++) { keys.push(`${folder}seg_${String(s).padStart(4, '0')}.ts`); }
  return keys;
}

// ---- child: the ListObjectsV2 fake and the SQS sink ----

async function serve(titles: number, latencyMs: number): Promise<void> {
  const list = new FakeListObjects({ latencyMs });
  function* objects() {
    for (let t = 0; t < titles; t++) {
      for (const key of titleKeys(t)) { yield { key, etag: createHash('md5').update(key).digest('hex'), size: 1 }; }
    }
  }
  list.putBucket('bench', objects());
  const s3Endpoint = await list.start();
  const jobs: string[] = [];
  const enqueued = new Map<string, number>();
  let parked = 0;
  let ingestMessages = 0;
  const md5 = (text: string) => createHash('md5').update(text).digest('hex');
  const accept = (queueUrl: string, body: string) => {
    if (queueUrl.endsWith('/job')) { jobs.push(body); return; }
    if (queueUrl.endsWith('/dead')) { parked++; return; }
    ingestMessages++;
    const key = JSON.parse(body).key as string;
    enqueued.set(key, (enqueued.get(key) ?? 0) + 1);
  };
  const sink = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/_sink/job') {
        const job = jobs.shift();
        res.writeHead(job === undefined ? 204 : 200).end(job);
        return;
      }
      if (req.url === '/_sink/stats') {
        let once = 0;
        let more = 0;
        let missing = 0;
        for (let t = 0; t < titles; t++) {
          const n = enqueued.get(titleKeys(t)[0]) ?? 0;
          if (n === 0) { missing++; } else if (n === 1) { once++; } else { more++; }
        }
        const unexpected = [...enqueued.keys()].filter(k => !k.endsWith('/index.m3u8')).length;
        res.writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ once, more, missing, unexpected, ingestMessages, parked, jobsLeft: jobs.length, list: list.stats }));
        return;
      }
      const target = String(req.headers['x-amz-target'] ?? '');
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      let output: unknown;
      if (target === 'AmazonSQS.SendMessageBatch') {
        output = {
          Successful: input.Entries.map((e: { Id: string; MessageBody: string }) => {
            accept(input.QueueUrl, e.MessageBody);
            return { Id: e.Id, MessageId: `${e.Id}-${ingestMessages}`, MD5OfMessageBody: md5(e.MessageBody) };
          }),
          Failed: [],
        };
      } else if (target === 'AmazonSQS.SendMessage') {
        accept(input.QueueUrl, input.MessageBody);
        output = { MessageId: String(ingestMessages), MD5OfMessageBody: md5(input.MessageBody) };
      } else {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify({ __type: 'InvalidAction', message: target }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(output));
    });
  });
  sink.keepAliveTimeout = 60_000;
  await new Promise<void>(resolve => sink.listen(0, '127.0.0.1', resolve));
  process.send!({ s3Endpoint, sqsEndpoint: `http://127.0.0.1:${(sink.address() as AddressInfo).port}` });
}

// ---- parent: the starter and the worker ----

interface RunFigures {
  readonly keys: number;
  readonly titles: number;
  readonly seconds: number;
  readonly invocations: number;
  readonly longestMs: number;
  readonly peakHeapMiB: number;
  readonly heapGrowthMiB: number;
  readonly peakRssMiB: number;
  readonly stats: {
    once: number;
    more: number;
    missing: number;
    unexpected: number;
    ingestMessages: number;
    parked: number;
    jobsLeft: number;
    list: { requests: number; resultsReturned: number; keysReturned: number };
  };
}

async function run(titles: number, latencyMs: number): Promise<RunFigures> {
  const child: ChildProcess = fork(__filename, ['--serve', String(titles), String(latencyMs)], {
    execArgv: ['-r', 'ts-node/register/transpile-only', '--max-old-space-size=4096'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const { s3Endpoint, sqsEndpoint } = await new Promise<{ s3Endpoint: string; sqsEndpoint: string }>((resolve, reject) => {
      child.once('message', m => resolve(m as { s3Endpoint: string; sqsEndpoint: string }));
      child.once('exit', code => reject(new Error(`the fake servers exited (${code})`)));
    });
    const s3 = new S3Client({ ...CLIENT, endpoint: s3Endpoint, forcePathStyle: true });
    const sqs = new SQSClient({ ...CLIENT, endpoint: sqsEndpoint });
    // Live memory: the heap right after a full collection, sampled every 500 ms (the heap before a collection says
    // more about V8's collection schedule than about what the worker keeps).
    gc();
    const baseline = process.memoryUsage().heapUsed;
    let peakHeap = baseline;
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      gc();
      const usage = process.memoryUsage();
      peakHeap = Math.max(peakHeap, usage.heapUsed);
      peakRss = Math.max(peakRss, usage.rss);
    }, 500);
    const started = Date.now();
    await makeBackfill({ s3, sqs, log: () => {} })({
      RequestType: 'Create',
      ServiceToken: 's',
      ResponseURL: 'r',
      StackId: 's',
      RequestId: 'bench',
      LogicalResourceId: 'Backfill',
      ResourceType: 'Custom::MediaPackageVodIngestBackfill',
      ResourceProperties: {
        ServiceToken: 's',
        BucketName: 'bench',
        KeyPatterns: ['movies/*/index.m3u8'],
        Prefixes: ['movies/'],
        QueueUrl: `${sqsEndpoint}/123456789012/ingest`,
        JobQueueUrl: `${sqsEndpoint}/123456789012/job`,
      },
    });
    const worker = makeWorker({ s3, sqs, jobQueueUrl: `${sqsEndpoint}/123456789012/job`, deadLetterQueueUrl: `${sqsEndpoint}/123456789012/dead`, log: () => {} });
    let invocations = 0;
    let longestMs = 0;
    for (;;) {
      const response = await fetch(`${sqsEndpoint}/_sink/job`);
      if (response.status === 204) { break; }
      const body = await response.text();
      const invoked = Date.now();
      const event = { Records: [{ messageId: `job-${invocations}`, body }] } as unknown as SQSEvent;
      const result = await worker(event, { getRemainingTimeInMillis: () => invoked + WORKER_TIMEOUT_MS - Date.now() });
      if (result.batchItemFailures.length > 0) { throw new Error(`invocation ${invocations} reported its message as failed`); }
      invocations++;
      longestMs = Math.max(longestMs, Date.now() - invoked);
      console.error(`  invocation ${invocations}: ${((Date.now() - invoked) / 1000).toFixed(1)} s, ${((Date.now() - started) / 1000).toFixed(0)} s in all`);
    }
    const seconds = (Date.now() - started) / 1000;
    clearInterval(sampler);
    const stats = await (await fetch(`${sqsEndpoint}/_sink/stats`)).json() as RunFigures['stats'];
    s3.destroy();
    sqs.destroy();
    const mib = (bytes: number) => bytes / 2 ** 20;
    return {
      keys: titles * FILES_PER_TITLE,
      titles,
      seconds,
      invocations,
      longestMs,
      stats,
      peakHeapMiB: mib(peakHeap),
      heapGrowthMiB: mib(peakHeap - baseline),
      peakRssMiB: mib(peakRss),
    };
  } finally {
    child.kill();
  }
}

function verdict(ok: boolean): string {
  return ok ? 'met' : 'not met';
}

async function main(): Promise<void> {
  const smoke = process.argv.includes('--smoke');
  const latencyMs = Number(process.env.BENCH_BACKFILL_LATENCY_MS ?? 0);
  const titles = Number(process.env.BENCH_BACKFILL_TITLES ?? (smoke ? 1_000 : 50_000));
  const smallTitles = Math.max(10, Math.round(titles / (smoke ? 10 : 50)));
  const small = await run(smallTitles, latencyMs);
  const big = await run(titles, latencyMs);
  for (const r of [small, big]) {
    console.log(`figure backfill ${r.keys}: ${r.titles} titles x ${FILES_PER_TITLE} files in ${r.seconds.toFixed(1)} s, ${r.invocations} worker `
      + `invocation(s) (timeout ${WORKER_TIMEOUT_MS / 1000} s), longest ${(r.longestMs / 1000).toFixed(1)} s; ${r.stats.list.requests} ListObjectsV2 calls, `
      + `${r.stats.list.keysReturned} keys and ${r.stats.list.resultsReturned - r.stats.list.keysReturned} common prefixes read (a flat listing: ${r.keys} keys in ${Math.ceil(r.keys / 1000)} calls); `
      + `${r.stats.ingestMessages} messages enqueued, ${r.stats.parked} parked; peak heap ${r.peakHeapMiB.toFixed(0)} MiB `
      + `(+${r.heapGrowthMiB.toFixed(0)} MiB over the start), peak RSS ${r.peakRssMiB.toFixed(0)} MiB; listing latency ${latencyMs} ms`);
  }
  const perTitle = big.stats.list.keysReturned / big.titles;
  console.log(`ratio backfill-keys-read-per-title ${big.keys}: ${perTitle.toFixed(3)} (target <= 1.1, one key per title instead of `
    + `${FILES_PER_TITLE}; plus one common prefix per title from the folder listing: ${verdict(perTitle <= 1.1)})`);
  const exactlyOnce = big.stats.once / big.titles;
  const onceOk = big.stats.once === big.titles && big.stats.more === 0 && big.stats.missing === 0 && big.stats.unexpected === 0;
  console.log(`ratio backfill-titles-enqueued-exactly-once ${big.keys}: ${exactlyOnce.toFixed(4)} (target = 1, ${big.stats.more} twice or more, `
    + `${big.stats.missing} missing, ${big.stats.unexpected} other keys: ${verdict(onceOk)})`);
  const longest = big.longestMs / FIVE_MINUTES_MS;
  console.log(`ratio backfill-longest-invocation-of-5-min ${big.keys}: ${longest.toFixed(3)} (target < 1: ${verdict(longest < 1)})`);
  const memory = Math.max(1, big.heapGrowthMiB) / Math.max(1, small.heapGrowthMiB);
  console.log(`ratio backfill-memory-growth-vs-${small.keys} ${big.keys}: ${memory.toFixed(2)} (peak live heap growth, ${big.heapGrowthMiB.toFixed(0)} `
    + `MiB against ${small.heapGrowthMiB.toFixed(0)} MiB for ${big.keys / small.keys} times fewer keys; target <= 1.5, flat: ${verdict(memory <= 1.5)})`);
  if (!onceOk || big.stats.parked > 0 || big.stats.jobsLeft > 0) { process.exitCode = 1; }
}

if (process.argv[2] === '--serve') {
  serve(Number(process.argv[3]), Number(process.argv[4])).catch(error => { console.error(error); process.exit(1); });
} else {
  main().catch(error => {
    console.error(error);
    process.exit(1);
  });
}
