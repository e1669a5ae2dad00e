/**
 * The signing-key custom resource handler through the real SDK client against moto's Secrets Manager: a key pair is
 * made once and kept, only the public key leaves the handler, faults are retried a bounded number of times, bad input
 * is refused with one structured log line, and nothing starts past the deadline.
 */
import { createPublicKey, createSign, createVerify } from 'crypto';
import * as http from 'http';
import {
  CreateSecretCommand, GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { MOTO_CLIENT_CONFIG, useMoto } from './moto';
import { makeHandler, SigningKeyEvent, usablePrivateKey } from '../../src/cdn/signing-key/handler';
import { clientConfig } from '../../src/private/runtime';

jest.setTimeout(120_000);

let sm: SecretsManagerClient;
const moto = useMoto(endpoint => [sm = new SecretsManagerClient({ ...MOTO_CLIENT_CONFIG, endpoint, maxAttempts: 1 })]);

const COMMON = {
  ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:provider',
  ResponseURL: '...',
  StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/Stack/guid',
  RequestId: 'request-1',
  LogicalResourceId: 'Key',
  ResourceType: 'Custom::MediaPackageVodSigningKey',
};

function event(requestType: 'Create' | 'Update' | 'Delete', secretArn: unknown): SigningKeyEvent {
  const ResourceProperties = { ServiceToken: COMMON.ServiceToken, SecretArn: secretArn as string };
  if (requestType === 'Create') { return { ...COMMON, RequestType: 'Create', ResourceProperties }; }
  if (requestType === 'Update') {
    return { ...COMMON, RequestType: 'Update', PhysicalResourceId: String(secretArn), ResourceProperties, OldResourceProperties: ResourceProperties };
  }
  return { ...COMMON, RequestType: 'Delete', PhysicalResourceId: String(secretArn), ResourceProperties };
}

/** A secret as the stack creates it: a random placeholder. */
async function newSecret(name: string): Promise<string> {
  const created = await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'placeholder0123456789abcdefghijkl' }));
  return created.ARN!;
}

function capture(): { log: (line: string) => void; lines: string[] } {
  const lines: string[] = [];
  return { lines, log: line => lines.push(line) };
}

