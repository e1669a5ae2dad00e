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
  backoffMs, Deadline, errorKind, errorName, httpStatusOf, isNotFound, isRetryable, RetryPolicy, Send, serviceMessage, sleepOf,
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
    /** The backoff between CreateAsset tries while an id is taken by a settling delete. */
    private readonly policy: RetryPolicy,
    private readonly deadline: Deadline,
    /** Called before each backoff of the create loop (the Retries metric). */
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
    for (let attempt = 1; ; attempt++) {
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
        if (!existing) {
          // A 422 for an id that does not exist: a refusal (bad source, unknown group, quota), or a delete that is
          // still settling. Try again a bounded number of times before calling it final.
          const delay = backoffMs(this.policy, attempt);
          if (attempt < this.policy.maxAttempts && !this.deadline.isShort(delay)) {
            this.onRetry();
            await sleepOf(this.policy)(delay);
            continue;
          }
          if (replacing) {
            throw new ReturnToQueue(errorKind(error), `CreateAsset after DeleteAsset: the id is still taken: ${serviceMessage(error)}`);
          }
          if (!lastReceive) {
            throw new ReturnToQueue(errorKind(error), 'CreateAsset refused for an id that does not exist (a delete may be settling; '
              + `final on the last delivery): ${serviceMessage(error)}`);
          }
          throw new PermanentError(errorKind(error), serviceMessage(error));
        }
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
        // REPLACE: delete, then create again (the loop); the service may hold the id for a while after the delete.
        replacing = true;
        await this.delete(assetId);
        if (attempt >= this.policy.maxAttempts) {
          throw new ReturnToQueue('ReplacePending', `asset ${assetId} deleted for replacement; created on a later delivery`);
        }
      }
    }
  }
}

function partitionOf(arn: string): string {
  return arn.split(':')[1] || 'aws';
}
