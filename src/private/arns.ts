import { ArnFormat, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from './errors';

/** The ARN service namespace of MediaPackage VOD resources. */
export const VOD_ARN_SERVICE = 'mediapackage-vod';

/** Builds `arn:<partition>:mediapackage-vod:<region>:<account>:<resourceType>/<id>` in the scope's stack. */
export function vodArn(scope: IConstruct, resourceType: string, id: string): string {
  return Stack.of(scope).formatArn({ service: VOD_ARN_SERVICE, resource: resourceType, resourceName: id, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
}

/** Returns the resource id of a MediaPackage VOD ARN (the part after `<resourceType>/`). */
export function idFromVodArn(scope: IConstruct, arn: string): string {
  const resourceName = Stack.of(scope).splitArn(arn, ArnFormat.SLASH_RESOURCE_NAME).resourceName;
  if (!resourceName) {
    fail(scope, 'arn', 'is not a MediaPackage VOD resource ARN', arn);
  }
  return resourceName;
}
