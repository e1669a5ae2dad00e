/**
 * What the L1 and L2 benchmark stacks share: environment, names and the content of the packaging configurations, so
 * that both stacks describe the same infrastructure.
 */
import { Environment } from 'aws-cdk-lib';

/** A concrete environment: no lookups, literal partition and Region in ARNs. */
export const BENCH_ENV: Environment = { account: '111111111111', region: 'us-east-1' };

/** The SPEKE key server (an API Gateway URL, so the SPEKE role gets execute-api:Invoke on it). */
export const KEY_SERVER_URL = 'https://abc123def4.execute-api.us-east-1.amazonaws.com/prod/speke/v2.0/copyProtection';

/** The bucket that holds all sources (imported: content is uploaded outside the stack). */
export const SOURCE_BUCKET_NAME = 'bench-vod-sources';

/** The egress access log group (MediaPackage writes only to /aws/MediaPackage/...). */
export const ACCESS_LOG_GROUP_NAME = '/aws/MediaPackage/bench-vod-egress';

/** The source key of asset `i`. */
export function sourceKey(i: number): string {
  return `movies/movie${i}/index.smil`;
}

/** CloudFormation limits the benchmark checks. */
export const LIMITS = {
  /** Resources per stack (also enforced by CDK at synth: `@aws-cdk/core:stackResourceLimit`). */
  resources: 500,
  /** Template body uploaded through S3 (CDK warns above 1,000,000 characters). */
  templateBytes: 1_048_576,
  /** Aggregate inline policy size per IAM role (whitespace excluded). */
  rolePolicyBytes: 10_240,
};

/** Options of both benchmark stacks. */
export interface BenchStackOptions {
  /** Number of assets, all read from the one source bucket. */
  readonly assets: number;
}
