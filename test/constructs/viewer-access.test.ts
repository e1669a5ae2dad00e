/**
 * Viewer access (signed cookies / signed URLs): the key group every group behavior trusts, generated and own keys,
 * rotation, signers' grants, browsers (CORS with credentials, cookie domain), VodBehaviors, VodDistribution as an
 * IDistribution, and asset.playbackPathPattern.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnOutput, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { newStack } from './util';
import {
  AssetSource, PackagingFormat, PackagingGroup, PackagingGroupOrigin, VodBehaviors, VodDistribution, ViewerAccess,
  ViewerAccessMode, ViewerSigningKeys,
} from '../../src';

const PUBLIC_PEM = '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA0000\n-----END PUBLIC KEY-----\n';
/** What `grantSign` allows on each generated private key's secret (the secret's own grantRead). */
const SECRET_READ = ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'];
const CERT_ARN = 'arn:aws:acm:us-east-1:111111111111:certificate/11111111-2222-3333-4444-555555555555';

/** Every cache behavior and the default one of the one distribution. */
function behaviorsOf(template: Template): any[] {
  const distributions = template.findResources('AWS::CloudFront::Distribution');
  expect(Object.keys(distributions)).toHaveLength(1);
  const config = Object.values<any>(distributions)[0].Properties.DistributionConfig;
  return [config.DefaultCacheBehavior, ...(config.CacheBehaviors ?? [])];
}

function logicalIdOf(stack: Stack, type: string): string {
  const ids = Object.keys(Template.fromStack(stack).findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0];
}

