/**
 * The signing-key custom resource handler (VodDistribution viewer access with generated keys).
 *
 * Runs behind aws-cdk-lib's `CustomResourceProvider`: its framework calls `handler(event, context)`, sends SUCCESS with
 * the returned `{ PhysicalResourceId, Data }`, and sends FAILED with the thrown error's message as the reason.
 *
 * - Create/Update: makes sure the secret (created by the stack, `SecretArn`) holds an RSA-2048 private key in PKCS#8
 *   PEM, and returns only the matching public key (SPKI PEM, `Data.PublicKey`) for `AWS::CloudFront::PublicKey`. The
 *   secret is read first: a key already there (a repeated event, an Update) is kept, so repeating an event gives the
 *   same public key; anything else (the placeholder the stack creates the secret with) is replaced by a new key pair
 *   made here with Node's `crypto.generateKeyPairSync`.
 * - Delete: nothing. The secret is a resource of the stack and goes with it (its own removal policy).
 * - The private key is never returned, logged or put in an error message: one structured log line per outcome names the
 *   secret and the public key's SHA-256 fingerprint only.
 * - Throttling, server and network errors are retried with backoff a bounded number of times; every call has a request
 *   timeout and no call starts past the Lambda's deadline (less a margin to report the failure).
 *
 * Bundled with its SDK client by esbuild into assets/ (see .projenrc.ts).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'crypto';
// The SDK client is bundled into the handler asset at build time: it is not a runtime dependency of the library.
// eslint-disable-next-line import/no-extraneous-dependencies
import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { describeError, errorName, isRetryable } from '../../../private/sdk-errors';

/** The properties the construct passes to the custom resource. */
export interface SigningKeyResourceProperties {
  /** The ARN of the secret that holds (or is to hold) the private key. */
  readonly SecretArn: string;
}

/** What the handler returns to the CustomResourceProvider framework. */
export interface SigningKeyResponse {
  /** The secret's ARN. */
  readonly PhysicalResourceId: string;
  /** Create and Update only. */
  readonly Data?: {
    /** The public key, SPKI PEM (`-----BEGIN PUBLIC KEY-----`). */
    readonly PublicKey: string;
  };
}

/** The event type the handler takes. */
export type SigningKeyEvent = CloudFormationCustomResourceEvent<SigningKeyResourceProperties>;

/** The part of the Lambda context the handler reads. */
export interface DeadlineContext {
  getRemainingTimeInMillis(): number;
}

/** Knobs of the handler; the defaults are what runs in Lambda. */
export interface SigningKeyHandlerOptions {
  /** @default - one client per Lambda container, request timeout 10 s, the SDK's own retries off */
  readonly client?: SecretsManagerClient;
  /** @default - setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default console.log */
  readonly log?: (line: string) => void;
  /** Calls of one operation in all, including the first. @default 5 */
  readonly maxAttempts?: number;
  /** Backoff before the first retry, doubled on each further retry. @default 500 */
  readonly baseDelayMs?: number;
  /** Time kept at the end of the invocation to report a failure; no call starts later. @default 10000 */
  readonly safetyMarginMs?: number;
  /** Timeout of one call (abort signal on top of the client's request timeout). @default 10000 */
  readonly callTimeoutMs?: number;
}

/** The key CloudFront accepts for trusted key groups: RSA, 2048 bits. */
const MODULUS_LENGTH = 2048;
/** Secrets Manager ARNs (what the construct passes). */
const SECRET_ARN_PATTERN = /^arn:[a-z-]+:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/;

let defaultClient: SecretsManagerClient | undefined;

