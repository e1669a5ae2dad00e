/**
 * The backfill's SDK call helpers (src/ingest/backfill/calls.ts): branches no local server produces on demand (SQS
 * failing single entries of a batch, sender faults) with aws-sdk-client-mock on one client; retries, backoff and the
 * deadline with a fake clock.
 */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { CallOptions, OutOfTime, sendAll, sendBatch, withRetries } from '../../src/ingest/backfill/calls';

function options(overrides: Partial<CallOptions> = {}): CallOptions & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    sleep: async ms => { sleeps.push(ms); },
    random: () => 1,
    now: () => 0,
    maxAttempts: 4,
    baseDelayMs: 100,
    maxDelayMs: 1_000,
    deadline: 10_000,
    ...overrides,
  };
}
const throttled = () => Object.assign(new Error('slow down'), { name: 'RequestThrottled', $metadata: { httpStatusCode: 403 } });

test('entries SQS failed on its side are sent again with backoff until all are sent', async () => {
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
  expect(o.sleeps).toEqual([100, 100]);
});

test('a sender fault fails with SQS\'s message; entries still failing after the last attempt fail', async () => {
  const sqs = new SQSClient({ region: 'eu-west-1' });
  const mock = mockClient(sqs);
  mock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [{ Id: '0', Code: 'InvalidParameterValue', Message: 'too big', SenderFault: true }] });
  await expect(sendBatch(options(), sqs, 'q', [{ Id: '0', MessageBody: 'x' }])).rejects.toThrow('SendMessageBatch refused a message: InvalidParameterValue: too big');
  mock.reset();
  mock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [{ Id: '0', Code: 'InternalError', Message: 'no', SenderFault: false }] });
  await expect(sendBatch(options({ maxAttempts: 2 }), sqs, 'q', [{ Id: '0', MessageBody: 'x' }]))
    .rejects.toThrow('SendMessageBatch: 1 message(s) still failing after 2 attempts: InternalError: no');
});

test('withRetries: retryable errors a bounded number of times, others at once, never a sleep past the deadline', async () => {
  let calls = 0;
  const o = options();
  await expect(withRetries(o, 'Op', async () => { calls++; throw throttled(); })).rejects.toThrow('Op failed after 4 attempts: RequestThrottled: slow down');
  expect(calls).toBe(4);
  expect(o.sleeps).toEqual([100, 200, 400]);
  calls = 0;
  await expect(withRetries(options(), 'Op', async () => { calls++; throw Object.assign(new Error('no'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }); }))
    .rejects.toThrow('Op failed: AccessDenied: no');
  expect(calls).toBe(1);
  // The next backoff would end past the deadline: OutOfTime (the work is handed on), not a failure.
  await expect(withRetries(options({ deadline: 150 }), 'Op', async () => { throw throttled(); })).rejects.toBeInstanceOf(OutOfTime);
  // No time left: no call at all.
  calls = 0;
  await expect(withRetries(options({ deadline: 0 }), 'Op', async () => { calls++; })).rejects.toBeInstanceOf(OutOfTime);
  expect(calls).toBe(0);
});

test('withRetries aborts a call in flight at the deadline', async () => {
  const started = Date.now();
  const o = options({ now: Date.now, deadline: Date.now() + 200 });
  await expect(withRetries(o, 'Stall', signal => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))))))
    .rejects.toBeInstanceOf(OutOfTime);
  expect(Date.now() - started).toBeLessThan(2_000);
});
