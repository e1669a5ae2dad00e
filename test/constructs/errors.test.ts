import { App, Errors, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { newStack } from './util';
import { AssetSource, MediaPackageVodErrors, PackagingFormat, PackagingGroup } from '../../src';
import { MediaPackageVodValidationError } from '../../src/private/errors';

/** The error thrown by `fn` (fails the test when nothing is thrown). */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('errors users can test for', () => {
  test('MediaPackageVodErrors.isValidationError: true for the library\'s validation errors, with their paths', () => {
    const stack = newStack();
    const error = thrownBy(() => new PackagingGroup(stack, 'Group', { packagingGroupId: 'my vod' }));
    expect(MediaPackageVodErrors.isValidationError(error)).toBe(true);
    expect(error).toBeInstanceOf(MediaPackageVodValidationError);
    const e = error as MediaPackageVodValidationError;
    expect(e.name).toBe('ValidationError');
    expect(e.constructPath).toBe('Stack/Group');
    expect(e.propertyPath).toBe('packagingGroupId');
    expect(e.message).toMatch(/^\[Stack\/Group\] packagingGroupId: .* \(got 'my vod'\)$/);
  });

  test('isValidationError: false for other errors and values, and for aws-cdk-lib\'s own validation errors', () => {
    // aws-cdk-lib's ValidationError: a construct outside any stack.
    const cdkError = thrownBy(() => Stack.of(new Construct(new App(), 'Outside')));
    expect(Errors.isValidationError(cdkError)).toBe(true);
    for (const value of [cdkError, new Error('[Stack/Group] packagingGroupId: x'), undefined, null, 'ValidationError', {}]) {
      expect(MediaPackageVodErrors.isValidationError(value)).toBe(false);
    }
  });

  test('aws-cdk-lib\'s Errors.isValidationError does not recognise them (no public way to be recognised: see src/errors.ts)', () => {
    const stack = newStack();
    const error = thrownBy(() => new PackagingGroup(stack, 'Group', { packagingGroupId: 'my vod' }));
    expect(Errors.isValidationError(error)).toBe(false);
  });

  test('the public `resource` members are the constructs\' default children (the typed L1 escape hatch)', () => {
    const stack = newStack();
    const group = new PackagingGroup(stack, 'Group');
    const configuration = group.addPackagingConfiguration('Hls', { format: PackagingFormat.hls({ manifests: [{}] }) });
    const asset = group.addAsset('Movie', { source: AssetSource.fromBucket(s3.Bucket.fromBucketName(stack, 'B', 'vod-sources'), 'a/index.smil') });
    expect(group.resource).toBe(group.node.defaultChild);
    expect(configuration.resource).toBe(configuration.node.defaultChild);
    expect(asset.resource).toBe(asset.node.defaultChild);
  });
});
