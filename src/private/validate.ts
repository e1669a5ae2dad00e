import { Duration, IResource, Stack, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { fail, validationProblem } from './errors';
import { knownName } from './known';

/** Id rule of the three MediaPackage VOD types (CloudFormation registry schema of AWS::MediaPackage::PackagingGroup). */
export const ID_PATTERN = /^[0-9a-zA-Z_-]+$/;
/** Longest id the service accepts. */
export const ID_MAX_LENGTH = 256;

/** Service limits on the descriptions this library writes (Lambda 256, EventBridge rule 512, IAM role 1000, alarm 1024). */
export const DescriptionLimit = {
  LAMBDA_FUNCTION: 256,
  EVENTS_RULE: 512,
  IAM_ROLE: 1000,
  CLOUDWATCH_ALARM: 1024,
} as const;

/**
 * A generated description cut to `max` characters: the start and the end (where a construct path names the construct)
 * kept, '...' between (ASCII: IAM descriptions accept no other ellipsis). Tokens are not shortened.
 */
export function fitDescription(text: string, max: number): string {
  if (text.length <= max || Token.isUnresolved(text)) { return text; }
  const head = Math.floor((max - 3) / 3);
  return `${text.slice(0, head)}...${text.slice(text.length - (max - 3 - head))}`;
}

/** Validates a resource id (skips Tokens). */
export function validateId(scope: IConstruct, propertyPath: string, id: string | undefined): void {
  if (id === undefined || Token.isUnresolved(id)) { return; }
  if (id.length < 1 || id.length > ID_MAX_LENGTH) {
    fail(scope, propertyPath, `must be 1 to ${ID_MAX_LENGTH} characters long, is ${id.length}`, id);
  }
  if (!ID_PATTERN.test(id)) {
    fail(scope, propertyPath, 'may contain only letters, digits, hyphens (-) and underscores (_)', id);
  }
}

/**
 * Converts a Duration to a whole number of seconds, failing on fractions or values out of [min, max].
 * Returns undefined for undefined input; passes Tokens through.
 */
export function wholeSeconds(scope: IConstruct, propertyPath: string, duration: Duration | undefined,
  bounds: { min: number; max?: number }): number | undefined {
  if (duration === undefined) { return undefined; }
  if (duration.isUnresolved()) { return duration.toSeconds(); }
  const millis = duration.toMilliseconds();
  if (millis % 1000 !== 0) {
    fail(scope, propertyPath, 'must be a whole number of seconds', duration.toHumanString());
  }
  const seconds = millis / 1000;
  if (seconds < bounds.min || (bounds.max !== undefined && seconds > bounds.max)) {
    const range = bounds.max === undefined ? `at least ${bounds.min}` : `between ${bounds.min} and ${bounds.max}`;
    fail(scope, propertyPath, `must be ${range} seconds`, duration.toHumanString());
  }
  return seconds;
}

/** Validates an integer in [min, max], or at least `min` without a max (skips Tokens). */
export function validateInteger(scope: IConstruct, propertyPath: string, value: number | undefined, min: number, max?: number): void {
  if (value === undefined || Token.isUnresolved(value)) { return; }
  if (!Number.isInteger(value) || value < min || (max !== undefined && value > max)) {
    fail(scope, propertyPath, max === undefined ? `must be an integer, at least ${min}` : `must be an integer between ${min} and ${max}`, value);
  }
}

/** The manifest name the service uses when none is given (user guide: "index"). */
export const DEFAULT_MANIFEST_NAME = 'index';

/** Characters a manifest name cannot hold: it is one segment of the playback URL's path. */
const NOT_IN_PATH_SEGMENT = /[/?#\s]/;

/**
 * Validates a manifest list: at least one manifest; names that fit in one segment of the playback URL's path (not
 * empty; no '/', '?', '#' or whitespace); and unique names, a missing name counting as the service's default `index`.
 */
export function validateManifests(scope: IConstruct, propertyPath: string, manifests: { manifestName?: string }[] | undefined): void {
  if (manifests === undefined || Token.isUnresolved(manifests)) {
    if (manifests === undefined) { fail(scope, propertyPath, 'give at least one manifest', manifests); }
    return;
  }
  if (manifests.length === 0) {
    fail(scope, propertyPath, 'give at least one manifest', manifests);
  }
  const seen = new Map<string, number>();
  manifests.forEach((m, i) => {
    const name = m.manifestName;
    if (name !== undefined && Token.isUnresolved(name)) { return; }
    if (name !== undefined && (name.length === 0 || NOT_IN_PATH_SEGMENT.test(name))) {
      fail(scope, `${propertyPath}[${i}].manifestName`, 'is appended to the playback URL as one path segment: it must not be '
        + 'empty or contain \'/\', \'?\', \'#\' or whitespace', name);
    }
    const key = name ?? DEFAULT_MANIFEST_NAME;
    const other = seen.get(key);
    if (other !== undefined) {
      const unnamed = name === undefined || manifests[other].manifestName === undefined;
      fail(scope, `${propertyPath}[${i}].manifestName`, `manifest names must be unique in a configuration (manifest ${other} has it `
        + `too${unnamed ? `; a manifest without a name is named '${DEFAULT_MANIFEST_NAME}'` : ''})`, name);
    }
    seen.set(key, i);
  });
}

/** The log group name rule of MediaPackage egress access logs (CloudFormation registry schema, LogConfiguration). */
const LOG_GROUP_NAME_PATTERN = /^\/aws\/MediaPackage\/[0-9a-zA-Z_/.#-]+$/;

/** What is wrong with an egress access log group name, or undefined when it is valid. */
export function logGroupNameProblem(name: string | undefined): string | undefined {
  if (name === undefined) { return undefined; }
  if (name.length < 1 || name.length > 512) {
    return `must be 1 to 512 characters long, is ${name.length}`;
  }
  if (!LOG_GROUP_NAME_PATTERN.test(name)) {
    return 'MediaPackage writes egress access logs only to log groups named /aws/MediaPackage/<name> '
      + '(letters, digits and - _ / . #)';
  }
  return undefined;
}

/**
 * Validates an egress access log group name (skips Tokens).
 */
export function validateLogGroupName(scope: IConstruct, propertyPath: string, name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) { return; }
  const problem = logGroupNameProblem(name);
  if (problem) { fail(scope, propertyPath, problem, name); }
}

/**
 * Validates the name of an egress access log group when it is known: a literal name, or the name given to a log group
 * created in this app (its L2 gives a Token, its L1 the literal). A log group created here without a name gets a
 * generated one that can never start with /aws/MediaPackage/: an error at synth. Names unknown until deploy (a
 * parameter, an imported name) are left to the service.
 */
export function validateLogGroup(scope: IConstruct, propertyPath: string, logGroup: logs.ILogGroup | undefined): void {
  if (logGroup === undefined) { return; }
  const name = knownName(logGroup, logGroup.logGroupName);
  if (!Token.isUnresolved(name)) {
    validateLogGroupName(scope, propertyPath, name);
    return;
  }
  const cfn = logGroup.node.defaultChild;
  if (!(cfn instanceof logs.CfnLogGroup)) { return; }
  // No literal name: a Token that resolves to undefined (no name given), to a generated name (the log group is referenced
  // from another environment) or to a reference (a parameter): known only at synth.
  scope.node.addValidation({
    validate: () => {
      const resolved = Stack.of(cfn).resolve(cfn.logGroupName);
      if (resolved === undefined) {
        return [validationProblem(propertyPath, 'a log group created without logGroupName gets a generated name, and '
          + 'MediaPackage writes egress access logs only to log groups named /aws/MediaPackage/<name>: give it a logGroupName',
        logGroup.node.path)];
      }
      const problem = logGroupNameProblem(typeof resolved === 'string' ? resolved : undefined);
      return problem ? [validationProblem(propertyPath, problem, resolved)] : [];
    },
  });
}

/**
 * Fails when `resource` is known to be in another account or Region than `scope`'s stack (skips Tokens): `why` says
 * what needs them together.
 */
export function validateSameEnvironment(scope: IConstruct, propertyPath: string, resource: IResource, why: string): void {
  const stack = Stack.of(scope);
  for (const [what, value, stackValue] of [
    ['Region', resource.env.region, stack.region],
    ['account', resource.env.account, stack.account],
  ]) {
    if (!Token.isUnresolved(value) && !Token.isUnresolved(stackValue) && value !== stackValue) {
      fail(scope, propertyPath, `must be in the stack's ${what} (${stackValue}): ${why}`, value);
    }
  }
}
