/**
 * The ConfigureLogs custom resource handler (MediaPackage VOD egress access logs of a packaging group).
 *
 * Runs behind aws-cdk-lib's `CustomResourceProvider`: its framework calls `handler(event)`, sends SUCCESS with the
 * returned `{ PhysicalResourceId, Data }`, and sends FAILED with the thrown error's message as the reason.
 *
 * - Create/Update: ConfigureLogs `{ Id, EgressAccessLogs: { LogGroupName } }` (`EgressAccessLogs: {}` when no name is
 *   given: the service picks its default group). The physical id is the group id, so an Update to another group returns
 *   a new physical id and CloudFormation then sends Delete for the old one (a clean replacement).
 * - Delete: ConfigureLogs `{ Id }` without EgressAccessLogs turns logging off; the log group is never deleted. A group
 *   that no longer exists (404) counts as done.
 * - Throttling (429) and server errors (5xx) are retried with exponential backoff and jitter, a bounded number of times;
 *   anything else fails at once with the service's message.
 * - ConfigureLogs is a PUT of the whole setting: repeating an event gives the same result.
 * - Time: the client has connection and request timeouts, each call is aborted at the invocation's deadline (less a
 *   margin), and no retry starts past it: the handler answers CloudFormation before Lambda stops it.
 *
 * Bundled with its SDK client by esbuild into assets/ (see .projenrc.ts): plain TypeScript, no bundler-specific code.
 */
// The SDK client is bundled into the handler asset at build time: it is not a runtime dependency of the library.
// eslint-disable-next-line import/no-extraneous-dependencies
import { ConfigureLogsCommand, ConfigureLogsCommandInput, ConfigureLogsCommandOutput, MediaPackageVodClient } from '@aws-sdk/client-mediapackage-vod';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import {
  clientConfig, Deadline, describeError, isAborted, isNotFound, isResourceId, isRetryable, lazy, retry, RetriesExhausted,
} from '../../private/runtime';

export { isRetryable };

/** The properties the construct passes to the custom resource. */
export interface AccessLogsResourceProperties {
  /** The id of the packaging group. */
  readonly PackagingGroupId: string;
  /** The log group name; absent for the service's default group. */
  readonly LogGroupName?: string;
}

/** What the handler returns to the CustomResourceProvider framework. */
export interface AccessLogsResponse {
  /** The packaging group id. */
  readonly PhysicalResourceId: string;
  /** Attributes (Create and Update only). */
  readonly Data?: {
    /** The packaging group id. */
    readonly PackagingGroupId: string;
    /** The log group the service reports it writes to ('' if it does not say). */
    readonly LogGroupName: string;
  };
}

/** Knobs of the handler; the defaults are what runs in Lambda. Tests inject `sleep` (and a `random`) to run fast. */
export interface AccessLogsHandlerOptions {
  /** @default - one MediaPackageVodClient per Lambda container, Region from the Lambda environment (AWS_REGION) */
  readonly client?: MediaPackageVodClient;
  /** @default - setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Math.random */
  readonly random?: () => number;
  /** @default console.log */
  readonly log?: (message: string) => void;
  /** Calls in all, including the first. @default 8 */
  readonly maxAttempts?: number;
  /** Backoff before the first retry, doubled on each further retry. @default 500 */
  readonly baseDelayMs?: number;
  /** Cap of one backoff. @default 20000 */
  readonly maxDelayMs?: number;
  /** Time kept before the invocation's end: no call or retry starts later, a call in flight is aborted there. @default 5000 */
  readonly deadlineMarginMs?: number;
}

/** The event type the handler takes. */
export type AccessLogsEvent = CloudFormationCustomResourceEvent<AccessLogsResourceProperties>;

const DEFAULT_MAX_ATTEMPTS = 8;
const DEFAULT_BASE_DELAY_MS = 500;
const DEFAULT_MAX_DELAY_MS = 20_000;
const DEFAULT_DEADLINE_MARGIN_MS = 5_000;

// One client per container; the SDK's own retries are off: the retry policy below is the only one.
const defaultClient = lazy(() => new MediaPackageVodClient(clientConfig()));

/**
 * Creates a handler with the given options (tests inject a fast `sleep`).
 */
