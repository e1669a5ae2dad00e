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
 * - Throttling, server and network errors (a stalled call ended by the client's request timeout included) are retried
 *   with backoff a bounded number of times; no call or retry starts past the invocation's deadline (less a margin to
 *   report the failure), and a call in flight is aborted there. The retry loop, deadline and client settings are the
 *   handlers' shared kit (src/private/runtime).
 *
 * Bundled with its SDK client by esbuild into assets/ (see .projenrc.ts).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'crypto';
// The SDK client is bundled into the handler asset at build time: it is not a runtime dependency of the library.
// eslint-disable-next-line import/no-extraneous-dependencies
import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { clientConfig, Deadline, describeError, errorName, lazy, RetriesExhausted, sender } from '../../../private/runtime';

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
  /** @default - one client per Lambda container (clientConfig: 3 s to connect, 10 s request timeout, no SDK retries) */
  readonly client?: SecretsManagerClient;
  /** @default - setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Math.random */
  readonly random?: () => number;
  /** @default console.log */
  readonly log?: (line: string) => void;
  /** Calls of one operation in all, including the first. @default 5 */
  readonly maxAttempts?: number;
  /** Cap of the first backoff, doubled on each further retry (equal jitter: half fixed, half drawn). @default 500 */
  readonly baseDelayMs?: number;
  /** Time kept at the end of the invocation to report a failure: no call or retry starts later. @default 10000 */
  readonly safetyMarginMs?: number;
}

/** The key CloudFront accepts for trusted key groups: RSA, 2048 bits. */
const MODULUS_LENGTH = 2048;
/** Secrets Manager ARNs (what the construct passes). */
const SECRET_ARN_PATTERN = /^arn:[a-z-]+:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/;

const defaultClient = lazy(() => new SecretsManagerClient(clientConfig()));

/** Creates a handler (tests inject the client pointed at a local server, and fast timing). */
export function makeHandler(options: SigningKeyHandlerOptions = {}):
(event: SigningKeyEvent, context?: DeadlineContext) => Promise<SigningKeyResponse> {
  const log = options.log ?? ((line: string) => console.log(line));
  const client = () => options.client ?? defaultClient();
  const policy = {
    maxAttempts: options.maxAttempts ?? 5,
    baseDelayMs: options.baseDelayMs ?? 500,
    maxDelayMs: 20_000,
    jitter: 'equal' as const,
    sleep: options.sleep,
    random: options.random,
  };
  const safetyMarginMs = options.safetyMarginMs ?? 10_000;

  async function ensureKey(secretArn: string, deadline: Deadline): Promise<SigningKeyResponse> {
    // Both calls are idempotent: a PutSecretValue repeated after a timeout writes the same private key again.
    const send = sender(policy, { deadline });
    const current = await send(`GetSecretValue ${secretArn}`,
      abortSignal => client().send(new GetSecretValueCommand({ SecretId: secretArn }), { abortSignal }));
    const existing = usablePrivateKey(current.SecretString);
    if (existing) {
      const publicKey = publicPem(existing);
      log(JSON.stringify({ outcome: 'kept', secretArn, publicKeySha256: fingerprint(publicKey) }));
      return { PhysicalResourceId: secretArn, Data: { PublicKey: publicKey } };
    }
    const pair = generateKeyPairSync('rsa', { modulusLength: MODULUS_LENGTH });
    const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await send(`PutSecretValue ${secretArn}`,
      abortSignal => client().send(new PutSecretValueCommand({ SecretId: secretArn, SecretString: privatePem }), { abortSignal }));
    const publicKey = publicPem(pair.privateKey);
    log(JSON.stringify({ outcome: 'generated', secretArn, publicKeySha256: fingerprint(publicKey) }));
    return { PhysicalResourceId: secretArn, Data: { PublicKey: publicKey } };
  }

  return async (event: SigningKeyEvent, context?: DeadlineContext): Promise<SigningKeyResponse> => {
    const deadline = Deadline.of(context ? () => context.getRemainingTimeInMillis() : undefined, safetyMarginMs);
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
      // Retries ran out (or the deadline came): the message names the operation, attempts and last error. Anything else
      // was not retryable: the service's error as it is, with the operation's context.
      const failure = error instanceof RetriesExhausted || errorName(error) === 'DeadlineReached'
        ? error as Error : new Error(`signing key for ${secretArn} failed: ${describeError(error)}`);
      log(JSON.stringify({ outcome: 'failed', secretArn, error: errorName(error), message: failure.message }));
      throw failure;
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
