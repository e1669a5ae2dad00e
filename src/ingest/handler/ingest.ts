/**
 * What one classified message does: an object message goes through the asset client and then the catalog writes that
 * follow from its outcome; a status event goes to the catalog. Errors are thrown to the batch loop (index.ts), which
 * decides between the dead-letter queue and the queue.
 */
import { AssetClient } from './asset-client';
import { Catalog, parseStatusEvent, UnusableEvent } from './catalog';
import { IngestMessage, PermanentError, ReturnToQueue } from './classify';
import { IngestConfig } from './config';
import { candidateKeys, ObjectStore, resolveObject } from './objects';
import { DeadlineReached, errorKind, httpStatusOf, isRetryable, RetriesExhausted, serviceMessage } from '../../private/runtime';
import { assetIdFor } from '../asset-id';
import { matchesAnyKeyPattern } from '../key-pattern';

/** What happened to one message. */
export type Outcome = 'created' | 'existing' | 'kept' | 'replaced' | 'deleted' | 'ignored' | 'returned' | 'dead-lettered'
  | 'object-missing' | 'object-exists' | 'deferred'
  | 'status-applied' | 'status-stale' | 'status-ignored' | 'status-dropped';

/** What an object message came to: the outcome, and the object's key and asset id as resolved. */
export interface ObjectResult {
  readonly outcome: Outcome;
  readonly key: string;
  readonly assetId: string;
}

/** A refusal no retry changes: ours (PermanentError), or a service's answer that is neither throttling nor a server error. */
export function isPermanent(error: unknown): boolean {
  if (error instanceof PermanentError) { return true; }
  if (error instanceof ReturnToQueue || error instanceof RetriesExhausted || error instanceof DeadlineReached) { return false; }
  return !isRetryable(error) && httpStatusOf(error) !== undefined;
}

/** The short reason of an error for the log line and the dead-letter message's attributes. */
export function reasonOf(error: unknown): string {
  if (error instanceof PermanentError || error instanceof ReturnToQueue) { return error.error; }
  if (error instanceof RetriesExhausted) { return errorKind(error.lastError); }
  return errorKind(error);
}

/** One invocation's message processing. */
export class Ingest {
  constructor(
    private readonly config: IngestConfig,
    private readonly assets: AssetClient,
    private readonly objects: ObjectStore,
    private readonly catalog: Catalog | undefined,
    private readonly now: () => Date,
    private readonly log: (line: string) => void,
  ) {}

  /**
   * An S3 or backfill message: the object checked (HeadObject), the asset's call(s), then the catalog's writes.
   * `lastReceive`: no later delivery will come (a refusal that may be a settling delete is final now).
   */
  public async object(message: IngestMessage, lastReceive: boolean): Promise<ObjectResult> {
    const keys = candidateKeys(message.key);
    const idOf = (key: string) => assetIdFor(this.config.assetIdPrefix, message.bucket, key);
    if (!keys.some(key => matchesAnyKeyPattern(this.config.keyPatterns, key))) {
      throw new PermanentError('KeyNotMatched', `the key matches none of the key patterns ${JSON.stringify(this.config.keyPatterns)}`);
    }
    if (message.kind === 'deleted') {
      if (!this.config.deleteAssetsWithObjects) { return { outcome: 'ignored', key: message.key, assetId: idOf(message.key) }; }
      // Only when no object is there now: a noncurrent version's delete, or a Deleted older than a later Created, leaves
      // the asset of the object that exists.
      const existing = await resolveObject(this.objects, message.bucket, message.key);
      if (existing) { return { outcome: 'object-exists', key: existing.key, assetId: idOf(existing.key) }; }
      for (const [i, key] of keys.entries()) {
        const existed = await this.assets.delete(idOf(key));
        if (i === 0 || existed) { await this.catalog?.recordOutcome('deleted', idOf(key), { ...message, key }, this.now().toISOString()); }
      }
      return { outcome: 'deleted', key: message.key, assetId: idOf(message.key) };
    }
    // Only for an object that exists now (a Created processed after its Deleted creates nothing), under its real key,
    // with its current ETag.
    const object = await resolveObject(this.objects, message.bucket, message.key);
    if (!object) { return { outcome: 'object-missing', key: message.key, assetId: idOf(message.key) }; }
    const source = { bucket: message.bucket, key: object.key, etag: object.etag ?? message.etag };
    const assetId = idOf(object.key);
    // The time before CreateAsset: every event of the new asset is later, so INGESTING never hides one.
    const time = this.now().toISOString();
    let result;
    try {
      result = await this.assets.create({ ...message, ...source }, assetId, lastReceive);
    } catch (error) {
      if (this.catalog && isPermanent(error)) { await this.recordRefusal(source, assetId, error); }
      throw error;
    }
    await this.catalog?.recordOutcome(result.outcome, assetId, source, time, result.described);
    return { outcome: result.outcome, key: object.key, assetId };
  }

  /** A MediaPackage status event: written to the catalog, or dropped (logged) when unusable. */
  public async status(statusEvent: unknown): Promise<{ outcome: Outcome; assetId?: string; detail?: string }> {
    let parsed;
    try {
      if (!this.catalog) { throw new UnusableEvent('dropped', 'this ingest has no catalog (CATALOG_TABLE_NAME is not set)'); }
      parsed = parseStatusEvent(statusEvent, this.config.assetIdPrefix);
    } catch (error) {
      if (!(error instanceof UnusableEvent)) { throw error; }
      return { outcome: error.outcome === 'ignored' ? 'status-ignored' : 'status-dropped', detail: error.message };
    }
    const written = await this.catalog.applyEvent(parsed);
    return { outcome: written === 'applied' ? 'status-applied' : 'status-stale', assetId: parsed.assetId, detail: parsed.event };
  }

  /** Best effort: the message goes to the dead-letter queue either way. */
  private async recordRefusal(message: { bucket: string; key: string; etag?: string }, assetId: string, error: unknown): Promise<void> {
    const reason = `CreateAsset refused: ${reasonOf(error)}: ${serviceMessage(error)}`;
    try {
      await this.catalog!.recordRefusal(assetId, message, reason, this.now().toISOString());
    } catch (writeError) {
      this.log(JSON.stringify({ level: 'WARN', outcome: 'catalog-write-failed', assetId, error: errorKind(writeError), message: serviceMessage(writeError) }));
    }
  }
}
