/**
 * The group's side of delivery: egressDomain (created and imported groups), CdnAuthorization.withGeneratedSecret, and
 * the rule that the CDN identifier secret is in the group's account and Region.
 */
import { App, Fn, Lazy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CdnAuthorization, PackagingGroup } from '../../src';

function newStack(app = new App(), id = 'Stack', region = 'eu-west-1', account = '111111111111'): Stack {
  return new Stack(app, id, { env: { account, region } });
}

const HOST = 'abc123.egress.mediapackage-vod.eu-west-1.amazonaws.com';

describe('egressDomain', () => {
  test('of a created group is element 2 of the DomainName attribute split at /', () => {
    const stack = newStack();
    const group = new PackagingGroup(stack, 'Group');
    expect(stack.resolve(group.egressDomain)).toEqual({
      'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': ['GroupC77FDACD', 'DomainName'] }] }],
    });
    expect(stack.resolve(group.domainName)).toEqual({ 'Fn::GetAtt': ['GroupC77FDACD', 'DomainName'] });
  });

  test.each([
    ['the URL', `https://${HOST}`],
    ['the URL with a trailing slash', `https://${HOST}/`],
    ['the host', HOST],
  ])('an import given %s has the URL as domainName and the host as egressDomain', (_name, domainName) => {
    const stack = newStack();
    const group = PackagingGroup.fromPackagingGroupAttributes(stack, 'Imported', { packagingGroupId: 'existing', domainName });
    expect(group.domainName).toEqual(`https://${HOST}`);
    expect(group.egressDomain).toEqual(HOST);
  });

  test.each([
    ['an http URL', `http://${HOST}`],
    ['a URL with a path', `https://${HOST}/out/v1/abc/index.m3u8`],
    ['a URL with a port', `https://${HOST}:443`],
    ['a URL with a query', `https://${HOST}?a=b`],
    ['another scheme', `ftp://${HOST}`],
    ['a host with a space', 'abc def.example.com'],
    ['a host with an underscore', 'abc_def.example.com'],
    ['a label starting with a hyphen', '-abc.example.com'],
    ['an empty value', ''],
    ['https:// alone', 'https://'],
  ])('an import fails for %s', (_name, domainName) => {
    const stack = newStack();
    const quoted = domainName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(() => PackagingGroup.fromPackagingGroupAttributes(stack, 'Imported', { packagingGroupId: 'existing', domainName }))
      .toThrow(new RegExp(`\\[Stack/Imported\\] domainName: must be the https URL of the group's egress domain .* \\(got '${quoted}'\\)`));
  });

  test('a Token domain name is taken to be the URL and not checked', () => {
    const stack = newStack();
    const domainName = Fn.importValue('GroupDomainName');
    const group = PackagingGroup.fromPackagingGroupAttributes(stack, 'Imported', { packagingGroupId: 'existing', domainName });
    expect(stack.resolve(group.egressDomain)).toEqual({
      'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::ImportValue': 'GroupDomainName' }] }],
    });
    const lazy = Lazy.string({ produce: () => 'not a host!' });
    expect(() => PackagingGroup.fromPackagingGroupAttributes(stack, 'Lazy', { packagingGroupId: 'x', domainName: lazy })).not.toThrow();
  });

  test('an import without a domain name throws on egressDomain', () => {
    const stack = newStack();
    const group = PackagingGroup.fromPackagingGroupId(stack, 'Imported', 'existing');
    expect(() => group.egressDomain).toThrow(/\[Stack\/Imported\] egressDomain: not known for this imported packaging group/);
  });
});

describe('CdnAuthorization.withGeneratedSecret', () => {
  test('creates a 36-character letters-and-digits secret under the group and the role that reads it', () => {
    const stack = newStack();
    const group = new PackagingGroup(stack, 'Group', { authorization: CdnAuthorization.withGeneratedSecret() });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: {
        SecretStringTemplate: '{}',
        GenerateStringKey: 'MediaPackageCDNIdentifier',
        ExcludePunctuation: true,
        IncludeSpace: false,
        PasswordLength: 36,
      },
    });
    const secretId = Object.keys(template.findResources('AWS::SecretsManager::Secret'))[0];
    expect(secretId).toMatch(/^GroupCdnIdentifier/);
    template.hasResourceProperties('AWS::MediaPackage::PackagingGroup', {
      Authorization: {
        CdnIdentifierSecret: { Ref: secretId },
        SecretsRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GroupCdnSecretsRole'), 'Arn'] },
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          { Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Effect: 'Allow', Resource: { Ref: secretId } },
          { Action: ['secretsmanager:ListSecretVersionIds', 'secretsmanager:GetResourcePolicy'], Effect: 'Allow', Resource: { Ref: secretId } },
          // ListSecrets has no resource-level permission (user guide, "Secrets Manager access for CDN authorization").
          { Action: 'secretsmanager:ListSecrets', Effect: 'Allow', Resource: '*' },
          Match.objectLike({ Action: ['iam:GetRole', 'iam:PassRole'], Resource: { 'Fn::GetAtt': ['GroupCdnSecretsRole55C9215F', 'Arn'] } }),
        ],
      },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'mediapackage.amazonaws.com' } }] },
    });
    expect(stack.resolve(group.cdnIdentifierSecret!.secretArn)).toEqual({ Ref: secretId });
  });

  test('takes a secret name and a role', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('mediapackage.amazonaws.com') });
    const authorization = CdnAuthorization.withGeneratedSecret({ secretName: 'vod/cdn-id', role });
    const group = new PackagingGroup(stack, 'Group', { authorization });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'vod/cdn-id' });
    template.resourceCountIs('AWS::IAM::Role', 1);
    expect(group.cdnAuthorizationRole).toBe(role);
    expect(authorization.secret).toBe(group.cdnIdentifierSecret);
  });

  test('the secret is not known before the authorization is given to a group', () => {
    expect(() => CdnAuthorization.withGeneratedSecret().secret).toThrow(/the secret is created when the authorization is given/);
  });

  test('fromSecret exposes the secret on the group', () => {
    const stack = newStack();
    const secret = new secretsmanager.Secret(stack, 'Secret');
    const group = new PackagingGroup(stack, 'Group', { authorization: CdnAuthorization.fromSecret(secret) });
    expect(group.cdnIdentifierSecret).toBe(secret);
    expect(new PackagingGroup(stack, 'Open').cdnIdentifierSecret).toBeUndefined();
  });
});

