/** The ingest function's configuration: read from the environment (contract.ts IngestEnv) and checked once. */
import { ASSET_ID_PREFIX_PATTERN } from '../asset-id';
import { IngestEnv, OnReuploadValue } from '../contract';

/** The function's configuration (from the environment in Lambda). */
export interface IngestConfig {
  readonly packagingGroupId: string;
  readonly sourceRoleArn: string;
  readonly assetIdPrefix: string;
  readonly keyPatterns: string[];
  readonly onReupload: 'KEEP' | 'REPLACE';
  readonly deleteAssetsWithObjects: boolean;
  readonly maxAttempts: number;
  readonly deadLetterQueueUrl?: string;
  /** The ingest queue (deferred records go back there). @default - none: a deferred record is reported as a failure */
  readonly ingestQueueUrl?: string;
  /** The queue's maxReceiveCount. @default 1 (every delivery is the last) */
  readonly maxReceiveCount?: number;
  readonly endpoint?: string;
  /** The catalog table (catalog: true). */
  readonly catalogTableName?: string;
  /** The CloudFront domain of the catalog's playback URLs. */
  readonly catalogPlaybackDomain?: string;
  readonly dynamodbEndpoint?: string;
  /** Tests only: a local S3 (path-style). */
  readonly s3Endpoint?: string;
}

const DEFAULT_MAX_ATTEMPTS = 6;

/** Reads and checks the configuration; throws on a bad one (the whole batch then fails and is retried). */
export function configFromEnv(env: Record<string, string | undefined> = process.env): IngestConfig {
  const required = (name: string): string => {
    const value = env[name];
    if (!value) { throw new Error(`Environment variable ${name} is not set`); }
    return value;
  };
  const prefix = required(IngestEnv.ASSET_ID_PREFIX);
  if (!ASSET_ID_PREFIX_PATTERN.test(prefix)) { throw new Error(`${IngestEnv.ASSET_ID_PREFIX} is not a valid asset id prefix: ${prefix}`); }
  let keyPatterns: unknown;
  try {
    keyPatterns = JSON.parse(required(IngestEnv.KEY_PATTERNS));
  } catch (error) {
    throw new Error(`${IngestEnv.KEY_PATTERNS} is not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(keyPatterns) || keyPatterns.length === 0 || !keyPatterns.every(p => typeof p === 'string')) {
    throw new Error(`${IngestEnv.KEY_PATTERNS} must be a non-empty JSON array of strings`);
  }
  const onReupload = env[IngestEnv.ON_REUPLOAD] ?? OnReuploadValue.KEEP;
  if (onReupload !== OnReuploadValue.KEEP && onReupload !== OnReuploadValue.REPLACE) {
    throw new Error(`${IngestEnv.ON_REUPLOAD} must be KEEP or REPLACE (got ${onReupload})`);
  }
  const maxAttempts = Number(env[IngestEnv.MAX_ATTEMPTS] ?? DEFAULT_MAX_ATTEMPTS);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 20) {
    throw new Error(`${IngestEnv.MAX_ATTEMPTS} must be an integer from 1 to 20 (got ${env[IngestEnv.MAX_ATTEMPTS]})`);
  }
  const maxReceiveCount = Number(env[IngestEnv.MAX_RECEIVE_COUNT] ?? 1);
  if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
    throw new Error(`${IngestEnv.MAX_RECEIVE_COUNT} must be an integer from 1 to 1000 (got ${env[IngestEnv.MAX_RECEIVE_COUNT]})`);
  }
  return {
    packagingGroupId: required(IngestEnv.PACKAGING_GROUP_ID),
    sourceRoleArn: required(IngestEnv.SOURCE_ROLE_ARN),
    assetIdPrefix: prefix,
    keyPatterns: keyPatterns as string[],
    onReupload,
    deleteAssetsWithObjects: env[IngestEnv.DELETE_ASSETS_WITH_OBJECTS] === 'true',
    maxAttempts,
    deadLetterQueueUrl: env[IngestEnv.DEAD_LETTER_QUEUE_URL] || undefined,
    ingestQueueUrl: env[IngestEnv.INGEST_QUEUE_URL] || undefined,
    maxReceiveCount,
    endpoint: env[IngestEnv.MEDIAPACKAGE_VOD_ENDPOINT] || undefined,
    catalogTableName: env[IngestEnv.CATALOG_TABLE_NAME] || undefined,
    catalogPlaybackDomain: env[IngestEnv.CATALOG_PLAYBACK_DOMAIN] || undefined,
    dynamodbEndpoint: env[IngestEnv.DYNAMODB_ENDPOINT] || undefined,
    s3Endpoint: env[IngestEnv.S3_ENDPOINT] || undefined,
  };
}
