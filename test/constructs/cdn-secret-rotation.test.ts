/**
 * Rotating the CDN identifier: CloudFormation resolves a `{{resolve:secretsmanager:...}}` reference again only when the
 * resource holding it changes. `cdnIdentifierVersionId` names the secret version in the reference, so a rotation changes
 * the distribution's template (and so its value at the next deploy).
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CdnAuthorization, PackagingGroup, VodDistribution } from '../../src';

const V1 = 'a1b2c3d4-0000-4000-8000-000000000001';
const V2 = 'a1b2c3d4-0000-4000-8000-000000000002';

/** The template of a stack with a generated secret and a VodDistribution sending version `versionId`. */
function synth(versionId?: string): { stack: Stack; template: Template } {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const group = new PackagingGroup(stack, 'Group', { authorization: CdnAuthorization.withGeneratedSecret() });
  new VodDistribution(stack, 'Cdn', { packagingGroup: group, originOptions: { cdnIdentifierVersionId: versionId } });
  return { stack, template: Template.fromStack(stack) };
}

function headerValue(template: Template): unknown {
  const distribution = Object.values<any>(template.findResources('AWS::CloudFront::Distribution'))[0];
  const origin = distribution.Properties.DistributionConfig.Origins[0];
  return origin.OriginCustomHeaders.find((h: any) => h.HeaderName === 'X-MediaPackage-CDNIdentifier').HeaderValue;
}

describe('CDN identifier rotation (cdnIdentifierVersionId)', () => {
  test('the dynamic reference names the version', () => {
    const { template } = synth(V1);
    const secretId = Object.keys(template.findResources('AWS::SecretsManager::Secret'))[0];
    expect(headerValue(template)).toEqual({
      'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, `:SecretString:MediaPackageCDNIdentifier::${V1}}}`]],
    });
  });

  test('a new version id changes the distribution (so CloudFormation resolves the secret again); the same one does not', () => {
    const before = synth(V1).template.toJSON();
    const again = synth(V1).template.toJSON();
    const after = synth(V2).template.toJSON();
    expect(again).toEqual(before);
    expect(after).not.toEqual(before);
    // Only the distribution differs.
    const changed = Object.keys(before.Resources).filter(id => JSON.stringify(before.Resources[id]) !== JSON.stringify(after.Resources[id]));
    expect(changed.map(id => before.Resources[id].Type)).toEqual(['AWS::CloudFront::Distribution']);
  });

  test('without it, redeploying after a rotation leaves the template as it was (the documented pitfall)', () => {
    expect(synth().template.toJSON()).toEqual(synth().template.toJSON());
    const { template } = synth();
    const secretId = Object.keys(template.findResources('AWS::SecretsManager::Secret'))[0];
    expect(headerValue(template)).toEqual({
      'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:MediaPackageCDNIdentifier::}}']],
    });
  });

  test.each([
    ['too short', 'v2'],
    ['a colon', `${V1}:x`],
    ['a brace', `${V1}}`],
  ])('a version id with %s fails with the property path and the value', (_what, versionId) => {
    expect(() => synth(versionId)).toThrow(
      new RegExp(`\\[Stack/Group\\] PackagingGroupOrigin.cdnIdentifierVersionId: a Secrets Manager version id .*\\(got '${versionId.replace(/[}]/g, '\\}')}'\\)`));
  });
});