describe('VodDistribution viewerAccess', () => {
  test('public by default: no behavior trusts a key group, nothing is created for signing', () => {
    const stack = newStack();
    const cdn = new VodDistribution(stack, 'Cdn', { packagingGroup: new PackagingGroup(stack, 'Group') });
    const template = Template.fromStack(stack);
    for (const behavior of behaviorsOf(template)) { expect(behavior.TrustedKeyGroups).toBeUndefined(); }
    template.resourceCountIs('AWS::CloudFront::KeyGroup', 0);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(cdn.viewerAccessMode).toBe(ViewerAccessMode.PUBLIC);
    expect(cdn.keyGroup).toBeUndefined();
    expect(cdn.publicKeyIds).toEqual([]);
    expect(cdn.signingKeySecret).toBeUndefined();
    expect(() => cdn.grantSign(new iam.Role(stack, 'Backend', { assumedBy: new iam.AccountRootPrincipal() })))
      .toThrow('[Stack/Cdn] grantSign: viewer access is public: there is no signing key (got \'public\')');
  });

  test('signedCookies(): every group behavior (segments and the three manifest patterns) trusts the one generated key group', () => {
    const stack = newStack();
    const cdn = new VodDistribution(stack, 'Cdn', { packagingGroup: new PackagingGroup(stack, 'Group'), viewerAccess: ViewerAccess.signedCookies() });
    const template = Template.fromStack(stack);
    const keyGroupId = logicalIdOf(stack, 'AWS::CloudFront::KeyGroup');
    const behaviors = behaviorsOf(template);
    expect(behaviors.map(b => b.PathPattern)).toEqual([undefined, 'out/*.m3u8', 'out/*.mpd', 'out/*/Manifest']);
    for (const behavior of behaviors) {
      expect(behavior.TrustedKeyGroups).toEqual([{ Ref: keyGroupId }]);
      expect(behavior.AllowedMethods).toEqual(['GET', 'HEAD', 'OPTIONS']);
    }
    // One generated key: the secret, the custom resource given only the secret's ARN, the public key from its attribute.
    const secretId = logicalIdOf(stack, 'AWS::SecretsManager::Secret');
    const resourceId = logicalIdOf(stack, 'Custom::MediaPackageVodSigningKey');
    template.hasResourceProperties('Custom::MediaPackageVodSigningKey', {
      ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CustomMediaPackageVodSigningKeyProvider'), 'Arn'] },
      SecretArn: { Ref: secretId },
    });
    const properties = template.findResources('Custom::MediaPackageVodSigningKey')[resourceId].Properties;
    expect(Object.keys(properties).sort()).toEqual(['SecretArn', 'ServiceTimeout', 'ServiceToken']);
    // CloudFormation stops waiting a minute after the function's 2-minute timeout (the providers' recipe).
    expect(properties.ServiceTimeout).toEqual('180');
    const publicKeyId = logicalIdOf(stack, 'AWS::CloudFront::PublicKey');
    template.hasResourceProperties('AWS::CloudFront::PublicKey', {
      PublicKeyConfig: { EncodedKey: { 'Fn::GetAtt': [resourceId, 'PublicKey'] } },
    });
    template.hasResourceProperties('AWS::CloudFront::KeyGroup', { KeyGroupConfig: { Items: [{ Ref: publicKeyId }] } });
    // The provider may read and write exactly that secret.
    const provider = Object.values<any>(template.findResources('AWS::IAM::Role', {
      Properties: { Policies: Match.anyValue() },
    })).find(role => JSON.stringify(role).includes('PutSecretValue'));
    expect(provider.Properties.Policies[0].PolicyDocument.Statement).toEqual([{
      Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'], Resource: { Ref: secretId },
    }]);
    // Its logs are kept a week (CustomResourceProvider has no log group of its own).
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    expect(cdn.viewerAccessMode).toBe(ViewerAccessMode.SIGNED_COOKIES);
    expect(stack.resolve(cdn.publicKeyIds)).toEqual([{ Ref: publicKeyId }]);
    expect(stack.resolve(cdn.signingPublicKeyId)).toEqual({ Ref: publicKeyId });
    expect(stack.resolve(cdn.signingKeySecret!.secretArn)).toEqual({ Ref: secretId });
    expect(stack.resolve(cdn.keyGroup!.keyGroupId)).toEqual({ Ref: keyGroupId });
  });

  test('signedUrls(): the same trust; the query strings MediaPackage needs stay in the cache key, the signature ones never reach it', () => {
    const stack = newStack();
    new VodDistribution(stack, 'Cdn', { packagingGroup: new PackagingGroup(stack, 'Group'), viewerAccess: ViewerAccess.signedUrls() });
    const template = Template.fromStack(stack);
    const keyGroupId = logicalIdOf(stack, 'AWS::CloudFront::KeyGroup');
    for (const behavior of behaviorsOf(template)) {
      expect(behavior.TrustedKeyGroups).toEqual([{ Ref: keyGroupId }]);
      // SimpleCORS (no credentials needed for signed URLs); the CORS-S3Origin policy forwards no query string.
      expect(behavior.ResponseHeadersPolicyId).toBe('60669652-455b-4ae9-85a4-c4c02393f86c');
      expect(behavior.OriginRequestPolicyId).toBe('88a5eaf4-2fd4-4709-b370-b4c650ea3fcf');
    }
    // Manifests: only aws.manifestfilter in the key (Expires, Policy, Signature, Key-Pair-Id are not forwarded); segments:
    // the managed Elemental-MediaPackage policy (aws.manifestfilter, start, end, m).
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: { ParametersInCacheKeyAndForwardedToOrigin: { QueryStringsConfig: { QueryStringBehavior: 'whitelist', QueryStrings: ['aws.manifestfilter'] } } },
    });
    expect(behaviorsOf(template)[0].CachePolicyId).toBe('08627262-05a9-4f76-9ded-b50ca2e3a84f');
  });

  test('the synthesized assembly holds no private key: only the placeholder template of the secret and a GetAtt of the public key', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'viewer-keys-'));
    const app = new App({ outdir });
    const stack = newStack(app);
    const cdn = new VodDistribution(stack, 'Cdn', {
      packagingGroup: new PackagingGroup(stack, 'Group'),
      viewerAccess: ViewerAccess.signedCookies({ generatedKeys: ['a', 'b'] }),
    });
    new CfnOutput(stack, 'KeyIds', { value: stack.toJsonString(cdn.publicKeyIds) });
    app.synth();
    const texts: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) { walk(file); } else { texts.push(fs.readFileSync(file, 'latin1')); }
      }
    };
    walk(outdir);
    const all = texts.join('\n');
    expect(texts.length).toBeGreaterThan(2); // the template, the manifest, the handler bundle...
    expect(all).toContain('Custom::MediaPackageVodSigningKey'); // the search does see the template
    expect(all).not.toMatch(/BEGIN (RSA |ENCRYPTED )?PRIVATE KEY-----\n[A-Za-z0-9+/]/);
    expect(all).not.toMatch(/MII[A-Za-z0-9+/]{60}/); // no DER key body, private or public, is written at synth
    // The secrets start as a generated placeholder: no SecretString in the template.
    for (const secret of Object.values<any>(Template.fromStack(stack).findResources('AWS::SecretsManager::Secret'))) {
      expect(secret.Properties.SecretString).toBeUndefined();
      expect(secret.Properties.GenerateSecretString).toEqual({ ExcludePunctuation: true, PasswordLength: 32 });
    }
  });

  test('rotation: two generated keys in the group, signers get the newest; grantSign reads both secrets, nothing else', () => {
    const stack = newStack();
    const cdn = new VodDistribution(stack, 'Cdn', {
      packagingGroup: new PackagingGroup(stack, 'Group'),
      viewerAccess: ViewerAccess.signedCookies({ generatedKeys: ['2026a', '2026b'] }),
    });
    const backend = new iam.Role(stack, 'Backend', { assumedBy: new iam.AccountRootPrincipal() });
    cdn.grantSign(backend);
    const template = Template.fromStack(stack);
    const secrets = Object.keys(template.findResources('AWS::SecretsManager::Secret'));
    const keys = Object.keys(template.findResources('AWS::CloudFront::PublicKey'));
    expect(secrets).toHaveLength(2);
    expect(keys).toHaveLength(2);
    template.resourceCountIs('Custom::MediaPackageVodSigningKey', 2);
    template.hasResourceProperties('AWS::CloudFront::KeyGroup', { KeyGroupConfig: { Items: keys.map(id => ({ Ref: id })) } });
    expect(secrets[1]).toMatch(/Key2026b/);
    expect(stack.resolve(cdn.signingKeySecret!.secretArn)).toEqual({ Ref: secrets[1] });
    expect(stack.resolve(cdn.signingPublicKeyId)).toEqual({ Ref: keys[1] });
    expect(stack.resolve(cdn.publicKeyIds)).toEqual(keys.map(id => ({ Ref: id })));
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: stack.getLogicalId(backend.node.defaultChild as iam.CfnRole) }],
      PolicyDocument: { Statement: secrets.map(id => ({ Effect: 'Allow', Action: SECRET_READ, Resource: { Ref: id } })) },
    });
    // The one provider role's policy names each secret exactly (one statement per key).
    const provider = Object.values<any>(template.findResources('AWS::IAM::Role')).find(role => JSON.stringify(role).includes('PutSecretValue'));
    expect(provider.Properties.Policies[0].PolicyDocument.Statement.map((s: any) => s.Resource)).toEqual(secrets.map(id => ({ Ref: id })));
  });

  test('rotation step one: signingKey pins signers to the old key while the group trusts both; a label not generated fails', () => {
    const stack = newStack();
    const cdn = new VodDistribution(stack, 'Cdn', {
      packagingGroup: new PackagingGroup(stack, 'Group'),
      viewerAccess: ViewerAccess.signedCookies({ generatedKeys: ['2026a', '2026b'], signingKey: '2026a' }),
    });
    const template = Template.fromStack(stack);
    const secrets = Object.keys(template.findResources('AWS::SecretsManager::Secret'));
    const keys = Object.keys(template.findResources('AWS::CloudFront::PublicKey'));
    template.hasResourceProperties('AWS::CloudFront::KeyGroup', { KeyGroupConfig: { Items: keys.map(id => ({ Ref: id })) } });
    expect(secrets[0]).toMatch(/Key2026a/);
    expect(stack.resolve(cdn.signingKeySecret!.secretArn)).toEqual({ Ref: secrets[0] });
    expect(stack.resolve(cdn.signingPublicKeyId)).toEqual({ Ref: keys[0] });
    const keysConstruct = new ViewerSigningKeys(stack, 'Keys', { generatedKeys: ['3'], signingKey: '3' });
    expect(keysConstruct.signingKeySecret).toBe(keysConstruct.signingKeySecrets[0]);
    expect(() => new ViewerSigningKeys(stack, 'Bad', { generatedKeys: ['1', '2'], signingKey: '3' })).toThrow(
      '[Stack/Bad] signingKey: must be one of generatedKeys (1, 2): the label of the generated key signers use (got \'3\')');
  });

  test('own public keys (PEM): two in the group for rotation, nothing generated, grantSign refused', () => {
    const stack = newStack();
    const oldKey = new cloudfront.PublicKey(stack, 'Old', { encodedKey: PUBLIC_PEM });
    const newKey = new cloudfront.PublicKey(stack, 'New', { encodedKey: PUBLIC_PEM });
    const cdn = new VodDistribution(stack, 'Cdn', {
      packagingGroup: new PackagingGroup(stack, 'Group'),
      viewerAccess: ViewerAccess.signedCookies({ publicKeys: [oldKey, newKey] }),
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    template.resourceCountIs('Custom::MediaPackageVodSigningKey', 0);
    const ids = [oldKey, newKey].map(k => stack.getLogicalId(k.node.defaultChild as cloudfront.CfnPublicKey));
    template.hasResourceProperties('AWS::CloudFront::KeyGroup', { KeyGroupConfig: { Items: ids.map(id => ({ Ref: id })) } });
    expect(stack.resolve(cdn.publicKeyIds)).toEqual(ids.map(id => ({ Ref: id })));
    expect(cdn.signingKeySecret).toBeUndefined();
    expect(() => cdn.grantSign(new iam.Role(stack, 'Backend', { assumedBy: new iam.AccountRootPrincipal() })))
      .toThrow(/\[Stack\/Cdn\/ViewerSigningKeys\] grantSign: no key pair is generated here/);
  });

  test('an existing key group: trusted as it is, nothing created; combining it with keys fails', () => {
    const stack = newStack();
    const keyGroup = cloudfront.KeyGroup.fromKeyGroupId(stack, 'Mine', 'kg-123');
    const cdn = new VodDistribution(stack, 'Cdn', { packagingGroup: new PackagingGroup(stack, 'Group'), viewerAccess: ViewerAccess.signedUrls({ keyGroup }) });
    const template = Template.fromStack(stack);
    for (const behavior of behaviorsOf(template)) { expect(behavior.TrustedKeyGroups).toEqual(['kg-123']); }
    template.resourceCountIs('AWS::CloudFront::KeyGroup', 0);
    expect(cdn.publicKeyIds).toEqual([]);
    expect(() => cdn.grantSign(new iam.Role(stack, 'Backend', { assumedBy: new iam.AccountRootPrincipal() })))
      .toThrow('[Stack/Cdn] grantSign: the key group is yours (viewerAccess keyGroup): there is no generated signing key to grant (got \'signed-urls\')');

    const other = newStack();
    const mine = cloudfront.KeyGroup.fromKeyGroupId(other, 'Mine', 'kg-123');
    expect(() => new VodDistribution(other, 'Cdn', {
      packagingGroup: new PackagingGroup(other, 'Group'), viewerAccess: ViewerAccess.signedCookies({ keyGroup: mine, generatedKeys: ['1'] }),
    })).toThrow('[Stack/Cdn] viewerAccess.keyGroup: a key group of yours takes no publicKeys, generatedKeys, signingKey, encryptionKey or logEncryptionKey: give the keys in one place (got \'Stack/Mine\')');
  });

  test('a customer-managed key encrypts the secrets; the provider and the signers may use it (GenerateDataKey/Decrypt, Decrypt)', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    const cdn = new VodDistribution(stack, 'Cdn', {
      packagingGroup: new PackagingGroup(stack, 'Group'), viewerAccess: ViewerAccess.signedCookies({ encryptionKey: key }),
    });
    const backend = new iam.Role(stack, 'Backend', { assumedBy: new iam.AccountRootPrincipal() });
    const grant = cdn.grantSign(backend);
    const template = Template.fromStack(stack);
    const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] };
    template.hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: keyArn });
    const provider = Object.values<any>(template.findResources('AWS::IAM::Role')).find(role => JSON.stringify(role).includes('PutSecretValue'));
    expect(provider.Properties.Policies[0].PolicyDocument.Statement[1]).toEqual({ Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: keyArn });
    // Signers: the secret's read, and kms:Decrypt only through Secrets Manager of this Region (in their policy and the key's).
    const backendArn = { 'Fn::GetAtt': [stack.getLogicalId(backend.node.defaultChild as iam.CfnRole), 'Arn'] };
    const viaSecretsManager = { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } };
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: stack.getLogicalId(backend.node.defaultChild as iam.CfnRole) }],
      PolicyDocument: {
        Statement: [
          { Effect: 'Allow', Action: SECRET_READ, Resource: { Ref: logicalIdOf(stack, 'AWS::SecretsManager::Secret') } },
          { Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn, Condition: viaSecretsManager },
        ],
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([{
          Action: 'kms:Decrypt',
          Effect: 'Allow',
          Principal: { AWS: backendArn },
          Resource: '*',
          Condition: viaSecretsManager,
        }]),
      },
    });
    expect(grant.success).toBe(true);
    expect(grant.principalStatements.map(st => st.toStatementJson().Action)).toEqual([SECRET_READ, 'kms:Decrypt']);

    // An imported key takes no key policy statement: the signer's own policy carries the conditioned kms:Decrypt.
    const other = newStack();
    const imported = kms.Key.fromKeyArn(other, 'Key', 'arn:aws:kms:eu-west-1:111111111111:key/abc');
    const keys = new ViewerSigningKeys(other, 'Keys', { encryptionKey: imported });
    keys.grantSign(new iam.Role(other, 'Backend', { assumedBy: new iam.AccountRootPrincipal() }));
    Template.fromStack(other).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          { Effect: 'Allow', Action: SECRET_READ, Resource: { Ref: logicalIdOf(other, 'AWS::SecretsManager::Secret') } },
          { Effect: 'Allow', Action: 'kms:Decrypt', Resource: 'arn:aws:kms:eu-west-1:111111111111:key/abc', Condition: viaSecretsManager },
        ],
      },
    });
  });

  test('logEncryptionKey: the signing-key function\'s log group (one per stack) is encrypted with it; another key in the stack fails', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'LogKey');
    new ViewerSigningKeys(stack, 'Keys', { logEncryptionKey: key });
    new VodDistribution(stack, 'Cdn', {
      packagingGroup: new PackagingGroup(stack, 'Group'), viewerAccess: ViewerAccess.signedCookies({ logEncryptionKey: key }),
    });
    const template = Template.fromStack(stack);
    const logGroups = template.findResources('AWS::Logs::LogGroup');
    expect(Object.keys(logGroups)).toHaveLength(1);
    const logGroup = Object.values<any>(logGroups)[0];
    expect(logGroup.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] });
    expect(JSON.stringify(logGroup.Metadata ?? {})).not.toContain('CKV_AWS_158');
    expect(() => new ViewerSigningKeys(stack, 'Other', { logEncryptionKey: new kms.Key(stack, 'OtherKey') })).toThrow(
      /^\[Stack\/Other\/Key1\] logEncryptionKey: the log group of the stack's function .* already created with the key Stack\/LogKey.*\(got 'Stack\/OtherKey'\)$/);

    const plain = newStack();
    new ViewerSigningKeys(plain, 'Keys');
    const unencrypted = Object.values<any>(Template.fromStack(plain).findResources('AWS::Logs::LogGroup'))[0];
    expect(unencrypted.Properties.KmsKeyId).toBeUndefined();
    expect(unencrypted.Metadata.checkov.skip).toEqual([{ id: 'CKV_AWS_158', comment: expect.stringMatching(/^Operational logs of the signing-key function/) }]);
  });

  describe('bad keys', () => {
    test('fails for a label that is not letters and digits, or given twice', () => {
      const stack = newStack();
      const group = new PackagingGroup(stack, 'Group');
      expect(() => new VodDistribution(stack, 'A', { packagingGroup: group, viewerAccess: ViewerAccess.signedCookies({ generatedKeys: ['key-1'] }) }))
        .toThrow('[Stack/A/ViewerSigningKeys] generatedKeys[0]: must be 1 to 20 letters and digits (it names the key\'s constructs) (got \'key-1\')');
      expect(() => new VodDistribution(stack, 'B', { packagingGroup: group, viewerAccess: ViewerAccess.signedCookies({ generatedKeys: ['1', '1'] }) }))
        .toThrow('[Stack/B/ViewerSigningKeys] generatedKeys[1]: appears twice: each label is one key pair (got \'1\')');
      expect(() => new VodDistribution(stack, 'C', {
        packagingGroup: group, viewerAccess: ViewerAccess.signedCookies({ generatedKeys: [Lazy.string({ produce: () => 'x' })] }),
      })).toThrow(/generatedKeys\[0\]: must be 1 to 20 letters and digits .*\(got <token>\)/);
    });

    test('fails for no key at all', () => {
      const stack = newStack();
      expect(() => new ViewerSigningKeys(stack, 'Keys', { generatedKeys: [] })).toThrow(
        '[Stack/Keys] generatedKeys: no key at all: a key group needs at least one public key (give publicKeys, or leave '
        + 'generatedKeys out to generate one) (got [])');
    });

    test('fails for more than five keys (CloudFront\'s key group quota)', () => {
      const stack = newStack();
      const own = [1, 2, 3].map(i => new cloudfront.PublicKey(stack, `K${i}`, { encodedKey: PUBLIC_PEM }));
      expect(() => new VodDistribution(stack, 'Cdn', {
        packagingGroup: new PackagingGroup(stack, 'Group'), viewerAccess: ViewerAccess.signedCookies({ publicKeys: own, generatedKeys: ['a', 'b', 'c'] }),
      })).toThrow('[Stack/Cdn/ViewerSigningKeys] publicKeys: a CloudFront key group holds at most 5 public keys; publicKeys and generatedKeys give 6 (got 6)');
    });
  });
});

