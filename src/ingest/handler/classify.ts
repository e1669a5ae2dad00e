/**
 * What one SQS message of the ingest queue is, decided once from its body: an S3 object event or a backfill message
 * (an object to ingest or to delete the asset of), a MediaPackage status event (the catalog rule's messages), or
 * something that can never be processed (malformed: dead-lettered at once).
 */
import { BACKFILL_MESSAGE_SOURCE } from '../contract';

/** An object to ingest (`created`) or whose asset to delete (`deleted`). */
export interface IngestMessage {
  readonly kind: 'created' | 'deleted';
  readonly bucket: string;
  readonly key: string;
  readonly etag?: string;
}

/** A refusal that no retry can change: the message goes to the dead-letter queue. */
export class PermanentError extends Error {
  constructor(readonly error: string, message: string) {
    super(message);
  }
}

/** Retries ran out, time ran short, or the world is not settled yet: the message goes back to the queue. */
export class ReturnToQueue extends Error {
  constructor(readonly error: string, message: string) {
    super(message);
  }
}

/** A classified message body. */
export type Classified =
  | { readonly type: 'object'; readonly message: IngestMessage }
  | { readonly type: 'status'; readonly event: object }
  | { readonly type: 'malformed'; readonly refusal: PermanentError };

/** Classifies one SQS message body (parsed once). */
export function classify(body: string): Classified {
  let parsed: any;
  try {
    parsed = JSON.parse(body);
  } catch {
    return malformed('the message body is not JSON');
  }
  if (parsed === null || typeof parsed !== 'object') {
    return malformed('the message body is not a JSON object');
  }
  if (parsed.source === 'aws.mediapackage') {
    return { type: 'status', event: parsed };
  }
  const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
  if (parsed.source === 'aws.s3') {
    const detailType = parsed['detail-type'];
    const kind = detailType === 'Object Created' ? 'created' : detailType === 'Object Deleted' ? 'deleted' : undefined;
    if (!kind) {
      return malformed(`unexpected detail-type ${JSON.stringify(detailType)} (expected Object Created or Object Deleted)`);
    }
    const bucket = parsed.detail?.bucket?.name;
    const key = parsed.detail?.object?.key;
    if (!nonEmpty(bucket) || !nonEmpty(key)) {
      return malformed('the S3 event has no detail.bucket.name or detail.object.key');
    }
    const etag = parsed.detail?.object?.etag;
    return { type: 'object', message: { kind, bucket, key, etag: nonEmpty(etag) ? normalizeEtag(etag) : undefined } };
  }
  if (parsed.source === BACKFILL_MESSAGE_SOURCE) {
    if (!nonEmpty(parsed.bucket) || !nonEmpty(parsed.key)) {
      return malformed('the backfill message has no bucket or key');
    }
    const etag = nonEmpty(parsed.etag) ? normalizeEtag(parsed.etag) : undefined;
    return { type: 'object', message: { kind: 'created', bucket: parsed.bucket, key: parsed.key, etag } };
  }
  return malformed(`unexpected source ${JSON.stringify(parsed.source)} (expected aws.s3, aws.mediapackage or ${BACKFILL_MESSAGE_SOURCE})`);
}

/** Parses an ingest message (not a status event); throws PermanentError for anything else. */
export function parseMessage(body: string): IngestMessage {
  const classified = classify(body);
  if (classified.type === 'object') { return classified.message; }
  throw classified.type === 'malformed' ? classified.refusal
    : new PermanentError('MalformedMessage', 'unexpected source "aws.mediapackage" (expected aws.s3 or backfill)');
}

/** ListObjectsV2 quotes ETags, EventBridge events do not: compare them without quotes. */
export function normalizeEtag(etag: string): string {
  return etag.replace(/^"|"$/g, '');
}

function malformed(message: string): Classified {
  return { type: 'malformed', refusal: new PermanentError('MalformedMessage', message) };
}
