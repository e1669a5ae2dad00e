/**
 * Deterministic MediaPackage VOD asset ids for objects ingested by a `BucketIngest` (shared by the construct at synth
 * time and by the ingest and backfill Lambda functions at run time: a pure module, Node's crypto only).
 *
 * An asset id is `<prefix>-<readable>-<hash>`:
 * - `prefix`: the ingest's asset id prefix (letters, digits and underscores, 1 to 64: NO hyphen). Since the prefix has no
 *   hyphen, the first hyphen of an asset id ends it, so `<prefix>-*` (the IAM resource
 *   `arn:<partition>:mediapackage-vod:<region>:<account>:assets/<prefix>-*` and the event rules) matches this ingest's
 *   assets only: another ingest's prefix `<prefix>x` or `<prefix>_x` never falls under it.
 * - `readable`: the object key with every run of characters other than `[0-9a-zA-Z_-]` turned into one `_`, leading and
 *   trailing `_`/`-` trimmed, cut to its last 100 characters (the end of a key, title folder and file name, tells
 *   objects apart best); `object` when nothing is left.
 * - `hash`: the first 20 hex characters (80 bits) of SHA-256 of `<bucket>/<key>`, so two keys that read the same after
 *   sanitizing (`a b.smil`, `a_b.smil`) still get different ids, and the same object always gets the same id.
 *
 * Keys are taken as S3 stores them (not URL-encoded): S3's EventBridge events and ListObjectsV2 both carry the raw key.
 * The result always matches the service's id rule `^[0-9a-zA-Z_-]{1,256}$` (at most 64 + 1 + 100 + 1 + 20 = 186).
 */
import { createHash } from 'crypto';

/** What an asset id prefix may be: 1 to 64 letters, digits and underscores (no hyphen: see the module comment). */
export const ASSET_ID_PREFIX_PATTERN = /^[0-9a-zA-Z_]{1,64}$/;

/** The longest asset id prefix. */
export const MAX_ASSET_ID_PREFIX_LENGTH = 64;

/** The longest readable part (taken from the end of the key). */
export const MAX_READABLE_PART_LENGTH = 100;

/** Hex characters of SHA-256 kept in an asset id. */
export const ASSET_ID_HASH_LENGTH = 20;

/** The service's rule for asset ids. */
export const ASSET_ID_PATTERN = /^[0-9a-zA-Z_-]{1,256}$/;

/** The readable part of an asset id for a key: sanitized to `[0-9a-zA-Z_-]`, trimmed, the last 100 characters. */
export function readablePartOf(key: string): string {
  let readable = key.replace(/[^0-9a-zA-Z_-]+/g, '_').replace(/^[_-]+|[_-]+$/g, '');
  if (readable.length > MAX_READABLE_PART_LENGTH) {
    readable = readable.slice(readable.length - MAX_READABLE_PART_LENGTH).replace(/^[_-]+/, '');
  }
  return readable.length > 0 ? readable : 'object';
}

/** The hash part of an asset id: 20 hex characters of SHA-256 of `<bucket>/<key>`. */
export function assetIdHashOf(bucket: string, key: string): string {
  return createHash('sha256').update(`${bucket}/${key}`, 'utf8').digest('hex').slice(0, ASSET_ID_HASH_LENGTH);
}

/**
 * The asset id of object `key` in `bucket` for the ingest with asset id prefix `prefix`: `<prefix>-<readable>-<hash>`.
 * Deterministic: the same inputs always give the same id. Throws when the prefix breaks ASSET_ID_PREFIX_PATTERN, or
 * the bucket or key is empty.
 */
export function assetIdFor(prefix: string, bucket: string, key: string): string {
  if (!ASSET_ID_PREFIX_PATTERN.test(prefix)) {
    throw new Error(`Asset id prefix must be 1 to ${MAX_ASSET_ID_PREFIX_LENGTH} letters, digits and underscores (got ${JSON.stringify(prefix)})`);
  }
  if (typeof bucket !== 'string' || bucket.length === 0) {
    throw new Error(`Bucket name must be a non-empty string (got ${JSON.stringify(bucket)})`);
  }
  if (typeof key !== 'string' || key.length === 0) {
    throw new Error(`Object key must be a non-empty string (got ${JSON.stringify(key)})`);
  }
  return `${prefix}-${readablePartOf(key)}-${assetIdHashOf(bucket, key)}`;
}

/** Whether `assetId` belongs to the ingest with this prefix (what the IAM resource `assets/<prefix>-*` allows). */
export function isAssetIdOfPrefix(prefix: string, assetId: string): boolean {
  return assetId.startsWith(`${prefix}-`) && ASSET_ID_PATTERN.test(assetId);
}