describe('browsers: signedCookies({ allowedOrigins })', () => {
  function cookies(domainNames: string[] | undefined, allowedOrigins: string[], extra: object = {}) {
    const stack = newStack();
    const certificate = domainNames ? acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN) : undefined;
    const cdn = new VodDistribution(stack, 'Cdn', {
      packagingGroup: new PackagingGroup(stack, 'Group'), domainNames, certificate, viewerAccess: ViewerAccess.signedCookies({ allowedOrigins }), ...extra,
    });
    return { stack, cdn };
  }

  test('a response headers policy with credentials for exactly those origins, used by every group behavior, preflight allowed', () => {
    const { stack } = cookies(['video.example.com'], ['https://player.example.com', 'https://www.example.com:8443']);
    const template = Template.fromStack(stack);
    const policyId = logicalIdOf(stack, 'AWS::CloudFront::ResponseHeadersPolicy');
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        CorsConfig: {
          AccessControlAllowCredentials: true,
          AccessControlAllowOrigins: { Items: ['https://player.example.com', 'https://www.example.com:8443'] },
          AccessControlAllowMethods: { Items: ['GET', 'HEAD', 'OPTIONS'] },
          AccessControlAllowHeaders: { Items: ['Range', 'Origin', 'Content-Type'] },
          OriginOverride: true,
        },
      },
    });
    for (const behavior of behaviorsOf(template)) {
      expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
      expect(behavior.AllowedMethods).toEqual(['GET', 'HEAD', 'OPTIONS']);
      expect(behavior.CachedMethods).toEqual(['GET', 'HEAD', 'OPTIONS']);
      expect(behavior.TrustedKeyGroups).toHaveLength(1);
    }
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('fails for a wildcard origin (no credentials for *), and for what is not an origin', () => {
    expect(() => cookies(['video.example.com'], ['*'])).toThrow(
      '[Stack/Cdn] viewerAccess.allowedOrigins[0]: signed cookies need Access-Control-Allow-Credentials: true, and browsers refuse '
      + 'credentials for a wildcard origin: list each player origin explicitly (got \'*\')');
    expect(() => cookies(['video.example.com'], ['https://player.example.com', 'https://*.example.com'])).toThrow(/allowedOrigins\[1\]: signed cookies need/);
    for (const bad of ['player.example.com', 'https://player.example.com/', 'https://player.example.com/app', 'https://Player.example.com']) {
      expect(() => cookies(['video.example.com'], [bad])).toThrow('[Stack/Cdn] viewerAccess.allowedOrigins[0]: must be an origin as browsers send it: '
        + `scheme, lower-case host and optional port, no path (https://player.example.com) (got '${bad}')`);
    }
    expect(() => cookies(['video.example.com'], [])).toThrow('[Stack/Cdn] viewerAccess.allowedOrigins: give at least one origin, or leave allowedOrigins out (got [])');
  });

  test('cookie domain: fails when an origin shares no parent domain with the distribution\'s domainNames', () => {
    expect(() => cookies(['video.example.com'], ['https://player.example.org'])).toThrow(
      '[Stack/Cdn] viewerAccess.allowedOrigins[0]: shares no parent domain with the distribution\'s domainNames (video.example.com): '
      + 'the page cannot set cookies the browser sends to the distribution (got \'https://player.example.org\')');
    // A shared top-level domain alone is no parent domain.
    expect(() => cookies(['video.example.com'], ['https://player.other.com'])).toThrow(/allowedOrigins\[0\]: shares no parent domain/);
    // One matching domain name is enough; wildcard names count by their parent.
    expect(() => cookies(['cdn.other.net', 'video.example.com'], ['https://player.example.com'])).not.toThrow();
    expect(() => cookies(['*.media.example.com'], ['https://app.example.com'])).not.toThrow();
  });

  test('cookie domain: a warning without domainNames; Tokens skip the checks', () => {
    const { stack } = cookies(undefined, ['https://player.example.com']);
    const warnings = Annotations.fromStack(stack).findWarning('/Stack/Cdn', Match.stringLikeRegexp('no domainNames'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].entry.data).toMatch(/viewerAccess.allowedOrigins: the distribution has no domainNames/);
    const token = Lazy.string({ produce: () => 'https://player.example.com' });
    expect(() => cookies(['video.example.com'], [token])).not.toThrow();
    expect(() => cookies([Lazy.string({ produce: () => 'video.example.com' })], ['https://player.example.org'])).not.toThrow();
  });

  test('fails when a responseHeadersPolicy is given too', () => {
    const stack = newStack();
    expect(() => new VodDistribution(stack, 'Cdn', {
      packagingGroup: new PackagingGroup(stack, 'Group'),
      domainNames: ['video.example.com'],
      certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN),
      responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.CORS_ALLOW_ALL_ORIGINS,
      viewerAccess: ViewerAccess.signedCookies({ allowedOrigins: ['https://player.example.com'] }),
    })).toThrow(/\[Stack\/Cdn\] responseHeadersPolicy: viewerAccess.allowedOrigins sets the CORS response headers policy .*\(got '60669652-455b-4ae9-85a4-c4c02393f86c'\)/);
  });
});

