/**
 * The ingest's MediaPackage VOD calls: the create / 422 / replace state machine of one object's asset, and the delete.
 * The retry policy is injected (`send`, as `Catalog` takes it): this module decides what an answer means, not how
 * often to ask.
 *
 * CreateAsset with the deterministic id. A 422 is followed by DescribeAsset:
 * - the asset exists with the same source and group ("ours"): a duplicate delivery (or backfill of an ingested object)
 *   when the ETag tag is the message's (or either is unknown): `existing`;
 * - ours but from another ETag: a re-upload. KEEP: `kept` (the new content is not ingested); REPLACE: DeleteAsset, then
 *   CreateAsset again (`replaced`; while the service finishes the delete the id is still taken, so the create is tried
 *   again with backoff);
 * - exists from another source: permanent refusal (another principal used this ingest's id);
 * - does not exist (404): the 422 was a refusal (bad source, unknown group, quota), or a delete still settling: tried
 *   again up to `maxAttempts` before it is final.
 */
/* eslint-disable import/no-extraneous-dependencies */
// Bundled into the function's asset at build time (not a runtime dependency of the library).
import {
  CreateAssetCommand,
  DeleteAssetCommand,
  DescribeAssetCommand,
  DescribeAssetCommandOutput,
  MediaPackageVodClient,
} from '@aws-sdk/client-mediapackage-vod';
/* eslint-enable import/no-extraneous-dependencies */
import { IngestMessage, PermanentError, ReturnToQueue } from './classify';
import {
  Deadline, errorKind, errorName, httpStatusOf, isNotFound, isRetryable, retry, RetriesExhausted, RetryPolicy, Send, serviceMessage,
} from '../../private/runtime';
import { OnReuploadValue, SOURCE_ETAG_TAG } from '../contract';

/** What the asset client needs of the ingest's configuration. */
export interface AssetClientConfig {
  readonly packagingGroupId: string;
  readonly sourceRoleArn: string;
  readonly onReupload: 'KEEP' | 'REPLACE';
}

/** What CreateAsset came to. */
export interface CreateResult {
  readonly outcome: 'created' | 'existing' | 'kept' | 'replaced';
  /** DescribeAsset's answer when the asset was found to exist (the catalog seeds its playback entries from it). */
  readonly described?: DescribeAssetCommandOutput;
}

/** The ingest's calls to MediaPackage VOD for one invocation. */
export class AssetClient {
  constructor(
    private readonly vod: MediaPackageVodClient,
    private readonly config: AssetClientConfig,
    /** Sends one call with the retry policy (429, 5xx, network errors). */
    private readonly send: Send,
    /** The backoff between CreateAsset passes while an id is taken by a settling delete (the kit's retry). */
    private readonly policy: RetryPolicy,
    private readonly deadline: Deadline,
    /** Called before each backoff between CreateAsset passes (the Retries metric). */
    private readonly onRetry: () => void = () => {},
  ) {}

  /** The asset, or undefined when it does not exist. */
  public async describe(assetId: string): Promise<DescribeAssetCommandOutput | undefined> {
    try {
      return await this.send('DescribeAsset', abortSignal => this.vod.send(new DescribeAssetCommand({ Id: assetId }), { abortSignal }));
    } catch (error) {
      if (isNotFound(error)) { return undefined; }
      throw error;
    }
  }

  /** Deletes the asset; one that does not exist counts as deleted. Whether there was one. */
  public async delete(assetId: string): Promise<boolean> {
    try {
      await this.send('DeleteAsset', abortSignal => this.vod.send(new DeleteAssetCommand({ Id: assetId }), { abortSignal }));
      return true;
    } catch (error) {
      if (isNotFound(error)) { return false; }
      throw error;
    }
  }

