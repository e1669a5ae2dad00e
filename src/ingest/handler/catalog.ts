/**
 * The catalog writes of the ingest function (`BucketIngest` with `catalog: true`): one DynamoDB item per source object,
 * keyed by the asset id (attribute names in contract.ts, `CatalogAttribute`).
 *
 * Two writers share an item: the ingest function after CreateAsset (the source object, INGESTING) and the same function
 * on MediaPackage's status events (IngestStart, IngestComplete, IngestError, VodAssetPlayable) that an EventBridge rule
 * queues. Events are neither ordered nor delivered once, so every write is an UpdateItem whose outcome does not depend
 * on the order of arrival:
 * - the status (`ingestStatus`) is written with its order `<event time, seconds>#<rank>` only over a smaller order: a
 *   repeated event, or one older than what the item holds (an IngestError that happened before the IngestComplete
 *   already written), changes nothing. At the same second, the later stage wins (Complete over Start, Error over
 *   Complete); INGESTING from the function has the lowest rank, so it never hides a status an event already brought;
 * - a configuration's PLAYABLE entry (`playback.<configuration id>`) is written when it is newer than the entry and not
 *   older than the current asset (`assetCreatedAt`: after a re-upload with REPLACE, the old asset's late events are
 *   stale) nor of a DELETED asset; a Playable that arrives before the function's record creates the item, which the
 *   record then completes;
 * - the source attributes are set by the function without a condition (the same object always has the same id);
 * - the asset's playback path pattern (`playbackPathPattern`, `/out/v1/<asset hash>/*`: what a signed-cookie policy
 *   names to cover the asset in every configuration) is written in the same conditional update as a PLAYABLE entry, so
 *   it follows the same rules, and removed wherever `playback` is emptied (REPLACE, a newer asset, DELETED).
 * Nothing is deleted from the table: an asset deleted with its object is marked DELETED.
 */