describe('VodBehaviors with viewerAccess (your own distribution)', () => {
  test('addTo, forOrigin, forGroup: a key pair to generate fails (nothing could sign with it), naming path, property and what to do', () => {
    const bad = /\[Stack\/(Site|Scope)\] viewerAccess\.keyGroup: outside a VodDistribution a generated key pair would be reachable by nothing .*new ViewerSigningKeys.*\(got undefined\)/s;
    for (const access of [ViewerAccess.signedCookies(), ViewerAccess.signedUrls({ generatedKeys: ['1'] }),
      ViewerAccess.signedCookies({ publicKeys: [], generatedKeys: ['a', 'b'] })]) {
      const stack = newStack();
      const group = new PackagingGroup(stack, 'Group');
      const distribution = new cloudfront.Distribution(stack, 'Site', { defaultBehavior: { origin: new origins.HttpOrigin('www.example.com') } });
      expect(() => VodBehaviors.addTo(distribution, new PackagingGroupOrigin(group), { viewerAccess: access })).toThrow(bad);
      const scope = new Construct(stack, 'Scope');
      expect(() => VodBehaviors.forOrigin(scope, new PackagingGroupOrigin(group), { viewerAccess: access })).toThrow(bad);
      expect(() => VodBehaviors.forGroup(scope, group, { viewerAccess: access })).toThrow(bad);
      expect(Template.fromStack(stack).findResources('AWS::CloudFront::PublicKey')).toEqual({});
    }
  });

  test('addTo with publicKeys of yours: the four group behaviors trust their key group (under the distribution); the site behavior does not', () => {
    const stack = newStack();
    const group = new PackagingGroup(stack, 'Group');
    const distribution = new cloudfront.Distribution(stack, 'Site', { defaultBehavior: { origin: new origins.HttpOrigin('www.example.com') } });
    const mine = new cloudfront.PublicKey(stack, 'Mine', { encodedKey: PUBLIC_PEM });
    VodBehaviors.addTo(distribution, new PackagingGroupOrigin(group), { viewerAccess: ViewerAccess.signedCookies({ publicKeys: [mine] }) });
    const template = Template.fromStack(stack);
    const keyGroupId = logicalIdOf(stack, 'AWS::CloudFront::KeyGroup');
    expect(keyGroupId).toMatch(/^SiteViewerSigningKeys/);
    template.hasResourceProperties('AWS::CloudFront::KeyGroup', { KeyGroupConfig: { Items: [{ Ref: stack.getLogicalId(mine.node.defaultChild as any) }] } });
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    const [site, ...vod] = behaviorsOf(template);
    expect(site.TrustedKeyGroups).toBeUndefined();
    expect(vod.map(b => b.PathPattern)).toEqual(['out/*.m3u8', 'out/*.mpd', 'out/*/Manifest', 'out/*']);
    for (const behavior of vod) { expect(behavior.TrustedKeyGroups).toEqual([{ Ref: keyGroupId }]); }
  });

  test('the same signedCookies() bound first by a VodDistribution: shared by addTo, signed through the VodDistribution', () => {
    const stack = newStack();
    const access = ViewerAccess.signedCookies();
    const cdn = new VodDistribution(stack, 'Cdn', { packagingGroup: new PackagingGroup(stack, 'Group'), viewerAccess: access });
    const site = new cloudfront.Distribution(stack, 'Site', { defaultBehavior: { origin: new origins.HttpOrigin('www.example.com') } });
    VodBehaviors.addTo(site, new PackagingGroupOrigin(new PackagingGroup(stack, 'Other')), { viewerAccess: access });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudFront::KeyGroup', 1);
    const siteId = stack.getLogicalId(site.node.defaultChild as cloudfront.CfnDistribution);
    const vod = template.findResources('AWS::CloudFront::Distribution')[siteId].Properties.DistributionConfig.CacheBehaviors;
    expect(vod).toHaveLength(4);
    for (const behavior of vod) { expect(behavior.TrustedKeyGroups).toEqual([stack.resolve(cdn.keyGroup!.keyGroupId)]); }
  });

  test('forOrigin with keys of a ViewerSigningKeys: shared, signers granted through it', () => {
    const stack = newStack();
    const keys = new ViewerSigningKeys(stack, 'Keys');
    const access = ViewerAccess.signedCookies({ keyGroup: keys.keyGroup });
    new cloudfront.Distribution(stack, 'Site', {
      defaultBehavior: { origin: new origins.HttpOrigin('www.example.com') },
      additionalBehaviors: VodBehaviors.forGroup(stack, new PackagingGroup(stack, 'Group'), { viewerAccess: access }),
    });
    keys.grantSign(new iam.Role(stack, 'Backend', { assumedBy: new iam.AccountRootPrincipal() }));
    const template = Template.fromStack(stack);
    const keyGroupId = logicalIdOf(stack, 'AWS::CloudFront::KeyGroup');
    const [, ...vod] = behaviorsOf(template);
    expect(vod).toHaveLength(4);
    for (const behavior of vod) { expect(behavior.TrustedKeyGroups).toEqual([{ Ref: keyGroupId }]); }
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: SECRET_READ, Resource: { Ref: logicalIdOf(stack, 'AWS::SecretsManager::Secret') } }] },
    });
  });

  test('segments(origin) alone: an existing key group works; keys to create need a scope (fails with what to do)', () => {
    const stack = newStack();
    const origin = new PackagingGroupOrigin(new PackagingGroup(stack, 'Group'));
    const keyGroup = cloudfront.KeyGroup.fromKeyGroupId(stack, 'Mine', 'kg-1');
    expect(VodBehaviors.segments(origin, { viewerAccess: ViewerAccess.signedUrls({ keyGroup }) }).trustedKeyGroups).toEqual([keyGroup]);
    expect(() => VodBehaviors.segments(origin, { viewerAccess: ViewerAccess.signedUrls() })).toThrow(
      /VodBehaviors.segments\(origin, \{ viewerAccess \}\): there is no scope to create the signing keys/);
  });
});

