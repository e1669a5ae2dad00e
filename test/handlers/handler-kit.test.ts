/** The handler kit (src/private/runtime): retry with backoff and a deadline, Deadline, errors, client settings. */
import { backoffMs, clientConfig, Deadline, DeadlineReached, isNotFound, isResourceId, isRetryable, retry, RetriesExhausted, sender } from '../../src/private/runtime';

const throttle = () => Object.assign(new Error('slow down'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } });
const policy = (sleeps: number[], maxAttempts = 4) => ({
  maxAttempts, baseDelayMs: 100, maxDelayMs: 250, jitter: 'full' as const, random: () => 0.5, sleep: async (ms: number) => { sleeps.push(ms); },
});

test('retries what is retryable with capped exponential backoff, then gives up with the last error', async () => {
  const sleeps: number[] = [];
  let calls = 0;
  const error = await retry('Op', async () => { calls++; throw throttle(); }, policy(sleeps)).catch(e => e);
  expect(error).toBeInstanceOf(RetriesExhausted);
  expect(error).toMatchObject({ attempts: 4, reason: 'attempts' });
  expect(error.message).toBe('Op: gave up after 4 attempt(s): TooManyRequestsException (HTTP 429): slow down');
  expect(calls).toBe(4);
  expect(sleeps).toEqual([50, 100, 125]); // full jitter 0.5 of 100, 200, min(400, 250)
});

test('an error that is not retryable is thrown as it is, at once', async () => {
  const denied = Object.assign(new Error('no'), { name: 'ForbiddenException', $metadata: { httpStatusCode: 403 } });
  await expect(retry('Op', async () => { throw denied; }, policy([]))).rejects.toBe(denied);
});

test('no retry sleeps past the deadline; no call starts after it', async () => {
  let left = 120;
  const deadline = Deadline.of(() => left, 0);
  const sleeps: number[] = [];
  const error = await retry('Op', async () => { left -= 30; throw throttle(); }, policy(sleeps), { deadline }).catch(e => e);
  expect(error).toMatchObject({ reason: 'deadline', attempts: 2 }); // 90 left > 50; 60 left < 100
  left = 0;
  await expect(retry('Op', async () => 'x', policy([]), { deadline })).rejects.toBeInstanceOf(DeadlineReached);
});

test('a backoff that overran the deadline starts no further call: RetriesExhausted with the last error', async () => {
  let left = 120;
  const deadline = Deadline.of(() => left, 0);
  let calls = 0;
  const slowSleep = { ...policy([]), sleep: async () => { left = -5; } }; // the sleep ended past the deadline
  const error = await retry('Op', async () => { calls++; throw throttle(); }, slowSleep, { deadline }).catch(e => e);
  expect(calls).toBe(1);
  expect(error).toBeInstanceOf(RetriesExhausted);
  expect(error).toMatchObject({ reason: 'deadline', attempts: 1, lastError: expect.objectContaining({ name: 'TooManyRequestsException' }) });
});

test('sender passes an abort signal at the abort deadline to each call', async () => {
  const send = sender(policy([]), { abortAt: Deadline.of(() => 10_000, 9_950) });
  const signal = await send('Op', async abortSignal => abortSignal);
  expect(signal!.aborted).toBe(false);
  await new Promise(resolve => setTimeout(resolve, 120));
  expect(signal!.aborted).toBe(true);
  expect(await sender(policy([]))('Op', async abortSignal => abortSignal)).toBeUndefined(); // no deadline, no signal
});

test('Deadline: margins, earlier(), after()', () => {
  let clock = 0;
  const own = Deadline.after(1_000, 0, () => clock);
  const invocation = Deadline.of(() => 5_000 - clock, 4_500);
  expect(own.earlier(invocation).remainingMs()).toBe(500);
  clock = 800;
  expect(own.earlier(invocation).remainingMs()).toBe(-300);
  expect(invocation.isShort()).toBe(true);
  expect(Deadline.none().signal()).toBeUndefined();
  // Beyond Node's timer range (2^31-1 ms), a timer would fire at once: no signal rather than an immediate abort.
  expect(Deadline.after(2 ** 31, 0).signal()).toBeUndefined();
  expect(Deadline.after(60_000, 0).signal()!.aborted).toBe(false);
});

test('backoff: equal jitter never retries at once', () => {
  expect(backoffMs({ maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000, jitter: 'equal', random: () => 0 }, 3)).toBe(200);
});

test('errors and ids', () => {
  expect(isNotFound({ name: 'NotFound', $metadata: { httpStatusCode: 404 } })).toBe(true);
  expect(isNotFound({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } })).toBe(false);
  expect(isRetryable(new Error('AWS SDK error wrapper for TimeoutError: socket hang up'))).toBe(true);
  expect(isRetryable(Object.assign(new Error('aborted'), { name: 'AbortError' }))).toBe(false);
  expect(isResourceId('a_b-1')).toBe(true);
  expect(isResourceId('a b')).toBe(false);
  expect(clientConfig('http://x')).toEqual({ maxAttempts: 1, endpoint: 'http://x', requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 } });
});
