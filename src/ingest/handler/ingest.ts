/**
 * What one classified message does: an object message goes through the asset client and then the catalog writes that
 * follow from its outcome; a status event goes to the catalog. Errors are thrown to the batch loop (index.ts), which
 * decides between the dead-letter queue and the queue.
 */
import { AssetClient } from './asset-client';
import { Catalog, parseStatusEvent, UnusableEvent } from './catalog';
import { IngestMessage, PermanentError, ReturnToQueue } from './classify';
import { IngestConfig } from './config';
import { errorKind, httpStatusOf, isRetryable, RetriesExhausted, serviceMessage } from '../../private/runtime';
import { matchesAnyKeyPattern } from '../key-pattern';

/** What happened to one message. */
export type Outcome = 'created' | 'existing' | 'kept' | 'replaced' | 'deleted' | 'ignored' | 'returned' | 'dead-lettered'
  | 'status-applied' | 'status-stale' | 'status-ignored' | 'status-dropped';

/** A refusal no retry changes: ours (PermanentError), or a service's answer that is neither throttling nor a server error. */
export function isPermanent(error: unknown): boolean {
  if (error instanceof PermanentError) { return true; }
  if (error instanceof ReturnToQueue || error instanceof RetriesExhausted) { return false; }
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
    private readonly catalog: Catalog | undefined,
    private readonly now: () => Date,
    private readonly log: (line: string) => void,
  ) {}

  /** An S3 or backfill message: the asset's call(s), then the catalog's writes. */
  public async object(message: IngestMessage, assetId: string): Promise<Outcome> {
    if (!matchesAnyKeyPattern(this.config.keyPatterns, message.key)) {
      throw new PermanentError('KeyNotMatched', `the key matches none of the key patterns ${JSON.stringify(this.config.keyPatterns)}`);
    }
    if (message.kind === 'deleted') {
      if (!this.config.deleteAssetsWithObjects) { return 'ignored'; }
      await this.assets.delete(assetId);
      await this.catalog?.recordOutcome('deleted', assetId, message, this.now().toISOString());
      return 'deleted';
    }
    let result;
    try {
      result = await this.assets.create(message, assetId);
    } catch (error) {
      if (this.catalog && isPermanent(error)) { await this.recordRefusal(message, assetId, error); }
      throw error;
    }
    await this.catalog?.recordOutcome(result.outcome, assetId, message, this.now().toISOString(), result.described);
    return result.outcome;
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
  private async recordRefusal(message: IngestMessage, assetId: string, error: unknown): Promise<void> {
    const reason = `CreateAsset refused: ${reasonOf(error)}: ${serviceMessage(error)}`;
    try {
      await this.catalog!.recordRefusal(assetId, message, reason, this.now().toISOString());
    } catch (writeError) {
      this.log(JSON.stringify({ level: 'WARN', outcome: 'catalog-write-failed', assetId, error: errorKind(writeError), message: serviceMessage(writeError) }));
    }
  }
}
