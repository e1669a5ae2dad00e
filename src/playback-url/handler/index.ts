/**
 * The playback URL custom resource handler: the egress URL of one asset through one packaging configuration.
 *
 * Runs behind aws-cdk-lib's `CustomResourceProvider`: its framework calls `handler(event)`, sends SUCCESS with the
 * returned `{ PhysicalResourceId, Data }`, and sends FAILED with the thrown error's message as the reason.
 *
 * - Create/Update: DescribeAsset `{ Id }`, then the `egressEndpoints[].url` whose `packagingConfigurationId` is the
 *   configuration's. The service lists an endpoint per configuration of the group (the URL is known before the content
 *   is playable, and stays the same for the pair), but one may be missing for a while after creation: the handler asks
 *   again every `PollIntervalSeconds` until `TimeoutSeconds` (default 300) have passed, then fails saying which
 *   configurations the asset does list. Throttling (429), server (5xx) and network errors are retried within the same
 *   bound; anything else (404: no such asset; 403) fails at once with the service's message. The wait also ends at the
 *   invocation's deadline (less a margin): the client has connection and request timeouts and each call is aborted
 *   there, so a stalled call never holds the deploy past the function's timeout.
 * - Delete: nothing to undo (the resource only reads).
 * - Data: `Url` (the egress URL), `Host` and `Path` (`/out/v1/...`, with the query string if any), so that the construct
 *   can put the path on another host (a CloudFront distribution) in the template.
 *
 * Bundled with its SDK client by esbuild into assets/ (see .projenrc.ts).
 */
// The SDK client is bundled into the handler asset at build time: it is not a runtime dependency of the library.
// eslint-disable-next-line import/no-extraneous-dependencies
import { DescribeAssetCommand, DescribeAssetCommandOutput, MediaPackageVodClient } from '@aws-sdk/client-mediapackage-vod';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { clientConfig, Deadline, describeError, isAborted, isResourceId, isRetryable, lazy } from '../../private/runtime';

export { isRetryable };

/** The properties the construct passes to the custom resource (CloudFormation passes every value as a string). */
export interface PlaybackUrlResourceProperties {
  /** The id of the asset. */
  readonly AssetId: string;
  /** The id of the packaging configuration. */
  readonly PackagingConfigurationId: string;
  /** How long to wait for the configuration's endpoint. @default '300' */
  readonly TimeoutSeconds?: string;
  /** Seconds between two DescribeAsset calls while waiting. @default '5' */
  readonly PollIntervalSeconds?: string;
}

/** What the handler returns to the CustomResourceProvider framework. */
export interface PlaybackUrlResponse {
  /** `<asset id>/<configuration id>`. */
  readonly PhysicalResourceId: string;
  /** Attributes (Create and Update only). */
  readonly Data?: {
    /** The egress URL. */
    readonly Url: string;
    /** Its host. */
    readonly Host: string;
    /** Its path (and query string), starting with '/'. */
    readonly Path: string;
  };
}

/** The event type the handler takes. */
export type PlaybackUrlEvent = CloudFormationCustomResourceEvent<PlaybackUrlResourceProperties>;

/** Knobs of the handler; the defaults are what runs in Lambda. */
export interface PlaybackUrlHandlerOptions {
  /** @default - one MediaPackageVodClient per Lambda container, Region from the Lambda environment (AWS_REGION) */
  readonly client?: MediaPackageVodClient;
  /** @default console.log */
  readonly log?: (message: string) => void;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Time kept before the invocation's end: no call starts later, a call in flight is aborted there. @default 5000 */
  readonly deadlineMarginMs?: number;
}

/** The default bound of the wait: well under the provider function's 15-minute timeout. */
export const DEFAULT_TIMEOUT_SECONDS = 300;
const DEFAULT_POLL_INTERVAL_SECONDS = 5;
const DEFAULT_DEADLINE_MARGIN_MS = 5_000;
// One client per container; the SDK's own retries are off: the wait below is the only retry loop, bounded by TimeoutSeconds.
const defaultClient = lazy(() => new MediaPackageVodClient(clientConfig()));

/** A property that must be an id (1 to 256 letters, digits, hyphens, underscores). */
function requiredId(props: PlaybackUrlResourceProperties, name: 'AssetId' | 'PackagingConfigurationId'): string {
  const value = props[name];
  if (!isResourceId(value)) {
    throw new Error(`${name} must be 1 to 256 letters, digits, hyphens and underscores (got ${JSON.stringify(value)})`);
  }
  return value;
}