describe('the CDN identifier secret is in the group\'s account and Region', () => {
  test('fails for a secret imported from another Region', () => {
    const stack = newStack();
    const arn = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:cdn-id-AbCdEf';
    const secret = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Secret', arn);
    expect(() => new PackagingGroup(stack, 'Group', { authorization: CdnAuthorization.fromSecret(secret) })).toThrow(
      '[Stack/Group] authorization.secret: MediaPackage reads the CDN identifier only from a secret in the group\'s Region (eu-west-1); '
      + `this secret is in us-east-1 (got '${arn}')`);
  });

  test('fails for a secret imported from another account', () => {
    const stack = newStack();
    const arn = 'arn:aws:secretsmanager:eu-west-1:222222222222:secret:cdn-id-AbCdEf';
    const secret = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Secret', arn);
    expect(() => new PackagingGroup(stack, 'Group', { authorization: CdnAuthorization.fromSecret(secret) }))
      .toThrow(/authorization.secret: .* group's account \(111111111111\); this secret is in 222222222222 \(got 'arn:aws:secretsmanager:eu-west-1:222222222222/);
  });

  test('fails for a secret created in a stack of the app in another Region', () => {
    const app = new App();
    const secrets = newStack(app, 'Secrets', 'us-east-1');
    const stack = newStack(app, 'Stack', 'eu-west-1');
    const secret = new secretsmanager.Secret(secrets, 'Secret');
    expect(() => new PackagingGroup(stack, 'Group', { authorization: CdnAuthorization.fromSecret(secret) }))
      .toThrow(/\[Stack\/Group\] authorization.secret: .* group's Region \(eu-west-1\); this secret is in us-east-1 \(got <token>\)/);
  });

  test('a shared fromSecret is checked for every group: the second, in another Region, fails', () => {
    const app = new App();
    const first = newStack(app, 'Stack', 'eu-west-1');
    const second = newStack(app, 'Other', 'us-east-1');
    const secret = new secretsmanager.Secret(first, 'Secret');
    const authorization = CdnAuthorization.fromSecret(secret);
    new PackagingGroup(first, 'Group', { authorization });
    expect(() => new PackagingGroup(second, 'Group', { authorization }))
      .toThrow(/^\[Other\/Group\] authorization.secret: .* group's Region \(us-east-1\); this secret is in eu-west-1 \(got <token>\)$/);
    // A second group in the secret's Region shares it.
    expect(() => new PackagingGroup(first, 'Twin', { authorization })).not.toThrow();
  });

  test('accepts a secret of another stack in the same account and Region', () => {
    const app = new App();
    const secrets = newStack(app, 'Secrets');
    const stack = newStack(app, 'Stack');
    const secret = new secretsmanager.Secret(secrets, 'Secret');
    expect(() => new PackagingGroup(stack, 'Group', { authorization: CdnAuthorization.fromSecret(secret) })).not.toThrow();
  });

  test('is not checked when a side is not known (environment-agnostic stack, Token ARN)', () => {
    const agnostic = new Stack(new App(), 'Agnostic');
    const secret = secretsmanager.Secret.fromSecretCompleteArn(agnostic, 'Secret', 'arn:aws:secretsmanager:us-east-1:222222222222:secret:x-AbCdEf');
    expect(() => new PackagingGroup(agnostic, 'Group', { authorization: CdnAuthorization.fromSecret(secret) })).not.toThrow();

    const stack = newStack();
    const tokenSecret = secretsmanager.Secret.fromSecretCompleteArn(stack, 'TokenSecret', Fn.importValue('SecretArn'));
    expect(() => new PackagingGroup(stack, 'Group', { authorization: CdnAuthorization.fromSecret(tokenSecret) })).not.toThrow();
  });
});
