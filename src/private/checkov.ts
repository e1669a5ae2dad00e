import { CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** One checkov check skipped on a resource, with the reason (checkov prints it as the suppress comment). */
interface CheckovSkip {
  readonly id: string;
  readonly comment: string;
}

/**
 * The CfnResource of a construct: itself, or its default child (an L2 construct's resource).
 */
function cfnResourceOf(construct: IConstruct): CfnResource {
  const cfn = CfnResource.isCfnResource(construct) ? construct : construct.node.defaultChild;
  if (!cfn || !CfnResource.isCfnResource(cfn)) {
    throw new Error(`checkov skip: ${construct.node.path} has no CloudFormation resource`);
  }
  return cfn;
}

/**
 * Records in the template why checkov check `id` does not apply to this resource: the resource's
 * `Metadata: { checkov: { skip: [{ id, comment }] } }`, which checkov reads (and prints the comment of). Skips of one
 * resource add up; the same id twice keeps the first reason. docs/security.md lists every skip of the library.
 */
export function skipCheckov(construct: IConstruct, id: string, comment: string): void {
  const cfn = cfnResourceOf(construct);
  const metadata = cfn.getMetadata('checkov') as { skip?: CheckovSkip[] } | undefined;
  const skips = metadata?.skip ?? [];
  if (skips.some(s => s.id === id)) { return; }
  cfn.addMetadata('checkov', { ...metadata, skip: [...skips, { id, comment }] });
}

/** The reasons shared by several resources of the library, so each reads the same wherever it appears. */
export const CHECKOV_REASONS = {
  /** CKV_AWS_27 on a queue with SqsManagedSseEnabled. */
  sqsManagedSse: 'False positive: the queue is encrypted at rest with SQS-managed keys (SqsManagedSseEnabled: true), which '
    + 'this check does not recognize. Pass encryptionKey for a customer managed KMS key.',
  /** CKV_AWS_117: Lambda in a VPC. */
  lambdaVpc: 'The function calls only public AWS APIs (MediaPackage VOD, SQS, DynamoDB, S3, CloudFormation) and reaches '
    + 'nothing inside a VPC; in a VPC it would need a NAT gateway or endpoints and gain no isolation.',
  /** CKV_AWS_173: environment variables encrypted with a customer managed key. */
  lambdaEnvironment: 'The environment holds ids, ARNs, names and settings, no secret; Lambda encrypts it at rest with its '
    + 'AWS managed key.',
  /** CKV_AWS_116: DLQ of a custom-resource provider function (invoked by CloudFormation). */
  providerDlq: 'A custom-resource provider: CloudFormation invokes it and waits for its answer, and a failure fails the '
    + 'stack operation, where it is seen. A dead-letter queue would hold CloudFormation\'s request, which no one replays.',
  /** CKV_AWS_115: reserved concurrency of a custom-resource provider function. */
  providerConcurrency: 'A custom-resource provider runs once per resource change of a deployment: reserving concurrency '
    + 'would take it away from the account\'s other functions for nothing.',
};

/**
 * The checks a custom-resource provider's function (aws-cdk-lib's CustomResourceProvider, a raw CfnResource `Handler`
 * under the provider) does not pass by design, skipped with their reasons. Idempotent: providers are shared per stack.
 */
export function skipProviderChecks(provider: IConstruct): void {
  const handler = provider.node.tryFindChild('Handler');
  if (!handler) { return; }
  skipCheckov(handler, 'CKV_AWS_115', CHECKOV_REASONS.providerConcurrency);
  skipCheckov(handler, 'CKV_AWS_116', CHECKOV_REASONS.providerDlq);
  skipCheckov(handler, 'CKV_AWS_117', CHECKOV_REASONS.lambdaVpc);
}

/** CKV_AWS_158 on a log group the library creates without a customer managed key. */
export const LOG_GROUP_KMS_REASON = 'Operational logs of the library\'s function, encrypted by CloudWatch Logs with its own '
  + 'key (the default). Pass logEncryptionKey for a customer managed KMS key.';

/** CKV_AWS_158 on the playback-URL function's log group without a key (one per stack, used by any asset). */
export const PLAYBACK_URL_LOG_GROUP_KMS_REASON = 'Operational logs of the library\'s DescribeAsset function (asset ids and '
  + 'egress URLs, no secret), encrypted by CloudWatch Logs with its own key (the default). Pass logEncryptionKey in the '
  + 'options of asset.playbackUrl (and playbackPathPattern) for a customer managed KMS key.';