/** A positive number of seconds, or the default. */
function seconds(props: PlaybackUrlResourceProperties, name: 'TimeoutSeconds' | 'PollIntervalSeconds', fallback: number): number {
  const raw = props[name];
  if (raw === undefined || raw === '') { return fallback; }
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name} must be a positive number of seconds (got ${JSON.stringify(raw)})`);
  }
  return value;
}

/** Splits an egress URL into host and path (with the query string). */
export function splitUrl(url: string): { host: string; path: string } {
  const parsed = new URL(url);
  return { host: parsed.host, path: `${parsed.pathname}${parsed.search}` };
}

/**
 * Creates a handler with the given options (tests inject a client pointed at the fake VOD API).
 */
export function makeHandler(options: PlaybackUrlHandlerOptions = {}):
(event: PlaybackUrlEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>) => Promise<PlaybackUrlResponse> {
  const log = options.log ?? ((message: string) => console.log(message));
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms)));

  async function findUrl(assetId: string, configurationId: string, timeoutMs: number, intervalMs: number, invocation: Deadline): Promise<string> {
    const client = options.client ?? defaultClient();
    const started = now();
    // The wait ends after TimeoutSeconds or at the invocation's deadline, whichever comes first; a call in flight is
    // aborted at the invocation's deadline only (one started in time may finish after TimeoutSeconds).
    const wait = Deadline.after(timeoutMs, 0, now).earlier(invocation);
    for (let attempt = 1; ; attempt++) {
      let waitingFor: string;
      try {
        const output: DescribeAssetCommandOutput = await client.send(new DescribeAssetCommand({ Id: assetId }), { abortSignal: invocation.signal() });
        const endpoints = output.EgressEndpoints ?? [];
        const url = endpoints.find(e => e.PackagingConfigurationId === configurationId)?.Url;
        if (url) { return url; }
        const listed = endpoints.map(e => e.PackagingConfigurationId).filter(id => !!id);
        waitingFor = `the asset lists no egress endpoint for the configuration yet (it lists ${listed.length ? listed.map(id => `'${id}'`).join(', ') : 'none'})`;
      } catch (error) {
        if (isAborted(error)) {
          throw new Error(`DescribeAsset '${assetId}' did not answer before the function's deadline (call ${attempt}; stopped to answer CloudFormation in time)`);
        }
        if (!isRetryable(error)) {
          throw new Error(`DescribeAsset '${assetId}' failed: ${describeError(error)}`);
        }
        waitingFor = `DescribeAsset failed with ${describeError(error)}`;
      }
      const remaining = wait.remainingMs();
      // No call starts without time left (a poll interval at least) before the deadline.
      if (remaining <= 0 || (invocation.remainingMs() <= intervalMs && remaining >= invocation.remainingMs())) {
        throw new Error(`No playback URL for asset '${assetId}' and packaging configuration '${configurationId}' after `
          + `${Math.round((now() - started) / 1000)} s and ${attempt} DescribeAsset calls: ${waitingFor}. Is the configuration in the asset's packaging group?`);
      }
      log(JSON.stringify({ message: 'waiting for the egress endpoint', assetId, configurationId, attempt, reason: waitingFor }));
      await sleep(Math.min(intervalMs, remaining));
    }
  }

  return async (event: PlaybackUrlEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<PlaybackUrlResponse> => {
    const invocation = Deadline.of(context?.getRemainingTimeInMillis?.bind(context), options.deadlineMarginMs ?? DEFAULT_DEADLINE_MARGIN_MS);
    switch (event.RequestType) {
      case 'Create':
      case 'Update': {
        const props = event.ResourceProperties;
        let assetId: string, configurationId: string, timeoutMs: number, intervalMs: number;
        try {
          assetId = requiredId(props, 'AssetId');
          configurationId = requiredId(props, 'PackagingConfigurationId');
          timeoutMs = seconds(props, 'TimeoutSeconds', DEFAULT_TIMEOUT_SECONDS) * 1000;
          intervalMs = seconds(props, 'PollIntervalSeconds', DEFAULT_POLL_INTERVAL_SECONDS) * 1000;
        } catch (error) {
          // Bad input is never retried: one structured line, then the failure goes back to CloudFormation.
          log(JSON.stringify({ message: 'bad input', error: (error as Error).message, requestType: event.RequestType }));
          throw error;
        }
        const url = await findUrl(assetId, configurationId, timeoutMs, intervalMs, invocation);
        const { host, path } = splitUrl(url);
        log(JSON.stringify({ message: 'playback URL', assetId, configurationId, url }));
        return { PhysicalResourceId: `${assetId}/${configurationId}`, Data: { Url: url, Host: host, Path: path } };
      }
      case 'Delete':
        // Nothing was created: the resource only reads.
        return { PhysicalResourceId: event.PhysicalResourceId };
      default:
        throw new Error(`Unknown request type: ${(event as { RequestType?: string }).RequestType}`);
    }
  };
}

/** The Lambda entry point (called by aws-cdk-lib's CustomResourceProvider framework). */
export const handler = makeHandler();
