import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from './errors';
import { validateId } from './validate';

/** The ARN service namespace of MediaPackage VOD resources. */
export const VOD_ARN_SERVICE = 'mediapackage-vod';

/** Builds `arn:<partition>:mediapackage-vod:<region>:<account>:<resourceType>/<id>` in the scope's stack. */
export function vodArn(scope: IConstruct, resourceType: string, id: string): string {
  return Stack.of(scope).formatArn({ service: VOD_ARN_SERVICE, resource: resourceType, resourceName: id, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
}

/**
 * Returns the resource id of a MediaPackage VOD ARN of `resourceType` (`packaging-groups`, `packaging-configurations`,
 * `assets`), after checking, unless it is a Token, the service, the resource type and the id.
 */
export function idFromVodArn(scope: IConstruct, propertyPath: string, arn: string, resourceType: string): string {
  const expected = `an ARN of the form arn:<partition>:${VOD_ARN_SERVICE}:<region>:<account>:${resourceType}/<id>`;
  if (Token.isUnresolved(arn)) {
    return Stack.of(scope).splitArn(arn, ArnFormat.SLASH_RESOURCE_NAME).resourceName!;
  }
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') {
    fail(scope, propertyPath, `must be ${expected}`, arn);
  }
  const components = Stack.of(scope).splitArn(arn, ArnFormat.SLASH_RESOURCE_NAME);
  if (components.service !== VOD_ARN_SERVICE || components.resource !== resourceType || !components.resourceName) {
    fail(scope, propertyPath, `must be ${expected}`, arn);
  }
  validateId(scope, propertyPath, components.resourceName);
  return components.resourceName;
}