/** Creates a handler (tests inject the client pointed at a local server, and fast timing). */
export function makeHandler(options: SigningKeyHandlerOptions = {}):
(event: SigningKeyEvent, context?: DeadlineContext) => Promise<SigningKeyResponse> {
  const log = options.log ?? ((line: string) => console.log(line));
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms)));
  const maxAttempts = options.maxAttempts ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 500;
  const safetyMarginMs = options.safetyMarginMs ?? 10_000;
  const callTimeoutMs = options.callTimeoutMs ?? 10_000;

  const client = () => options.client ?? (defaultClient ??= new SecretsManagerClient({
    // The retry loop below is the only one, so attempts do not multiply.
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 3_000, requestTimeout: callTimeoutMs },
  }));

  /** One SDK call, retried while retryable, never started past the deadline. */
  async function call<T>(what: string, deadline: number, send: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      if (Date.now() + callTimeoutMs > deadline) {
        throw new Error(`${what}: not started, the invocation's deadline is too close (attempt ${attempt})`);
      }
      try {
        return await send(AbortSignal.timeout(callTimeoutMs));
      } catch (error) {
        // A call ended by its own timeout (AbortError) is retried like a network error: both calls are idempotent
        // (the same private key is written again if a PutSecretValue timed out after it was stored).
        if (attempt >= maxAttempts || !(isRetryable(error) || errorName(error) === 'AbortError')) {
          throw new Error(`${what} failed after ${attempt} attempt(s): ${describeError(error)}`);
        }
        await sleep(Math.min(baseDelayMs * 2 ** (attempt - 1), 20_000));
      }
    }
  }

  async function ensureKey(secretArn: string, deadline: number): Promise<SigningKeyResponse> {
    const current = await call(`GetSecretValue ${secretArn}`, deadline,
      abortSignal => client().send(new GetSecretValueCommand({ SecretId: secretArn }), { abortSignal }));
    const existing = usablePrivateKey(current.SecretString);
    if (existing) {
      const publicKey = publicPem(existing);
      log(JSON.stringify({ outcome: 'kept', secretArn, publicKeySha256: fingerprint(publicKey) }));
      return { PhysicalResourceId: secretArn, Data: { PublicKey: publicKey } };
    }
    const pair = generateKeyPairSync('rsa', { modulusLength: MODULUS_LENGTH });
    const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await call(`PutSecretValue ${secretArn}`, deadline,
      abortSignal => client().send(new PutSecretValueCommand({ SecretId: secretArn, SecretString: privatePem }), { abortSignal }));
    const publicKey = publicPem(pair.privateKey);
    log(JSON.stringify({ outcome: 'generated', secretArn, publicKeySha256: fingerprint(publicKey) }));
    return { PhysicalResourceId: secretArn, Data: { PublicKey: publicKey } };
  }

  return async (event: SigningKeyEvent, context?: DeadlineContext): Promise<SigningKeyResponse> => {
    const deadline = Date.now() + (context ? context.getRemainingTimeInMillis() : 15 * 60_000) - safetyMarginMs;
    if (event.RequestType === 'Delete') {
      // The secret is the stack's resource: CloudFormation deletes (or keeps) it by its own removal policy.
      log(JSON.stringify({ outcome: 'delete', physicalResourceId: event.PhysicalResourceId, note: 'nothing to do' }));
      return { PhysicalResourceId: event.PhysicalResourceId };
    }
    if (event.RequestType !== 'Create' && event.RequestType !== 'Update') {
      const requestType = (event as { RequestType?: unknown }).RequestType;
      log(JSON.stringify({ outcome: 'rejected', reason: 'unknown request type', requestType }));
      throw new Error(`Unknown request type: ${JSON.stringify(requestType)}`);
    }
    const secretArn = event.ResourceProperties?.SecretArn;
    if (typeof secretArn !== 'string' || !SECRET_ARN_PATTERN.test(secretArn)) {
      log(JSON.stringify({ outcome: 'rejected', reason: 'SecretArn is not a Secrets Manager secret ARN', secretArn }));
      throw new Error(`SecretArn must be a Secrets Manager secret ARN (got ${JSON.stringify(secretArn)})`);
    }
    try {
      return await ensureKey(secretArn, deadline);
    } catch (error) {
      log(JSON.stringify({ outcome: 'failed', secretArn, error: errorName(error), message: (error as Error).message }));
      throw error;
    }
  };
}

/** The private key in `secretString` when it is an RSA-2048 PKCS#8 PEM; undefined for anything else. */
export function usablePrivateKey(secretString: string | undefined): KeyObject | undefined {
  if (!secretString || !secretString.startsWith('-----BEGIN PRIVATE KEY-----')) { return undefined; }
  try {
    const key = createPrivateKey(secretString);
    const ok = key.asymmetricKeyType === 'rsa' && key.asymmetricKeyDetails?.modulusLength === MODULUS_LENGTH;
    return ok ? key : undefined;
  } catch {
    return undefined;
  }
}

function publicPem(privateKey: KeyObject): string {
  return createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
}

/** SHA-256 of the public key PEM, hex: what the log names (never the key itself). */
function fingerprint(publicKey: string): string {
  return createHash('sha256').update(publicKey).digest('hex');
}

/** The Lambda entry point (called by aws-cdk-lib's CustomResourceProvider framework). */
export const handler = makeHandler();