export function makeHandler(options: AccessLogsHandlerOptions = {}):
(event: AccessLogsEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>) => Promise<AccessLogsResponse> {
  const log = options.log ?? ((message: string) => console.log(message));
  // Exponential backoff with "equal jitter": half fixed, half random, so retries of many resources spread out.
  const policy = {
    maxAttempts: Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS),
    baseDelayMs: options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS,
    maxDelayMs: options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS,
    jitter: 'equal' as const,
    sleep: options.sleep,
    random: options.random,
  };

  /** Sends ConfigureLogs, retrying what is worth retrying; throws the last error otherwise. */
  async function configureLogs(input: ConfigureLogsCommandInput, deadline: Deadline): Promise<ConfigureLogsCommandOutput> {
    const client = options.client ?? defaultClient();
    return retry('ConfigureLogs', () => client.send(new ConfigureLogsCommand(input), { abortSignal: deadline.signal() }), policy, {
      deadline,
      onRetry: (error, attempt, delay) =>
        log(`ConfigureLogs ${input.Id}: attempt ${attempt} of ${policy.maxAttempts} failed (${describeError(error)}); retrying in ${delay} ms`),
    });
  }

  async function turnOn(groupId: string, logGroupName: string | undefined, deadline: Deadline): Promise<AccessLogsResponse> {
    // Without a name, `EgressAccessLogs: {}` turns logging on with the service's default group (the service picks it).
    const egressAccessLogs = logGroupName ? { LogGroupName: logGroupName } : {};
    log(`ConfigureLogs ${groupId}: turning egress access logs on (${logGroupName ?? 'the service\'s default log group'})`);
    let output: ConfigureLogsCommandOutput;
    try {
      output = await configureLogs({ Id: groupId, EgressAccessLogs: egressAccessLogs }, deadline);
    } catch (error) {
      throw failure(groupId, error);
    }
    return {
      PhysicalResourceId: groupId,
      Data: { PackagingGroupId: groupId, LogGroupName: output.EgressAccessLogs?.LogGroupName ?? logGroupName ?? '' },
    };
  }

  async function turnOff(groupId: string, deadline: Deadline): Promise<AccessLogsResponse> {
    if (!isResourceId(groupId)) {
      // Not a group id (e.g. a placeholder id of a failed create): nothing was configured.
      log(`ConfigureLogs: physical id '${groupId}' is not a packaging group id; nothing to turn off`);
      return { PhysicalResourceId: groupId };
    }
    log(`ConfigureLogs ${groupId}: turning egress access logs off (the log group is kept)`);
    try {
      // No EgressAccessLogs: logging off.
      await configureLogs({ Id: groupId }, deadline);
    } catch (error) {
      if (isNotFound(error)) {
        log(`ConfigureLogs ${groupId}: the packaging group no longer exists; nothing to turn off`);
        return { PhysicalResourceId: groupId };
      }
      throw failure(groupId, error);
    }
    return { PhysicalResourceId: groupId };
  }

  return async (event, context) => {
    const getRemaining = context?.getRemainingTimeInMillis?.bind(context);
    const deadline = Deadline.of(getRemaining, options.deadlineMarginMs ?? DEFAULT_DEADLINE_MARGIN_MS);
    switch (event.RequestType) {
      case 'Create':
      case 'Update': {
        const groupId = requiredGroupId(event.ResourceProperties);
        const logGroupName = event.ResourceProperties.LogGroupName || undefined;
        if (event.RequestType === 'Update' && event.PhysicalResourceId !== groupId) {
          // A new physical id: CloudFormation sends Delete for the old group once the update succeeds.
          log(`ConfigureLogs: packaging group changed from '${event.PhysicalResourceId}' to '${groupId}'; the old one is turned off by the Delete that follows`);
        }
        return turnOn(groupId, logGroupName, deadline);
      }
      case 'Delete':
        return turnOff(event.PhysicalResourceId, deadline);
      default:
        throw new Error(`Unknown request type: ${(event as { RequestType?: string }).RequestType}`);
    }
  };
}

/** A failure with a clear reason: the operation, the group, and the service's error and message. */
function failure(groupId: string, error: unknown): Error {
  const detail = error instanceof RetriesExhausted
    ? `gave up after ${error.attempts} attempts, last error ${describeError(error.lastError)}`
    : isAborted(error) ? 'stopped at the function\'s deadline (the call did not answer in time)' : describeError(error);
  return new Error(`ConfigureLogs for packaging group '${groupId}' failed: ${detail}`);
}

function requiredGroupId(props: AccessLogsResourceProperties): string {
  const groupId = props.PackagingGroupId;
  if (!isResourceId(groupId)) {
    throw new Error(`PackagingGroupId must be 1 to 256 letters, digits, hyphens and underscores (got ${JSON.stringify(groupId)})`);
  }
  return groupId;
}

/** The Lambda entry point (called by aws-cdk-lib's CustomResourceProvider framework). */
export const handler = makeHandler();