describe('signing-key handler (moto Secrets Manager)', () => {
  test('Create makes an RSA-2048 pair: the private key in the secret, only the matching public key returned and logged by fingerprint', async () => {
    const arn = await newSecret('create-1');
    const { log, lines } = capture();
    const response = await makeHandler({ client: sm, log })(event('Create', arn));

    const stored = (await sm.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString!;
    const privateKey = usablePrivateKey(stored);
    expect(privateKey).toBeDefined();
    expect(privateKey!.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(response.PhysicalResourceId).toBe(arn);
    expect(response.Data!.PublicKey).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    // The returned public key verifies what the stored private key signs.
    const signature = createSign('RSA-SHA1').update('policy').sign(stored);
    expect(createVerify('RSA-SHA1').update('policy').verify(createPublicKey(response.Data!.PublicKey), signature)).toBe(true);
    // Nothing private leaves the handler: not in the response, not in the logs.
    const body = stored.split('\n').slice(1, -2).join('');
    expect(JSON.stringify(response)).not.toContain('PRIVATE KEY');
    expect(JSON.stringify(response)).not.toContain(body.slice(0, 40));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ outcome: 'generated', secretArn: arn, publicKeySha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(lines.join('\n')).not.toContain('PRIVATE KEY');
    expect(lines.join('\n')).not.toContain(body.slice(0, 40));
  });

  test('a repeated Create and an Update keep the key: same public key, the secret unchanged', async () => {
    const arn = await newSecret('repeat-1');
    const handler = makeHandler({ client: sm, log: () => undefined });
    const first = await handler(event('Create', arn));
    const stored = (await sm.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString;
    const again = await handler(event('Create', arn));
    const update = await handler(event('Update', arn));
    expect(again.Data!.PublicKey).toBe(first.Data!.PublicKey);
    expect(update.Data!.PublicKey).toBe(first.Data!.PublicKey);
    expect((await sm.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString).toBe(stored);
  });

  test('a secret holding something else (not an RSA-2048 PKCS#8 key) gets a new key pair', async () => {
    const arn = await newSecret('other-1');
    await sm.send(new PutSecretValueCommand({ SecretId: arn, SecretString: '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n' }));
    const response = await makeHandler({ client: sm, log: () => undefined })(event('Create', arn));
    const stored = (await sm.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString!;
    expect(usablePrivateKey(stored)).toBeDefined();
    expect(createPublicKey(stored).export({ type: 'spki', format: 'pem' })).toBe(response.Data!.PublicKey);
  });

  test('Delete touches nothing: the secret and its key stay (the stack deletes the secret by its own policy)', async () => {
    const arn = await newSecret('delete-1');
    const handler = makeHandler({ client: sm, log: () => undefined });
    await handler(event('Create', arn));
    const before = (await sm.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString;
    expect(await handler(event('Delete', arn))).toEqual({ PhysicalResourceId: arn });
    expect((await sm.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString).toBe(before);
  });

  test('bad input: one structured log line and a clear failure, no call made', async () => {
    for (const bad of [undefined, '', 'my-secret', 'arn:aws:s3:::bucket']) {
      const { log, lines } = capture();
      await expect(makeHandler({ client: sm, log })(event('Create', bad))).rejects.toThrow(
        `SecretArn must be a Secrets Manager secret ARN (got ${JSON.stringify(bad)})`);
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0])).toMatchObject({ outcome: 'rejected' });
    }
  });

  test('a secret that does not exist fails at once with the service\'s error (not retried)', async () => {
    const { log, lines } = capture();
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:missing-AbCdEf';
    let attempts = 0;
    const counting = new SecretsManagerClient({ ...MOTO_CLIENT_CONFIG, endpoint: moto().endpoint, maxAttempts: 1 });
    counting.middlewareStack.add(next => async args => { attempts++; return next(args); }, { step: 'finalizeRequest' });
    try {
      await expect(makeHandler({ client: counting, log, sleep: async () => undefined })(event('Create', arn)))
        .rejects.toThrow(/^signing key for arn:aws:secretsmanager:eu-west-1:123456789012:secret:missing-AbCdEf failed: ResourceNotFoundException \(HTTP \d+\): /);
    } finally {
      counting.destroy();
    }
    expect(attempts).toBe(1);
    expect(JSON.parse(lines[0])).toMatchObject({ outcome: 'failed', secretArn: arn });
  });
});

describe('signing-key handler (faults from a local server in front of moto)', () => {
  /** A proxy to moto that answers the first `failures` requests with 500 (or hangs them), then forwards. */
  async function faultyProxy(failures: number, mode: '500' | 'hang'): Promise<{ endpoint: string; requests: () => number; close: () => Promise<void> }> {
    let seen = 0;
    const target = new URL(moto().endpoint);
    const server = http.createServer((req, res) => {
      seen++;
      if (seen <= failures) {
        if (mode === 'hang') { return; } // never answers: the client's timeout must end the call
        res.writeHead(500, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: 'InternalServiceError', message: 'injected' }));
        return;
      }
      const forward = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, up => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      req.pipe(forward);
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    return {
      endpoint: `http://127.0.0.1:${port}`,
      requests: () => seen,
      close: () => new Promise(resolve => { server.closeAllConnections(); server.close(() => resolve()); }),
    };
  }

  /** Runs `body` with a client pointed at a faulty proxy to moto; both are closed after. */
  async function withFaults(failures: number, mode: '500' | 'hang',
    body: (client: SecretsManagerClient, requests: () => number) => Promise<void>): Promise<void> {
    const proxy = await faultyProxy(failures, mode);
    // The handler's client settings (clientConfig), with a short request timeout so that a stalled call ends quickly.
    const client = new SecretsManagerClient({ ...MOTO_CLIENT_CONFIG, ...clientConfig(proxy.endpoint, { requestTimeoutMs: 300 }) });
    try {
      await body(client, proxy.requests);
    } finally {
      client.destroy();
      await proxy.close();
    }
  }

  test('server errors are retried (bounded) and then the key is made', async () => {
    const arn = await newSecret('retry-1');
    await withFaults(2, '500', async (client, requests) => {
      const sleeps: number[] = [];
      const handler = makeHandler({ client, log: () => undefined, sleep: async ms => { sleeps.push(ms); }, random: () => 1 });
      const response = await handler(event('Create', arn));
      expect(response.Data!.PublicKey).toMatch(/BEGIN PUBLIC KEY/);
      expect(sleeps).toEqual([500, 1000]);
      expect(requests()).toBe(4); // 2 failed GetSecretValue, 1 GetSecretValue, 1 PutSecretValue
    });
  });

  test('retries stop after maxAttempts with the last error', async () => {
    const arn = await newSecret('retry-2');
    await withFaults(100, '500', async (client, requests) => {
      await expect(makeHandler({ client, log: () => undefined, sleep: async () => undefined, maxAttempts: 3 })(event('Create', arn)))
        .rejects.toThrow(`GetSecretValue ${arn}: gave up after 3 attempt(s): InternalServiceError (HTTP 500): injected`);
      expect(requests()).toBe(3);
    });
  });

  test('a call that hangs is ended by the request timeout and retried, and no retry starts past the deadline', async () => {
    const arn = await newSecret('hang-1');
    await withFaults(100, 'hang', async (client, requests) => {
      const handler = makeHandler({ client, log: () => undefined, sleep: async () => undefined, random: () => 1, safetyMarginMs: 0 });
      const started = Date.now();
      const end = started + 1_000;
      // 1 s left: 300 ms calls with backoffs of 500 and 1000 ms: the retry whose backoff ends past the deadline is not made.
      await expect(handler(event('Create', arn), { getRemainingTimeInMillis: () => end - Date.now() }))
        .rejects.toThrow(/GetSecretValue .*: gave up after [1-3] attempt\(s\) \(deadline\): TimeoutError/);
      // Ends near the deadline, not after a hang (slack for a loaded machine's timers).
      expect(Date.now() - started).toBeLessThan(2_500);
      expect(requests()).toBeGreaterThanOrEqual(1);
      expect(requests()).toBeLessThanOrEqual(3);
    });
  });
});