  /**
   * The asset of `message`'s object under `assetId` (see the module comment). `lastReceive`: this is the message's last
   * delivery, so a 422 for an id that does not exist is final now; before, it goes back to the queue (a delete of an
   * earlier delivery's REPLACE may still be settling).
   */
  public async create(message: IngestMessage, assetId: string, lastReceive = true): Promise<CreateResult> {
    const sourceArn = `arn:${partitionOf(this.config.sourceRoleArn)}:s3:::${message.bucket}/${message.key}`;
    const input = {
      Id: assetId,
      PackagingGroupId: this.config.packagingGroupId,
      SourceArn: sourceArn,
      SourceRoleArn: this.config.sourceRoleArn,
      ResourceId: assetId,
      Tags: message.etag ? { [SOURCE_ETAG_TAG]: message.etag } : undefined,
    };
    let replacing = false;
    // One pass: CreateAsset, and on a refusal the state machine. The kit's retry repeats a pass that ends in a 422 for an
    // id that does not exist (a delete may be settling) or in REPLACE's delete, with its backoff, attempts and deadline.
    const pass = async (): Promise<CreateResult> => {
      try {
        await this.send('CreateAsset', abortSignal => this.vod.send(new CreateAssetCommand(input), { abortSignal }));
        return { outcome: replacing ? 'replaced' : 'created' };
      } catch (error) {
        const unprocessable = httpStatusOf(error) === 422 || errorName(error) === 'UnprocessableEntityException';
        // The API reference does not promise 422 for an id that exists: any refusal but 403 is checked against the world.
        const refused = httpStatusOf(error) !== undefined && httpStatusOf(error) !== 403 && !isRetryable(error);
        if (!unprocessable && !refused) { throw error; }
        const existing = await this.describe(assetId);
        if (!existing && !unprocessable) { throw error; }
        if (!existing) { throw new TryAgain(error); }
        if (existing.SourceArn !== sourceArn || existing.PackagingGroupId !== this.config.packagingGroupId) {
          throw new PermanentError('AssetIdTaken',
            `asset ${assetId} exists with source ${existing.SourceArn} in group ${existing.PackagingGroupId}, not this object in ${this.config.packagingGroupId}`);
        }
        const existingEtag = existing.Tags?.[SOURCE_ETAG_TAG];
        if (!message.etag || !existingEtag || existingEtag === message.etag) {
          return { outcome: replacing ? 'replaced' : 'existing', described: existing };
        }
        if (this.config.onReupload === OnReuploadValue.KEEP) {
          return { outcome: 'kept', described: existing };
        }
        // REPLACE: delete, then create again (the next pass); the service may hold the id for a while after the delete.
        replacing = true;
        await this.delete(assetId);
        throw new TryAgain(undefined);
      }
    };
    try {
      return await retry('CreateAsset', pass, this.policy, {
        deadline: this.deadline, retryWhen: e => e instanceof TryAgain, onRetry: () => this.onRetry(),
      });
    } catch (error) {
      if (!(error instanceof RetriesExhausted) || !(error.lastError instanceof TryAgain)) { throw error; }
      const refusal = error.lastError.refusal;
      if (refusal === undefined) {
        throw new ReturnToQueue('ReplacePending', `asset ${assetId} deleted for replacement; created on a later delivery`);
      }
      if (replacing) {
        throw new ReturnToQueue(errorKind(refusal), `CreateAsset after DeleteAsset: the id is still taken: ${serviceMessage(refusal)}`);
      }
      if (!lastReceive) {
        throw new ReturnToQueue(errorKind(refusal), 'CreateAsset refused for an id that does not exist (a delete may be settling; '
          + `final on the last delivery): ${serviceMessage(refusal)}`);
      }
      throw new PermanentError(errorKind(refusal), serviceMessage(refusal));
    }
  }
}

/**
 * A pass of `create` to repeat: `refusal` is a 422 for an id that does not exist (a refusal, or a delete still
 * settling); undefined after REPLACE's delete.
 */
class TryAgain extends Error {
  constructor(readonly refusal: unknown) {
    super(refusal === undefined ? 'the asset was deleted for replacement' : serviceMessage(refusal));
  }
}

function partitionOf(arn: string): string {
  return arn.split(':')[1] || 'aws';
}
