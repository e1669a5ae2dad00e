import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from './errors';
import { validateId } from './validate';

/** The ARN service namespace of MediaPackage VOD resources. */
export const VOD_ARN_SERVICE = 'mediapackage-vod';

/** An AWS account id: 12 digits. */
const ACCOUNT_PATTERN = /^\d{12}$/;
/** An AWS Region code: `eu-west-1`, `us-gov-west-1`, `cn-north-1`, `eu-isoe-west-1`. */
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

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
  const { account, region } = components;
  if (account !== undefined && !Token.isUnresolved(account) && !ACCOUNT_PATTERN.test(account)) {
    fail(scope, propertyPath, `must name an AWS account of 12 digits (${expected}), names '${account}'`, arn);
  }
  if (region !== undefined && !Token.isUnresolved(region) && !REGION_PATTERN.test(region)) {
    fail(scope, propertyPath, `must name an AWS Region such as eu-west-1 (${expected}), names '${region}'`, arn);
  }
  return components.resourceName;
}
