import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CdnAuthorization, PackagingGroup, VodDistribution } from '../../src';

const EU = { account: '111111111111', region: 'eu-west-1' };
const US = { account: '111111111111', region: 'us-east-1' };

describe('a VodDistribution in another Region than the group (#22)', () => {
  test('with CDN authorization: fails with the distribution\'s path (the secret reference resolves in the stack\'s Region)', () => {
    const app = new App();
    const stack = new Stack(app, 'Media', { env: EU });
    const group = new PackagingGroup(stack, 'Group', { authorization: CdnAuthorization.withGeneratedSecret() });
    const edge = new Stack(app, 'Edge', { env: US });
    expect(() => new VodDistribution(edge, 'Cdn', { packagingGroup: group })).toThrow(
      "[Edge/Cdn/Distribution/Origin1] origin.cdnIdentifierSecret: is in eu-west-1, the distribution's stack in us-east-1: CloudFormation "
      + "resolves the CDN identifier reference in the stack's own Region. Put the distribution in a stack of the group's Region "
      + "(eu-west-1; CloudFront is global) (got 'eu-west-1')");
  });

  test('with CDN authorization in the group\'s Region: the header is the secret\'s dynamic reference', () => {
    const app = new App();
    const stack = new Stack(app, 'Media', { env: EU });
    const group = new PackagingGroup(stack, 'Group', { authorization: CdnAuthorization.withGeneratedSecret() });
    new VodDistribution(stack, 'Cdn', { packagingGroup: group });
    const config = JSON.stringify(Template.fromStack(stack).findResources('AWS::CloudFront::Distribution'));
    expect(config).toContain('X-MediaPackage-CDNIdentifier');
    expect(config).toContain('{{resolve:secretsmanager:');
  });

  test('without CDN authorization: a us-east-1 distribution of a eu-west-1 group synthesizes', () => {
    const app = new App();
    const stack = new Stack(app, 'Media', { env: EU });
    const group = new PackagingGroup(stack, 'Group');
    const edge = new Stack(app, 'Edge', { env: US });
    new VodDistribution(edge, 'Cdn', { packagingGroup: group });
    expect(() => app.synth()).not.toThrow();
    Template.fromStack(edge).resourceCountIs('AWS::CloudFront::Distribution', 1);
  });
});