test('conflicting key options fail even when the first binding has no scope (segments alone)', () => {
  const stack = newStack();
  const origin = new PackagingGroupOrigin(new PackagingGroup(stack, 'Group'));
  const keyGroup = cloudfront.KeyGroup.fromKeyGroupId(stack, 'Mine', 'kg-1');
  const access = ViewerAccess.signedUrls({ keyGroup, generatedKeys: ['2'] });
  expect(() => VodBehaviors.segments(origin, { viewerAccess: access })).toThrow(
    /^viewerAccess\.keyGroup: a key group of yours takes no publicKeys, generatedKeys, signingKey, encryptionKey or logEncryptionKey.*\(got 'Stack\/Mine'\)$/);
  expect(() => VodBehaviors.forOrigin(stack, origin, { viewerAccess: access })).toThrow(/^\[Stack\] viewerAccess\.keyGroup: a key group of yours/);
});

describe('VodDistribution is a cloudfront.IDistribution', () => {
  function setup() {
    const stack = newStack();
    const group = new PackagingGroup(stack, 'Group');
    const hls = group.addPackagingConfiguration('Hls', { format: PackagingFormat.hls({ manifests: [{}] }) });
    const dash = group.addPackagingConfiguration('Dash', { format: PackagingFormat.dash({ manifests: [{}] }) });
    const movie = group.addAsset('Movie', { source: AssetSource.fromBucket(new s3.Bucket(stack, 'Bucket'), 'movie/index.smil') });
    const cdn = new VodDistribution(stack, 'Cdn', { packagingGroup: group, viewerAccess: ViewerAccess.signedCookies() });
    return { stack, group, hls, dash, movie, cdn };
  }

  test('goes wherever a distribution is expected: playbackUrl, a Route 53 alias target, grants; members delegate', () => {
    const { stack, hls, movie, cdn } = setup();
    const distributionId = stack.getLogicalId(cdn.distribution.node.defaultChild as cloudfront.CfnDistribution);
    const asDistribution: cloudfront.IDistribution = cdn;
    expect(stack.resolve(asDistribution.distributionDomainName)).toEqual({ 'Fn::GetAtt': [distributionId, 'DomainName'] });
    expect(stack.resolve(cdn.distributionId)).toEqual({ Ref: distributionId });
    expect(stack.resolve(cdn.distributionArn)).toEqual(stack.resolve(cdn.distribution.distributionArn));
    expect(stack.resolve(cdn.distributionRef)).toEqual(stack.resolve(cdn.distribution.distributionRef));
    const viaL2 = stack.resolve(movie.playbackUrl(hls, { distribution: cdn.distribution }));
    expect(stack.resolve(movie.playbackUrl(hls, { distribution: cdn }))).toEqual(viaL2);
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z1', zoneName: 'example.com' });
    new route53.ARecord(stack, 'Alias', { zone, recordName: 'video', target: route53.RecordTarget.fromAlias(new targets.CloudFrontTarget(cdn)) });
    const role = new iam.Role(stack, 'Ops', { assumedBy: new iam.AccountRootPrincipal() });
    cdn.grantCreateInvalidation(role);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Route53::RecordSet', { AliasTarget: { DNSName: { 'Fn::GetAtt': [distributionId, 'DomainName'] } } });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'cloudfront:CreateInvalidation' })] },
    });
  });

  test('playbackUrl with a VodDistribution of another group fails (the group is checked as for its distribution)', () => {
    const { stack, hls, movie } = setup();
    const other = new VodDistribution(stack, 'Other', { packagingGroup: new PackagingGroup(stack, 'OtherGroup') });
    expect(() => movie.playbackUrl(hls, { distribution: other })).toThrow(/options.distribution: the distribution's origin \(Stack\/Other\) belongs to packaging group Stack\/OtherGroup/);
  });

  test('asset.playbackPathPattern: /out/v1/<asset hash>/* from the configuration\'s playback path, one per asset', () => {
    const { stack, hls, dash, movie } = setup();
    const pattern = movie.playbackPathPattern(hls);
    const resources = Template.fromStack(stack).findResources('Custom::MediaPackageVodPlaybackUrl');
    const [hlsResource] = Object.keys(resources);
    expect(stack.resolve(pattern)).toEqual({
      'Fn::Join': ['', ['/out/v1/', { 'Fn::Select': [3, { 'Fn::Split': ['/', { 'Fn::GetAtt': [hlsResource, 'Path'] }] }] }, '/*']],
    });
    // Asking with another configuration reads that configuration's URL (the same first hash at deploy).
    expect(stack.resolve(movie.playbackPathPattern(dash))).not.toEqual(stack.resolve(pattern));
    const other = new PackagingGroup(stack, 'OtherGroup').addPackagingConfiguration('Hls', { format: PackagingFormat.hls({ manifests: [{}] }) });
    expect(() => movie.playbackPathPattern(other)).toThrow(/\[Stack\/Group\/Movie\] configuration: the configuration \(Stack\/OtherGroup\/Hls\) belongs to packaging group/);
  });
});
