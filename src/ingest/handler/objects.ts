/**
 * The source objects as S3 has them now (HeadObject): the ingest checks the world, not the event, before it creates or
 * deletes an asset.
 *
 * Keys: whether `detail.object.key` of S3's EventBridge events is URL-encoded is not settled by a primary source, so the
 * key is resolved without guessing: the key as sent first; when no such object exists, its decoded form (`+` as a space,
 * then percent-decoding, as Powertools' `unquote_plus`). The backfill sends keys as ListObjectsV2 gives them (raw), which
 * exist as sent: one object, one key, one asset id, whichever path brings it.
 */
/* eslint-disable import/no-extraneous-dependencies */
// Bundled into the function's asset at build time (not a runtime dependency of the library).
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
/* eslint-enable import/no-extraneous-dependencies */
import { isNotFound, Send } from '../../private/runtime';

/** What HeadObject says of one key. */
export interface ObjectState {
  readonly key: string;
  /** The current version's ETag (without quotes). */
  readonly etag?: string;
}

/** Reads object metadata (the S3 implementation in Lambda; tests may give another store). */
export interface ObjectStore {
  /** The object's state, or undefined when there is none (404: never written, deleted, or a delete marker). */
  head(bucket: string, key: string): Promise<ObjectState | undefined>;
}

/** HeadObject through the handler's retry policy. A 403 is thrown (never taken for "gone"). */
export class S3ObjectStore implements ObjectStore {
  constructor(private readonly s3: S3Client, private readonly send: Send) {}

  public async head(bucket: string, key: string): Promise<ObjectState | undefined> {
    try {
      const output = await this.send('HeadObject', abortSignal => this.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal }));
      return { key, etag: output.ETag?.replace(/^"|"$/g, '') };
    } catch (error) {
      if (isNotFound(error)) { return undefined; }
      throw error;
    }
  }
}

/** The decoded form of a key (`+` as space, then percent-decoding), or undefined when it is the same or not decodable. */
export function decodedKey(key: string): string | undefined {
  try {
    const decoded = decodeURIComponent(key.replace(/\+/g, ' '));
    return decoded !== key ? decoded : undefined;
  } catch {
    return undefined; // a `%` that starts no escape: the key can only be meant as it is
  }
}

/** The keys a message may mean: as sent, then the decoded form if it differs. */
export function candidateKeys(key: string): string[] {
  const decoded = decodedKey(key);
  return decoded === undefined ? [key] : [key, decoded];
}

/** The object a key means: the first candidate that exists, or undefined when none does. */
export async function resolveObject(store: ObjectStore, bucket: string, key: string): Promise<ObjectState | undefined> {
  for (const candidate of candidateKeys(key)) {
    const state = await store.head(bucket, candidate);
    if (state) { return state; }
  }
  return undefined;
}
