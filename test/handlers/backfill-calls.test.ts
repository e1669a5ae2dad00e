/**
 * The backfill's SDK call helpers (src/ingest/backfill/calls.ts): branches no local server produces on demand (SQS
 * failing single entries of a batch, sender faults) with aws-sdk-client-mock on one client; retries, backoff and the
 * deadline with a fake clock. The retries themselves are the handler kit's (test/handlers/handler-kit.test.ts).
 */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { backfillPolicy, CallOptions, OutOfTime, sendAll, sendBatch, withRetries } from '../../src/ingest/backfill/calls';
import { Deadline } from '../../src/private/runtime';

/** Calls with a fake clock (`now`, 0 by default) and recorded sleeps; full jitter with random 1 sleeps the whole cap. */
function options({ maxAttempts = 4, deadline = 10_000, now = () => 0 }: { maxAttempts?: number; deadline?: number; now?: () => number } = {}):
CallOptions & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    policy: backfillPolicy({ maxAttempts, baseDelayMs: 100, maxDelayMs: 1_000, sleep: async ms => { sleeps.push(ms); }, random: () => 1 }),
    deadline: Deadline.after(deadline - now(), 0, now),
  };
}
const throttled = () => Object.assign(new Error('slow down'), { name: 'RequestThrottled', $metadata: { httpStatusCode: 403 } });

test('entries SQS failed on its side are sent again with backoff until all are sent (one retry loop for both kinds of failure)', async () => {
  const sqs = new SQSClient({ region: 'eu-west-1' });
  const mock = mockClient(sqs);
  mock.on(SendMessageBatchCommand)
    .resolvesOnce({ Successful: [], Failed: [{ Id: '3', Code: 'InternalError', Message: 'retry me', SenderFault: false }] })
    .rejectsOnce(throttled())
    .resolves({ Successful: [], Failed: [] });
  const o = options();
  await sendAll(o, sqs, 'q', Array.from({ length: 15 }, (_, i) => `m${i}`), 1);
  expect(mock.commandCalls(SendMessageBatchCommand).map(c => c.args[0].input.Entries!.map(e => e.MessageBody)))
    .toEqual([['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9'], ['m3'], ['m3'], ['m10', 'm11', 'm12', 'm13', 'm14']]);
  // Attempt 1 failed one entry, attempt 2 was throttled, attempt 3 sent it: backoffs of retries 1 and 2.
  expect(o.sleeps).toEqual([100, 200]);
});

test('a sender fault fails with SQS\'s message; entries still failing after the last attempt fail', async () => {
  const sqs = new SQSClient({ region: 'eu-west-1' });
  const mock = mockClient(sqs);
  mock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [{ Id: '0', Code: 'InvalidParameterValue', Message: 'too big', SenderFault: true }] });
  await expect(sendBatch(options(), sqs, 'q', [{ Id: '0', MessageBody: 'x' }])).rejects.toThrow('SendMessageBatch failed: SenderFault: refused a message: InvalidParameterValue: too big');
  expect(mock.commandCalls(SendMessageBatchCommand)).toHaveLength(1);
  mock.reset();
  mock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [{ Id: '0', Code: 'InternalError', Message: 'no', SenderFault: false }] });
  await expect(sendBatch(options({ maxAttempts: 2 }), sqs, 'q', [{ Id: '0', MessageBody: 'x' }]))
    .rejects.toThrow('SendMessageBatch: gave up after 2 attempt(s): EntriesFailed: 1 message(s) not sent: InternalError: no');
  expect(mock.commandCalls(SendMessageBatchCommand)).toHaveLength(2);
});

test('withRetries: retryable errors a bounded number of times, others at once, never a sleep past the deadline', async () => {
  let calls = 0;
  const o = options();
  await expect(withRetries(o, 'Op', async () => { calls++; throw throttled(); })).rejects.toThrow('Op: gave up after 4 attempt(s): RequestThrottled (HTTP 403): slow down');
  expect(calls).toBe(4);
  expect(o.sleeps).toEqual([100, 200, 400]);
  calls = 0;
  await expect(withRetries(options(), 'Op', async () => { calls++; throw Object.assign(new Error('no'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }); }))
    .rejects.toThrow('Op failed: AccessDenied (HTTP 403): no');
  expect(calls).toBe(1);
  // The next backoff would end past the deadline: OutOfTime (the work is handed on), not a failure.
  calls = 0;
  await expect(withRetries(options({ deadline: 150 }), 'Op', async () => { calls++; throw throttled(); })).rejects.toBeInstanceOf(OutOfTime);
  expect(calls).toBe(2); // 150 left: the first backoff (100) fits, the second (200) does not
  // A backoff that overran the deadline (a slow sleep): the next call is not started.
  let clock = 0;
  const late = {
    ...options({ deadline: 150, now: () => clock }),
    policy: backfillPolicy({ maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000, sleep: async () => { clock = 200; }, random: () => 1 }),
  };
  calls = 0;
  await expect(withRetries(late, 'Op', async () => { calls++; throw throttled(); })).rejects.toBeInstanceOf(OutOfTime);
  expect(calls).toBe(1);
  // No time left: no call at all.
  calls = 0;
  await expect(withRetries(options({ deadline: 0 }), 'Op', async () => { calls++; })).rejects.toBeInstanceOf(OutOfTime);
  expect(calls).toBe(0);
});

test('withRetries aborts a call in flight at the deadline', async () => {
  const started = Date.now();
  const o = options({ now: Date.now, deadline: Date.now() + 200 });
  let calls = 0;
  // The stalled call rejects with an error that is retryable by itself: aborted at the deadline, it is not retried.
  const aborted = () => Object.assign(new Error('aborted'), { name: 'TimeoutError' });
  await expect(withRetries(o, 'Stall', signal => { calls++; return new Promise((_, reject) => signal!.addEventListener('abort', () => reject(aborted()))); }))
    .rejects.toBeInstanceOf(OutOfTime);
  expect(Date.now() - started).toBeLessThan(2_000);
  expect(calls).toBe(1);
});
