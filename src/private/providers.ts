import * as path from 'path';
import {
  CustomResource,
  CustomResourceProvider,
  CustomResourceProviderRuntime,
  Duration,
  Fn,
  Names,
  RemovalPolicy,
  Size,
  Stack,
  Token,
  TokenComparison,
} from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { skipProviderChecks } from './checkov';
import { fail } from './errors';
import { logGroupEncryption } from './log-encryption';
import { stackSingleton } from './singleton';

/**
 * The one recipe for the custom-resource providers whose handlers this library bundles (playback URLs, egress access
 * logs, the ingest backfill):
 * - `stackProvider`: one function and role per stack, shared by every resource of its kind (its policy is fixed when
 *   first created: give patterns, not per-resource ARNs);
 * - `instanceProvider`: one function per owning construct, on purpose (its policy names that construct's resources);
 * - either way a log group with a retention (CustomResourceProvider has no log-group option, and Lambda would create
 *   `/aws/lambda/<name>` itself and keep the logs forever), and `bundledResource` sets the custom resource's
 *   `serviceTimeout` from the function's timeout, so CloudFormation stops waiting soon after the function cannot answer
 *   any more (its default is one hour);
 * - the function's checkov skips (`skipProviderChecks`), and the log group's KMS key (`logEncryptionKey`) or its
 *   checkov skip.
 * The queue-driven functions (the ingest function, the backfill worker) are plain `lambda.Function`s with a role and log
 * group of their own: their recipe is bundled-function.ts.
 */

/** The function's timeout when none is given: CustomResourceProvider's default. */
const DEFAULT_TIMEOUT = Duration.minutes(15);
/**
 * How much longer than the function's timeout CloudFormation waits for an answer: the invocation's start-up and the
 * response's upload. A function that timed out sent nothing: one minute later the deployment fails (and rolls back)
 * instead of waiting an hour. A Lambda retry of a timed-out invocation is therefore not waited for.
 */
const SERVICE_TIMEOUT_MARGIN = Duration.minutes(1);

/**
 * The folder of a handler bundle that `npx projen bundle` writes (`src/<entry>/index.ts` to `assets/<entry>/index`);
 * the npm package ships assets/. `entry` is the handler's folder under src/, e.g. `playback-url/handler`.
 */
export function bundleDir(entry: string): string {
  return path.join(__dirname, '..', '..', 'assets', entry, 'index');
}

/** What a provider's function is and may do. */
export interface BundledProviderProps {
  /** The handler's folder under src/ (see `bundleDir`), e.g. `playback-url/handler`. */
  readonly entry: string;
  /** The function's description. */
  readonly description: string;
  /** The statements of the function role's inline policy (CloudFormation JSON). */
  readonly policyStatements: unknown[];
  /** @default Duration.minutes(15) */
  readonly timeout?: Duration;
  /** @default - CustomResourceProvider's default (128 MiB) */
  readonly memorySize?: Size;
  /** How long the function's logs are kept. @default logs.RetentionDays.ONE_WEEK */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Encrypt the function's log group with this KMS key (the owner's `logEncryptionKey` prop). A stack provider's log
   * group is shared: every later use must give the same key (or none), or it fails on property `logEncryptionKey`.
   * @default - CloudWatch Logs encrypts the logs with its own key
   */
  readonly logEncryptionKey?: kms.IKey;
  /**
   * The property path that names `logEncryptionKey` in the owner's API, for the error when two uses disagree.
   * @default 'logEncryptionKey'
   */
  readonly logEncryptionKeyPath?: string;
  /**
   * Why the log group needs no customer managed key, when `logEncryptionKey` is absent (its checkov skip).
   * @default - a function's operational logs; pass logEncryptionKey for a customer managed key
   */
  readonly unencryptedLogReason?: string;
}

/** A provider built by this recipe: pass it to `bundledResource`. */
export interface BundledProvider {
  /** The provider (its function and role). */
  readonly provider: CustomResourceProvider;
  /** The function's log group, with its retention; deleted with the stack (operational logs only). */
  readonly logGroup: logs.ILogGroup;
  /** How long CloudFormation waits for the function's answer: its timeout plus a margin. */
  readonly serviceTimeout: Duration;
}

/** The same key: the same construct, or two references with the same literal ARN (e.g. two `Key.fromKeyArn` imports). */
function sameKey(a: kms.IKey | undefined, b: kms.IKey | undefined): boolean {
  if (a === b) { return true; }
  if (!a || !b) { return false; }
  return Token.compareStrings(a.keyArn, b.keyArn) === TokenComparison.SAME;
}

