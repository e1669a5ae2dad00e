import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CHECKOV_REASONS, skipCheckov } from './checkov';
import { logGroupEncryption } from './log-encryption';
import { bundleDir } from './providers';

/**
 * The one recipe for the library's queue-driven Lambda functions whose handlers it bundles (the ingest function, the
 * backfill worker): a log group with a retention (and the owner's `logEncryptionKey`, or its checkov skip), a role that
 * only Lambda assumes and that may write to that log group, the function (Node.js 22, arm64) on the bundle of `entry`,
 * and its SQS event source with partial batch responses. The custom-resource providers (providers.ts) are built by
 * aws-cdk-lib's CustomResourceProvider instead, which makes its own role and function.
 *
 * The construct ids are the caller's, so the resources keep their logical ids.
 */
export interface BundledFunctionProps {
  /** Ids of the three constructs, under the scope. */
  readonly ids: { readonly logGroup: string; readonly role: string; readonly function: string };
  /** The handler's folder under src/ (see `bundleDir`), e.g. `ingest/handler`. */
  readonly entry: string;
  /** The function's description (already fitted to Lambda's limit). */
  readonly description: string;
  /** The role's description (already fitted to IAM's limit). */
  readonly roleDescription: string;
  readonly timeout: Duration;
  /** @default 256 */
  readonly memorySize?: number;
  readonly environment: Record<string, string>;
  /** How long the function's logs are kept. @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default - CloudWatch Logs encrypts the logs with its own key (checkov skip with the library's reason) */
  readonly logEncryptionKey?: kms.IKey;
  /** The queue the function consumes (partial batch responses on). */
  readonly queue: sqs.IQueue;
  readonly batchSize: number;
  readonly maxConcurrency: number;
  /** Why the function needs no reserved concurrency (checkov CKV_AWS_115). */
  readonly concurrencyReason: string;
  /** Why the function needs no dead-letter queue of its own (checkov CKV_AWS_116). */
  readonly deadLetterReason: string;
}

/** What the recipe built. */
export interface BundledFunction {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
}

/** Builds the function, its role and its log group under `scope` (see BundledFunctionProps). */
export function bundledFunction(scope: Construct, props: BundledFunctionProps): BundledFunction {
  const logGroup = new logs.LogGroup(scope, props.ids.logGroup, {
    retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    // Deleted with the stack: the function goes with it, and these are operational logs only.
    removalPolicy: RemovalPolicy.DESTROY,
    encryptionKey: props.logEncryptionKey,
  });
  logGroupEncryption(logGroup, props.logEncryptionKey);
  const role = new iam.Role(scope, props.ids.role, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: props.roleDescription,
  });
  logGroup.grantWrite(role);
  const fn = new lambda.Function(scope, props.ids.function, {
    description: props.description,
    code: lambda.Code.fromAsset(bundleDir(props.entry)),
    handler: 'index.handler',
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: props.memorySize ?? 256,
    timeout: props.timeout,
    role,
    logGroup,
    environment: props.environment,
  });
  fn.addEventSource(new SqsEventSource(props.queue, {
    batchSize: props.batchSize,
    reportBatchItemFailures: true,
    maxConcurrency: props.maxConcurrency,
  }));
  skipCheckov(fn, 'CKV_AWS_115', props.concurrencyReason);
  skipCheckov(fn, 'CKV_AWS_116', props.deadLetterReason);
  skipCheckov(fn, 'CKV_AWS_117', CHECKOV_REASONS.lambdaVpc);
  skipCheckov(fn, 'CKV_AWS_173', CHECKOV_REASONS.lambdaEnvironment);
  return { function: fn, role, logGroup };
}
