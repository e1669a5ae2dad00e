import { Aspects, IAspect } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { warn } from '../private/errors';

/**
 * S3 sends events to EventBridge only when the bucket says so. A bucket of this app: turned on in its CloudFormation
 * resource (no custom resource needed). Should the bucket also have notifications through aws-cdk-lib's notifications
 * custom resource (`addEventNotification`), that resource owns the whole configuration: it is told too (at synth, so
 * notifications added after this construct count). An imported bucket: a warning on `scope`, its owner must turn them
 * on.
 */
export function turnOnEventBridge(scope: IConstruct, bucket: s3.IBucket): void {
  const cfn = bucket.node.defaultChild;
  if (!(cfn instanceof s3.CfnBucket)) {
    warn(scope, 'ImportedBucketEventBridge', 'bucket', `${bucket.node.path} is not created in this app: its owner must turn on `
      + 'its Amazon EventBridge notifications (S3 console: Properties, Amazon EventBridge; or bucket.enableEventBridgeNotification() '
      + 'in the app that owns it), or no S3 event reaches this ingest.');
    return;
  }
  cfn.addPropertyOverride('NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled', true);
  if (!turnedOn.has(bucket)) {
    turnedOn.add(bucket);
    Aspects.of(bucket).add(new EventBridgeWithCustomNotifications(bucket));
  }
}

/** Buckets whose EventBridge notifications this library turned on (one aspect per bucket). */
const turnedOn = new WeakSet<s3.IBucket>();

/** Tells aws-cdk-lib's notifications resource of a bucket (if it has one at synth) to keep EventBridge notifications on. */
class EventBridgeWithCustomNotifications implements IAspect {
  constructor(private readonly bucket: s3.IBucket) {}

  public visit(node: IConstruct): void {
    if (node === this.bucket && this.bucket.node.tryFindChild('Notifications')) {
      this.bucket.enableEventBridgeNotification();
    }
  }
}