/**
 * The stack's one provider with this id (created on first use; later calls return it and ignore `props`), and its log
 * group `<id without 'Custom::'>LogGroup` at the stack's top level.
 */
export function stackProvider(scope: IConstruct, id: string, props: BundledProviderProps): BundledProvider {
  const stack = Stack.of(scope);
  const provider = newProvider(stack, id, props);
  const logGroup = stackSingleton(stack, `${id.replace(/^Custom::/, '')}LogGroup`,
    (s, logGroupId) => newLogGroup(s, logGroupId, provider, props));
  // One log group per stack: every user of the provider must agree on its key.
  const existing = logGroupKeys.get(logGroup);
  if (!sameKey(existing, props.logEncryptionKey)) {
    fail(scope, props.logEncryptionKeyPath ?? 'logEncryptionKey', `the log group of the stack's function ${id} is shared by every resource of its kind in the `
      + `stack and was already created with ${existing ? `the key ${existing.node.path}` : 'no key'}: give the same `
      + 'logEncryptionKey to each', props.logEncryptionKey?.node.path);
  }
  return { provider, logGroup, serviceTimeout: serviceTimeoutOf(props) };
}

/**
 * A provider of `owner` alone (stack-level id `<idPrefix><owner's unique id>`, as CustomResourceProvider functions live
 * at the stack's top level), and its log group `logGroupId` under `owner`.
 */
export function instanceProvider(owner: Construct, idPrefix: string, logGroupId: string, props: BundledProviderProps): BundledProvider {
  const provider = newProvider(Stack.of(owner), `${idPrefix}${Names.nodeUniqueId(owner.node)}`, props);
  const logGroup = newLogGroup(owner, logGroupId, provider, props);
  return { provider, logGroup, serviceTimeout: serviceTimeoutOf(props) };
}

/** A custom resource of a bundled provider. */
export interface BundledResourceProps {
  /** The resource type in the template (`Custom::...`). */
  readonly resourceType: string;
  /** The properties passed to the handler. @default - none */
  readonly properties?: Record<string, unknown>;
}

/**
 * A custom resource on `provider`: with its `serviceTimeout`, and created after the log group (so the function's first
 * run logs there, with the retention, rather than into a group Lambda creates).
 */
export function bundledResource(scope: Construct, id: string, provider: BundledProvider, props: BundledResourceProps): CustomResource {
  const resource = new CustomResource(scope, id, {
    serviceToken: provider.provider.serviceToken,
    serviceTimeout: provider.serviceTimeout,
    resourceType: props.resourceType,
    properties: props.properties,
  });
  resource.node.addDependency(provider.logGroup);
  return resource;
}

/** The key each provider log group was created with (to reject a second, different one for a shared group). */
const logGroupKeys = new WeakMap<logs.ILogGroup, kms.IKey | undefined>();

function newProvider(stack: Stack, id: string, props: BundledProviderProps): CustomResourceProvider {
  const provider = CustomResourceProvider.getOrCreateProvider(stack, id, {
    codeDirectory: bundleDir(props.entry),
    // nodejs22.x: the newest runtime CustomResourceProviderRuntime offers in both aws-cdk-lib 2.224 and 2.257.
    runtime: CustomResourceProviderRuntime.NODEJS_22_X,
    description: props.description,
    timeout: props.timeout,
    memorySize: props.memorySize,
    policyStatements: props.policyStatements,
  });
  skipProviderChecks(provider);
  return provider;
}

function serviceTimeoutOf(props: BundledProviderProps): Duration {
  return Duration.seconds((props.timeout ?? DEFAULT_TIMEOUT).toSeconds() + SERVICE_TIMEOUT_MARGIN.toSeconds());
}

function newLogGroup(scope: Construct, id: string, provider: CustomResourceProvider, props: BundledProviderProps): logs.LogGroup {
  const logGroup = new logs.LogGroup(scope, id, {
    // The function name is the last part of its ARN (arn:<partition>:lambda:<region>:<account>:function:<name>).
    logGroupName: `/aws/lambda/${Fn.select(6, Fn.split(':', provider.serviceToken))}`,
    retention: props.logRetention ?? logs.RetentionDays.ONE_WEEK,
    // Deleted with the stack: the function goes with it, and these are operational logs only.
    removalPolicy: RemovalPolicy.DESTROY,
    encryptionKey: props.logEncryptionKey,
  });
  logGroupEncryption(logGroup, props.logEncryptionKey, props.unencryptedLogReason);
  logGroupKeys.set(logGroup, props.logEncryptionKey);
  return logGroup;
}