/* eslint-disable import/no-extraneous-dependencies */
// Bundled into the function's asset at build time (not a runtime dependency of the library).
import { AttributeValue, DynamoDBClient, UpdateItemCommand, UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
/* eslint-enable import/no-extraneous-dependencies */
import { errorName, Send } from '../../private/runtime';
import { CatalogAttribute as A, CatalogStatus } from '../contract';

/** The events of a MediaPackage VOD asset (`detail.event`). */
export const STATUS_EVENTS = {
  IngestStart: { status: CatalogStatus.INGESTING, rank: 1 },
  IngestComplete: { status: CatalogStatus.COMPLETE, rank: 2 },
  IngestError: { status: CatalogStatus.FAILED, rank: 3 },
} as const;
const PLAYABLE_EVENT = 'VodAssetPlayable';
/** The rank of INGESTING written by the function after CreateAsset, and of DELETED. */
export const CREATED_RANK = 0;
export const DELETED_RANK = 9;

/** A status event, parsed. */
export interface StatusEvent {
  readonly assetId: string;
  readonly event: string;
  /** The event's time, ISO 8601 to the second. */
  readonly time: string;
  readonly message?: string;
  /** VodAssetPlayable only. */
  readonly configurationId?: string;
  /** VodAssetPlayable only. */
  readonly manifestUrls?: string[];
}

/** Why an event is not written: `dropped` (malformed or not this ingest's: logged as an error) or `ignored` (another event). */
export class UnusableEvent extends Error {
  constructor(readonly outcome: 'dropped' | 'ignored', message: string) {
    super(message);
  }
}

/** An ISO 8601 time to the second (`2026-11-28T17:00:00Z`): comparable as a string. */
export function toSeconds(time: Date | string): string {
  const date = typeof time === 'string' ? new Date(time) : time;
  return `${date.toISOString().slice(0, 19)}Z`;
}

/**
 * Parses a MediaPackage status event (the EventBridge event as the rule queued it). Throws UnusableEvent for anything
 * that is not a usable event of an asset whose id starts with `<prefix>-`.
 */
export function parseStatusEvent(event: any, assetIdPrefix: string): StatusEvent {
  const detail = event?.detail;
  const kind = detail?.event;
  if (typeof kind !== 'string') {
    throw new UnusableEvent('dropped', 'the event has no detail.event');
  }
  if (!Object.hasOwn(STATUS_EVENTS, kind) && kind !== PLAYABLE_EVENT) {
    throw new UnusableEvent('ignored', `detail.event ${JSON.stringify(kind)} is not a status the catalog records`);
  }
  const resources: unknown[] = Array.isArray(event.resources) ? event.resources : [];
  const assetArn = resources.find((r): r is string => typeof r === 'string' && /:assets\/[^/]+$/.test(r));
  if (!assetArn) {
    throw new UnusableEvent('dropped', 'the event names no asset ARN in resources');
  }
  const assetId = assetArn.slice(assetArn.lastIndexOf('/') + 1);
  if (!assetId.startsWith(`${assetIdPrefix}-`)) {
    throw new UnusableEvent('dropped', `asset ${assetId} is not one of this ingest's (prefix ${assetIdPrefix}-)`);
  }
  if (typeof event.time !== 'string' || Number.isNaN(Date.parse(event.time))) {
    throw new UnusableEvent('dropped', `the event's time ${JSON.stringify(event.time)} is not a time`);
  }
  const time = toSeconds(event.time);
  const message = typeof detail.message === 'string' && detail.message.length > 0 ? detail.message : undefined;
  if (kind !== PLAYABLE_EVENT) {
    return { assetId, event: kind, time, message };
  }
  const configurationId = detail.packaging_configuration_id;
  if (typeof configurationId !== 'string' || configurationId.length === 0) {
    throw new UnusableEvent('dropped', 'the VodAssetPlayable event has no detail.packaging_configuration_id');
  }
  const urls = detail.manifest_urls;
  if (!Array.isArray(urls) || urls.length === 0 || !urls.every(isHttpsUrl)) {
    throw new UnusableEvent('dropped', 'the VodAssetPlayable event has no detail.manifest_urls of https URLs');
  }
  return { assetId, event: kind, time, message, configurationId, manifestUrls: urls };
}

function isHttpsUrl(value: unknown): value is string {
  if (typeof value !== 'string') { return false; }
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

/** A manifest URL on another host (the CloudFront domain): same path and query string. */
export function onDomain(url: string, domain: string): string {
  const parsed = new URL(url);
  return `https://${domain}${parsed.pathname}${parsed.search}`;
}

/**
 * The path pattern that covers an asset in every configuration, from one of its egress (or playback) URLs:
 * `/out/v1/<asset hash>/*`. MediaPackage VOD egress paths are `/out/v1/<asset hash>/<hash>/<hash>/<manifest>`, the first
 * hash the same in every configuration of one asset (as `IAsset.playbackPathPattern` says, from the AWS CLI examples of
 * describe-asset). `undefined` for a URL of another shape (no pattern is written then).
 */
export function playbackPathPatternOf(url: string): string | undefined {
  const assetHash = /^\/out\/v1\/([^/]+)\/[^/]/.exec(new URL(url).pathname)?.[1];
  return assetHash === undefined ? undefined : `/out/v1/${assetHash}/*`;
}

/** The source object of a catalog item. */
export interface CatalogSource {
  readonly bucket: string;
  readonly key: string;
  readonly etag?: string;
}

/** What a conditional write did. */
export type WriteOutcome = 'applied' | 'stale';

const s = (value: string): AttributeValue => ({ S: value });
const EMPTY_MAP: AttributeValue = { M: {} };

/** The catalog table's writes. */
export class Catalog {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly playbackDomain: string | undefined,
    private readonly send: Send,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * The writes that follow from what the ingest did to an object's asset (idempotent: a redelivery writes the same
   * again): `created`/`replaced` record the source and INGESTING; `existing`/`kept` record the source and fill what the
   * item lacks from DescribeAsset's answer (`described`: an asset ingested before the catalog existed); `deleted` marks
   * the item DELETED; anything else writes nothing.
   */
  public async recordOutcome(outcome: string, assetId: string, source: CatalogSource, time: string,
    described?: { readonly EgressEndpoints?: { Status?: string; PackagingConfigurationId?: string; Url?: string }[] }): Promise<void> {
    if (outcome === 'created' || outcome === 'replaced') {
      if (outcome === 'created') { await this.forgetOlderAsset(assetId, time); }
      await this.recordSource(assetId, source.bucket, source.key, source.etag, outcome, time);
      await this.applyStatus(assetId, CatalogStatus.INGESTING, undefined, time, CREATED_RANK);
    } else if (outcome === 'existing' || outcome === 'kept') {
      await this.recordSource(assetId, source.bucket, source.key, source.etag, 'existing');
      const playable = (described?.EgressEndpoints ?? [])
        .filter(e => e.Status === 'PLAYABLE' && e.PackagingConfigurationId && e.Url)
        .map(e => ({ configurationId: e.PackagingConfigurationId!, url: e.Url! }));
      await this.seedPlayable(assetId, playable, time);
    } else if (outcome === 'deleted') {
      await this.applyStatus(assetId, CatalogStatus.DELETED, 'the source object was deleted', time, DELETED_RANK, true);
    }
  }

  /**
   * A refused CreateAsset (a bad source, the group's asset quota, another source's asset under this id, a denied call):
   * the item shows the object as FAILED with the reason (a later successful create makes it INGESTING again).
   */
  public async recordRefusal(assetId: string, source: CatalogSource, reason: string, time: string): Promise<void> {
    await this.recordSource(assetId, source.bucket, source.key, source.etag, 'existing');
    await this.applyStatus(assetId, CatalogStatus.FAILED, reason, time, STATUS_EVENTS.IngestError.rank);
  }

  /** A parsed status event written to its item (only over an older status or entry: see the module comment). */
  public async applyEvent(event: StatusEvent): Promise<WriteOutcome> {
    return isIngestStatusEvent(event.event)
      ? this.applyStatus(event.assetId, STATUS_EVENTS[event.event].status, event.message, event.time, STATUS_EVENTS[event.event].rank)
      : this.applyPlayable(event.assetId, event.configurationId!, event.manifestUrls!, event.time);
  }

  /**
   * The source object of an asset (the function, after CreateAsset or after finding the asset exists). `created`: a new
   * asset from this content (its ETag and creation time replace the item's); `replaced` also forgets the old asset's
   * playback entries; `existing`: the asset was there (its ETag is kept if the item has one).
   */
  public async recordSource(assetId: string, bucket: string, key: string, etag: string | undefined,
    mode: 'created' | 'replaced' | 'existing', createdAt?: string): Promise<void> {
    const now = this.now();
    const values: Record<string, AttributeValue> = { ':bucket': s(bucket), ':key': s(key), ':now': s(now.toISOString()) };
    const sets = [`${A.SOURCE_BUCKET} = :bucket`, `${A.SOURCE_KEY} = :key`, `${A.UPDATED_AT} = :now`];
    if (etag) {
      values[':etag'] = s(etag);
      sets.push(mode === 'existing' ? `${A.SOURCE_ETAG} = if_not_exists(${A.SOURCE_ETAG}, :etag)` : `${A.SOURCE_ETAG} = :etag`);
    }
    if (mode !== 'existing') {
      values[':created'] = s(toSeconds(createdAt ?? now));
      sets.push(`${A.ASSET_CREATED_AT} = :created`);
    }
    const removes: string[] = [];
    if (mode === 'replaced') {
      values[':empty'] = EMPTY_MAP;
      sets.push(`${A.PLAYBACK} = :empty`);
      removes.push(A.PLAYBACK_PATH_PATTERN);
    }
    await this.update('UpdateItem (source)', { assetId, set: sets, remove: removes, values });
  }

  /**
   * A new asset under an id that had an older one (a REPLACE finished on a later delivery): the old asset's playback
   * entries and path pattern are cleared. Conditional on the item's asset being older, so a repeat changes nothing.
   */
  private async forgetOlderAsset(assetId: string, time: string): Promise<void> {
    await this.update('UpdateItem (forget older asset)', {
      assetId,
      set: [`${A.PLAYBACK} = :empty`],
      remove: [A.PLAYBACK_PATH_PATTERN],
      values: { ':empty': EMPTY_MAP, ':created': s(toSeconds(time)) },
      condition: `attribute_exists(${A.ASSET_CREATED_AT}) AND ${A.ASSET_CREATED_AT} < :created`,
    });
  }

  /**
   * A status, written only over an older one (see the module comment). `clearPlayback` (DELETED) empties `playback`
   * and removes the path pattern.
   */
  public async applyStatus(assetId: string, status: string, message: string | undefined, time: string, rank: number,
    clearPlayback = false): Promise<WriteOutcome> {
    const values: Record<string, AttributeValue> = {
      ':status': s(status),
      ':at': s(time),
      ':order': s(`${toSeconds(time)}#${rank}`),
      ':now': s(this.now().toISOString()),
    };
    const sets = [`${A.INGEST_STATUS} = :status`, `${A.INGEST_STATUS_AT} = :at`, `${A.STATUS_ORDER} = :order`, `${A.UPDATED_AT} = :now`];
    const removes: string[] = [];
    if (message !== undefined) {
      values[':message'] = s(message);
      sets.push(`${A.INGEST_MESSAGE} = :message`);
    } else {
      removes.push(A.INGEST_MESSAGE);
    }
    if (clearPlayback) {
      values[':empty'] = EMPTY_MAP;
      sets.push(`${A.PLAYBACK} = :empty`);
      removes.push(A.PLAYBACK_PATH_PATTERN);
    }
    return this.update('UpdateItem (status)', {
      assetId,
      set: sets,
      remove: removes,
      values,
      condition: `attribute_not_exists(${A.STATUS_ORDER}) OR ${A.STATUS_ORDER} < :order`,
    });
  }

  /**
   * A configuration's PLAYABLE entry, written when newer than the entry (a repeat changes nothing) and not older than
   * the current asset; the asset's path pattern with it, in the same conditional update (a write that passes is the
   * current asset's, and every configuration of one asset gives the same pattern).
   */
  public async applyPlayable(assetId: string, configurationId: string, manifestUrls: string[], time: string): Promise<WriteOutcome> {
    const at = toSeconds(time);
    // A nested attribute can only be set inside an existing map: make sure there is one (no condition: idempotent).
    await this.update('UpdateItem (playback map)', {
      assetId, set: [`${A.PLAYBACK} = if_not_exists(${A.PLAYBACK}, :empty)`], values: { ':empty': EMPTY_MAP },
    });
    const entry = this.playbackEntry(manifestUrls, at);
    const set = [`${A.PLAYBACK}.#configuration = :entry`, `${A.UPDATED_AT} = :now`];
    const values: Record<string, AttributeValue> = {
      ':entry': { M: entry }, ':at': s(at), ':now': s(this.now().toISOString()), ':deleted': s(CatalogStatus.DELETED),
    };
    const pattern = pathPatternOfAny(manifestUrls);
    if (pattern !== undefined) {
      set.push(`${A.PLAYBACK_PATH_PATTERN} = :pattern`);
      values[':pattern'] = s(pattern);
    }
    return this.update('UpdateItem (playable)', {
      assetId,
      set,
      names: { '#configuration': configurationId },
      values,
      // A deleted asset's late events, and those of an asset older than the current one, are stale.
      condition: `(attribute_not_exists(${A.PLAYBACK}.#configuration) OR ${A.PLAYBACK}.#configuration.playableAt < :at) `
        + `AND (attribute_not_exists(${A.ASSET_CREATED_AT}) OR ${A.ASSET_CREATED_AT} <= :at) `
        + `AND (attribute_not_exists(${A.INGEST_STATUS}) OR ${A.INGEST_STATUS} <> :deleted)`,
    });
  }

  /**
   * What DescribeAsset says of an asset found to exist (`existing`): its PLAYABLE configurations, for an item that lacks
   * them. Written only where the item has nothing yet (no entry for the configuration; no status), so it never changes
   * what events brought: it fills the catalog for assets whose events came before the catalog existed. `time` (when the
   * function saw it) stands for `playableAt` and `ingestStatusAt`. The path pattern is written with an entry only where
   * the item has none.
   */
  public async seedPlayable(assetId: string, playable: { configurationId: string; url: string }[], time: string): Promise<void> {
    if (playable.length === 0) { return; }
    const at = toSeconds(time);
    await this.update('UpdateItem (playback map)', {
      assetId, set: [`${A.PLAYBACK} = if_not_exists(${A.PLAYBACK}, :empty)`], values: { ':empty': EMPTY_MAP },
    });
    for (const { configurationId, url } of playable) {
      const set = [`${A.PLAYBACK}.#configuration = :entry`, `${A.UPDATED_AT} = :now`];
      const values: Record<string, AttributeValue> = { ':entry': { M: this.playbackEntry([url], at) }, ':now': s(this.now().toISOString()) };
      const pattern = playbackPathPatternOf(url);
      if (pattern !== undefined) {
        set.push(`${A.PLAYBACK_PATH_PATTERN} = if_not_exists(${A.PLAYBACK_PATH_PATTERN}, :pattern)`);
        values[':pattern'] = s(pattern);
      }
      await this.update('UpdateItem (playable seen)', {
        assetId,
        set,
        names: { '#configuration': configurationId },
        values,
        condition: `attribute_not_exists(${A.PLAYBACK}.#configuration)`,
      });
    }
    await this.update('UpdateItem (status seen)', {
      assetId,
      set: [`${A.INGEST_STATUS} = :status`, `${A.INGEST_MESSAGE} = :message`, `${A.INGEST_STATUS_AT} = :at`, `${A.STATUS_ORDER} = :order`,
        `${A.UPDATED_AT} = :now`],
      values: {
        ':status': s(CatalogStatus.COMPLETE),
        ':message': s(`playable through ${playable.map(p => p.configurationId).join(', ')} when the ingest function found the asset `
          + '(DescribeAsset): its ingest events came before the catalog'),
        ':at': s(time),
        ':order': s(`${at}#${STATUS_EVENTS.IngestComplete.rank}`),
        ':now': s(this.now().toISOString()),
      },
      condition: `attribute_not_exists(${A.STATUS_ORDER})`,
    });
  }

  private playbackEntry(manifestUrls: string[], at: string): Record<string, AttributeValue> {
    const entry: Record<string, AttributeValue> = {
      state: s('PLAYABLE'),
      playableAt: s(at),
      manifestUrls: { L: manifestUrls.map(s) },
    };
    if (this.playbackDomain) {
      entry.playbackUrls = { L: manifestUrls.map(url => s(onDomain(url, this.playbackDomain!))) };
    }
    return entry;
  }

  private async update(operation: string, request: {
    assetId: string;
    set: string[];
    remove?: string[];
    names?: Record<string, string>;
    values: Record<string, AttributeValue>;
    condition?: string;
  }): Promise<WriteOutcome> {
    const input: UpdateItemCommandInput = {
      TableName: this.tableName,
      Key: { [A.ASSET_ID]: s(request.assetId) },
      UpdateExpression: `SET ${request.set.join(', ')}${request.remove?.length ? ` REMOVE ${request.remove.join(', ')}` : ''}`,
      ExpressionAttributeNames: request.names,
      ExpressionAttributeValues: request.values,
      ConditionExpression: request.condition,
    };
    try {
      await this.send(operation, abortSignal => this.client.send(new UpdateItemCommand(input), { abortSignal }));
      return 'applied';
    } catch (error) {
      if (request.condition && errorName(error) === 'ConditionalCheckFailedException') { return 'stale'; }
      throw error;
    }
  }
}

/** The path pattern of the first of a configuration's manifest URLs that has one (they are of one asset). */
function pathPatternOfAny(urls: string[]): string | undefined {
  for (const url of urls) {
    const pattern = playbackPathPatternOf(url);
    if (pattern !== undefined) { return pattern; }
  }
  return undefined;
}

/** Whether an event's `detail.event` is a status (not a PLAYABLE) event. */
export function isIngestStatusEvent(event: string): event is keyof typeof STATUS_EVENTS {
  return Object.hasOwn(STATUS_EVENTS, event);
}
