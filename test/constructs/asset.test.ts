import { App, Lazy, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { expectMediaPackageTrust, newStack } from './util';
import { Asset, AssetProps, AssetSource } from '../../src/asset';
import { PackagingConfiguration, PackagingFormat } from '../../src/packaging-configuration';
import { PackagingGroup } from '../../src/packaging-group';


const BUCKET_ACTIONS = ['s3:GetBucketLocation', 's3:GetBucketRequestPayment', 's3:ListBucket'];
const GENERATED_ID = /^[0-9a-zA-Z_-]{1,256}$/;

/** The read statements of AssetSource.grantRead for a bucket created with logical id `bucketLogicalId`. */
function readStatements(bucketLogicalId: string): unknown[] {
  return [
    {
      Action: 's3:GetObject',
      Effect: 'Allow',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketLogicalId, 'Arn'] }, '/*']] },
    },
    { Action: BUCKET_ACTIONS, Effect: 'Allow', Resource: { 'Fn::GetAtt': [bucketLogicalId, 'Arn'] } },
  ];
}

function assetProps(template: Template): any[] {
  return Object.values(template.findResources('AWS::MediaPackage::Asset')).map((r: any) => r.Properties);
}

/** Synthesizes a fresh app with one asset and returns the asset's generated id. */
function generatedId(props: Partial<AssetProps> & { key?: string; groupId?: string; tag?: string } = {}): string {
  const stack = newStack();
  const bucket = new s3.Bucket(stack, 'Bucket');
  const group = new PackagingGroup(stack, 'Group', { packagingGroupId: props.groupId });
  const asset = new Asset(stack, 'Asset', {
    packagingGroup: group,
    source: AssetSource.fromBucket(bucket, props.key ?? 'movies/movie1/index.smil'),
    resourceId: props.resourceId,
    restrictToAccount: props.restrictToAccount,
  });
  if (props.tag) { Tags.of(asset).add('team', props.tag); }
  return assetProps(Template.fromStack(stack))[0].Id;
}

describe('Asset', () => {
  // Rule: whenever CloudFormation would replace the asset, its generated id changes.
  describe('generated id follows replacements of what it references', () => {
    test('a source role given a new name (the template shows only its GetAtt)', () => {
      const withRoleName = (roleName: string) => {
        const stack = newStack();
        const bucket = new s3.Bucket(stack, 'Bucket');
        const group = new PackagingGroup(stack, 'Group');
        const sourceRole = new iam.Role(stack, 'Role', { roleName, assumedBy: new iam.ServicePrincipal('mediapackage.amazonaws.com') });
        new Asset(stack, 'Asset', { packagingGroup: group, source: AssetSource.fromBucket(bucket, 'a/index.smil'), sourceRole });
        return assetProps(Template.fromStack(stack))[0].Id;
      };
      expect(withRoleName('source-a')).not.toEqual(withRoleName('source-b'));
    });

    test('a bucket given a new name (the template shows only its Ref)', () => {
      const withBucketName = (bucketName: string) => {
        const stack = newStack();
        const bucket = new s3.Bucket(stack, 'Bucket', { bucketName });
        const group = new PackagingGroup(stack, 'Group');
        new Asset(stack, 'Asset', { packagingGroup: group, source: AssetSource.fromBucket(bucket, 'a/index.smil') });
        return assetProps(Template.fromStack(stack))[0].Id;
      };
      expect(withBucketName('bucket-a')).not.toEqual(withBucketName('bucket-b'));
    });

    test('a group given a new id (the template shows only its Ref)', () => {
      expect(generatedId({ groupId: 'vod-a' })).not.toEqual(generatedId({ groupId: 'vod-b' }));
    });
  });


  test('renders the asset: group, source object ARN and the shared role', () => {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Bucket');
    const group = new PackagingGroup(stack, 'Group');
    const asset = new Asset(stack, 'Movie', {
      packagingGroup: group,
      source: AssetSource.fromBucket(bucket, 'movies/movie1/index.smil'),
    });
    const template = Template.fromStack(stack);

    template.resourceCountIs('AWS::MediaPackage::Asset', 1);
    const props = assetProps(template)[0];
    expect(props).toEqual({
      Id: expect.stringMatching(GENERATED_ID),
      PackagingGroupId: { Ref: 'GroupC77FDACD' },
      SourceArn: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Bucket83908E77', 'Arn'] }, '/movies/movie1/index.smil']] },
      SourceRoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^MediaPackageSourceRoleStackBucket[0-9A-F]{8}Role[0-9A-F]{8}$/), 'Arn'] },
    });
    expect(props.Id).toContain('Movie');
    expect(stack.resolve(asset.sourceRole.roleArn)).toEqual(props.SourceRoleArn);
  });

  test('renders the resource id and exposes the attributes', () => {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Bucket');
    const group = new PackagingGroup(stack, 'Group');
    const asset = new Asset(stack, 'Movie', {
      packagingGroup: group,
      source: AssetSource.fromBucket(bucket, 'hls/movie1/index.m3u8'),
      resourceId: 'movie1-content-key-id',
    });
    Template.fromStack(stack).hasResourceProperties('AWS::MediaPackage::Asset', {
      ResourceId: 'movie1-content-key-id',
      SourceArn: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Bucket83908E77', 'Arn'] }, '/hls/movie1/index.m3u8']] },
    });
    expect(stack.resolve(asset.assetId)).toEqual({ Ref: 'Movie0426CF42' });
    expect(stack.resolve(asset.assetArn)).toEqual({ 'Fn::GetAtt': ['Movie0426CF42', 'Arn'] });
    expect(stack.resolve(asset.assetRef)).toEqual({
      assetId: { Ref: 'Movie0426CF42' },
      assetArn: { 'Fn::GetAtt': ['Movie0426CF42', 'Arn'] },
    });
  });

  test('accepts a group imported by id', () => {
    const stack = newStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'my-media');
    const group = PackagingGroup.fromPackagingGroupId(stack, 'Group', 'existing-group');
    new Asset(stack, 'Movie', { packagingGroup: group, source: AssetSource.fromBucket(bucket, 'a/index.smil') });
    Template.fromStack(stack).hasResourceProperties('AWS::MediaPackage::Asset', {
      PackagingGroupId: 'existing-group',
      SourceArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::my-media/a/index.smil']] },
    });
  });

  describe('shared source role', () => {
    test('assets reading one bucket share one role; another bucket gets its own', () => {
      const stack = newStack();
      const bucket = new s3.Bucket(stack, 'Bucket');
      const other = new s3.Bucket(stack, 'Other');
      const group = new PackagingGroup(stack, 'Group');
      const assets = ['a', 'b', 'c'].map(name =>
        new Asset(stack, name, { packagingGroup: group, source: AssetSource.fromBucket(bucket, `${name}/index.smil`) }));
      expect(assets.every(a => a.sourceRole === assets[0].sourceRole)).toBe(true);
      const d = new Asset(stack, 'd', { packagingGroup: group, source: AssetSource.fromBucket(other, 'd/index.m3u8') });
      expect(d.sourceRole).not.toBe(assets[0].sourceRole);

      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::MediaPackage::Asset', 4);
      template.resourceCountIs('AWS::IAM::Role', 2);
      template.resourceCountIs('AWS::IAM::Policy', 2);
      template.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: readStatements('Bucket83908E77') } });
      template.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: readStatements('Other34654A52') } });
    });

    test('500 assets on one bucket: one role, one policy', () => {
      // 500 assets and their role, policy, bucket and group exceed CDK's default check of CloudFormation's
      // 500-resources-per-stack quota: raise the check for this test.
      const stack = newStack(new App({ context: { '@aws-cdk/core:stackResourceLimit': 1000 } }));
      const bucket = new s3.Bucket(stack, 'Bucket');
      const group = new PackagingGroup(stack, 'Group');
      for (let i = 0; i < 500; i++) {
        new Asset(stack, `Movie${i}`, { packagingGroup: group, source: AssetSource.fromBucket(bucket, `m/${i}/index.smil`) });
      }
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::MediaPackage::Asset', 500);
      template.resourceCountIs('AWS::IAM::Role', 1);
      template.resourceCountIs('AWS::IAM::Policy', 1);
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Version: '2012-10-17', Statement: readStatements('Bucket83908E77') },
      });
      const ids = new Set(assetProps(template).map(p => p.Id));
      expect(ids.size).toBe(500);
    });

    test('the role is trusted by MediaPackage only and reads exactly the source bucket', () => {
      const stack = newStack();
      const bucket = new s3.Bucket(stack, 'Bucket');
      const group = new PackagingGroup(stack, 'Group');
      new Asset(stack, 'Movie', { packagingGroup: group, source: AssetSource.fromBucket(bucket, 'a/index.smil') });
      const template = Template.fromStack(stack);
      expectMediaPackageTrust(template);
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Version: '2012-10-17', Statement: readStatements('Bucket83908E77') },
        Roles: [{ Ref: Match.stringLikeRegexp('^MediaPackageSourceRoleStackBucket') }],
      });
    });

    test('trust gets an aws:SourceAccount condition only when asked; mixed settings use two roles', () => {
      const stack = newStack();
      const bucket = new s3.Bucket(stack, 'Bucket');
      const group = new PackagingGroup(stack, 'Group');
      const restricted = new Asset(stack, 'A', {
        packagingGroup: group, source: AssetSource.fromBucket(bucket, 'a/index.smil'), restrictToAccount: true,
      });
      new Asset(stack, 'B', { packagingGroup: group, source: AssetSource.fromBucket(bucket, 'b/index.smil'), restrictToAccount: true });
      const open = new Asset(stack, 'C', { packagingGroup: group, source: AssetSource.fromBucket(bucket, 'c/index.smil') });
      const template = Template.fromStack(stack);

      template.resourceCountIs('AWS::IAM::Role', 2);
      template.resourceCountIs('AWS::IAM::Policy', 2);
      expect(restricted.sourceRole).not.toBe(open.sourceRole);
      const roles = template.findResources('AWS::IAM::Role');
      const restrictedRole = roles[stack.getLogicalId(restricted.sourceRole.node.defaultChild as any)];
      expect(restrictedRole.Properties.AssumeRolePolicyDocument.Statement).toEqual([{
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'mediapackage.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
      }]);
      const openRole = roles[stack.getLogicalId(open.sourceRole.node.defaultChild as any)];
      expect(openRole.Properties.AssumeRolePolicyDocument.Statement[0].Condition).toBeUndefined();
    });

    test('adds kms:Decrypt on the bucket\'s key', () => {
      const stack = newStack();
      const bucket = new s3.Bucket(stack, 'Bucket', { encryption: s3.BucketEncryption.KMS });
      const group = new PackagingGroup(stack, 'Group');
      new Asset(stack, 'Movie', { packagingGroup: group, source: AssetSource.fromBucket(bucket, 'a/index.smil') });
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [
            ...readStatements('Bucket83908E77'),
            { Action: 'kms:Decrypt', Effect: 'Allow', Resource: { 'Fn::GetAtt': ['BucketKey7E4AEAB8', 'Arn'] } },
          ],
        },
      });
    });

    test('the role lives in the asset\'s stack when the bucket is in another', () => {
      const app = new App();
      const media = newStack(app, 'Media');
      const bucket = new s3.Bucket(media, 'Bucket');
      const stack = newStack(app, 'Vod');
      const group = new PackagingGroup(stack, 'Group');
      new Asset(stack, 'Movie', { packagingGroup: group, source: AssetSource.fromBucket(bucket, 'a/index.smil') });
      Template.fromStack(stack).resourceCountIs('AWS::IAM::Role', 1);
      Template.fromStack(media).resourceCountIs('AWS::IAM::Role', 0);
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [{ 'Fn::ImportValue': Match.anyValue() }, '/*']] } })]) },
      });
    });
  });

  describe('given source role', () => {
    test('a mutable role of this stack gets the read; no role is created', () => {
      const stack = newStack();
      const bucket = new s3.Bucket(stack, 'Bucket');
      const group = new PackagingGroup(stack, 'Group');
      const role = new iam.Role(stack, 'MyRole', { assumedBy: new iam.ServicePrincipal('mediapackage.amazonaws.com') });
      const a = new Asset(stack, 'A', { packagingGroup: group, source: AssetSource.fromBucket(bucket, 'a/index.smil'), sourceRole: role });
      new Asset(stack, 'B', { packagingGroup: group, source: AssetSource.fromBucket(bucket, 'b/index.smil'), sourceRole: role });
      const template = Template.fromStack(stack);

      expect(a.sourceRole).toBe(role);
      template.resourceCountIs('AWS::IAM::Role', 1);
      template.resourceCountIs('AWS::IAM::Policy', 1);
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: readStatements('Bucket83908E77') },
        Roles: [{ Ref: 'MyRoleF48FFE04' }],
      });
      expect(assetProps(template).map(p => p.SourceRoleArn)).toEqual([
        { 'Fn::GetAtt': ['MyRoleF48FFE04', 'Arn'] }, { 'Fn::GetAtt': ['MyRoleF48FFE04', 'Arn'] },
      ]);
      const assets = template.findResources('AWS::MediaPackage::Asset');
      for (const asset of Object.values(assets)) {
        expect(asset.DependsOn).toEqual([expect.stringMatching(/^MyRoleDefaultPolicy/)]);
      }
    });

    test('an imported immutable role is used as it is', () => {
      const stack = newStack();
      const bucket = new s3.Bucket(stack, 'Bucket');
      const group = new PackagingGroup(stack, 'Group');
      const role = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::111111111111:role/media-reader', { mutable: false });
      new Asset(stack, 'A', { packagingGroup: group, source: AssetSource.fromBucket(bucket, 'a/index.smil'), sourceRole: role });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::IAM::Role', 0);
      template.resourceCountIs('AWS::IAM::Policy', 0);
      template.hasResourceProperties('AWS::MediaPackage::Asset', { SourceRoleArn: 'arn:aws:iam::111111111111:role/media-reader' });
    });

    test('restrictToAccount is ignored with a given role', () => {
      const stack = newStack();
      const bucket = new s3.Bucket(stack, 'Bucket');
      const group = new PackagingGroup(stack, 'Group');
      const role = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::111111111111:role/media-reader', { mutable: false });
      new Asset(stack, 'A', {
        packagingGroup: group, source: AssetSource.fromBucket(bucket, 'a/index.smil'), sourceRole: role, restrictToAccount: true,
      });
      Template.fromStack(stack).resourceCountIs('AWS::IAM::Role', 0);
    });
  });

  test('AssetSource.grantRead grants exactly the source read to any grantee', () => {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Bucket');
    const user = new iam.User(stack, 'User');
    const grant = AssetSource.grantRead(bucket, user);
    expect(grant.success).toBe(true);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Version: '2012-10-17', Statement: readStatements('Bucket83908E77') },
      Users: [{ Ref: 'User00B015A1' }],
    });
  });

  describe('dependencies', () => {
    test('the asset is created after its role\'s policy and the group\'s configurations', () => {
      const stack = newStack();
      const bucket = new s3.Bucket(stack, 'Bucket');
      const group = new PackagingGroup(stack, 'Group');
      const otherGroup = new PackagingGroup(stack, 'OtherGroup');
      const hls = PackagingFormat.hls({ manifests: [{ manifestName: 'index' }] });
      group.addPackagingConfiguration('Hls', { format: hls });
      new Asset(stack, 'Movie', { packagingGroup: group, source: AssetSource.fromBucket(bucket, 'a/index.smil') });
      // Added after the asset, and outside the group's scope: still a dependency.
      new PackagingConfiguration(stack, 'Dash', {
        packagingGroup: group, format: PackagingFormat.dash({ manifests: [{ manifestName: 'index' }] }),
      });
      // Another group's configuration is not.
      otherGroup.addPackagingConfiguration('Mss', { format: PackagingFormat.mss({ manifests: [{ manifestName: 'index' }] }) });

      const template = Template.fromStack(stack);
      const asset = Object.values(template.findResources('AWS::MediaPackage::Asset'))[0];
      expect([...asset.DependsOn].sort()).toEqual([
        'DashCCD7F836',
        'GroupHlsF3F77AFB',
        expect.stringMatching(/^MediaPackageSourceRoleStackBucket[0-9A-F]{8}RoleDefaultPolicy/),
      ].sort());
    });

    test('an asset of an imported group depends on its role policy only', () => {
      const stack = newStack();
      const bucket = new s3.Bucket(stack, 'Bucket');
      const group = PackagingGroup.fromPackagingGroupId(stack, 'Group', 'existing');
      new Asset(stack, 'Movie', { packagingGroup: group, source: AssetSource.fromBucket(bucket, 'a/index.smil') });
      const asset = Object.values(Template.fromStack(stack).findResources('AWS::MediaPackage::Asset'))[0];
      expect(asset.DependsOn).toEqual([expect.stringMatching(/^MediaPackageSourceRoleStackBucket[0-9A-F]{8}RoleDefaultPolicy/)]);
    });
  });

  describe('validation', () => {
    test.each([
      ['has another extension', 'movies/movie1/movie.mp4',
        /\[Stack\/Movie\] source\.key: MediaPackage VOD ingests a \.smil manifest \(MP4\) or an \.m3u8 parent playlist \(HLS\): the key must end with \.smil or \.m3u8 \(got 'movies\/movie1\/movie\.mp4'\)/],
      ['is a folder', 'movies/movie1/', /source\.key: .*must end with \.smil or \.m3u8 \(got 'movies\/movie1\/'\)/],
      ['is a child playlist name without extension', 'index_m3u8', /source\.key: .* \(got 'index_m3u8'\)/],
      ['is empty', '', /\[Stack\/Movie\] source\.key: must be the object key of a \.smil manifest or \.m3u8 parent playlist, is empty \(got ''\)/],
      ['starts with a slash', '/movies/index.smil', /\[Stack\/Movie\] source\.key: is an S3 object key and must not start with '\/' \(got '\/movies\/index\.smil'\)/],
    ])('fails when the source key %s', (_name, key, message) => {
      const stack = newStack();
      const bucket = new s3.Bucket(stack, 'Bucket');
      const group = new PackagingGroup(stack, 'Group');
      expect(() => new Asset(stack, 'Movie', { packagingGroup: group, source: AssetSource.fromBucket(bucket, key) })).toThrow(message);
    });

    test('accepts .smil and .m3u8 in any case', () => {
      const stack = newStack();
      const bucket = new s3.Bucket(stack, 'Bucket');
      const group = new PackagingGroup(stack, 'Group');
      for (const key of ['a.smil', 'b/INDEX.M3U8', 'c/d/e.Smil']) {
        expect(() => new Asset(stack, key, { packagingGroup: group, source: AssetSource.fromBucket(bucket, key) })).not.toThrow();
      }
    });

    test.each([
      ['has a space', 'my movie', /\[Stack\/Movie\] assetId: may contain only letters, digits, hyphens \(-\) and underscores \(_\) \(got 'my movie'\)/],
      ['is empty', '', /assetId: must be 1 to 256 characters long, is 0 \(got ''\)/],
      ['is too long', 'a'.repeat(257), /assetId: must be 1 to 256 characters long, is 257/],
    ])('fails when the asset id %s', (_name, assetId, message) => {
      const stack = newStack();
      const bucket = new s3.Bucket(stack, 'Bucket');
      const group = new PackagingGroup(stack, 'Group');
      expect(() => new Asset(stack, 'Movie', {
        packagingGroup: group, source: AssetSource.fromBucket(bucket, 'a/index.smil'), assetId,
      })).toThrow(message);
    });

    test('fails when the bucket is in another Region', () => {
      const stack = newStack();
      const bucket = s3.Bucket.fromBucketAttributes(stack, 'Bucket', { bucketName: 'media-us', region: 'us-east-1' });
      const group = new PackagingGroup(stack, 'Group');
      expect(() => new Asset(stack, 'Movie', { packagingGroup: group, source: AssetSource.fromBucket(bucket, 'a/index.smil') }))
        .toThrow(/\[Stack\/Movie\] source\.bucket: the bucket must be in the same Region as the asset \(eu-west-1\) \(got 'us-east-1'\)/);
    });

    test('Tokens skip validation: key and asset id', () => {
      const stack = newStack();
      const bucket = new s3.Bucket(stack, 'Bucket');
      const group = new PackagingGroup(stack, 'Group');
      new Asset(stack, 'Movie', {
        packagingGroup: group,
        source: AssetSource.fromBucket(bucket, Lazy.string({ produce: () => '/not-a-source.mp4' })),
        assetId: Lazy.string({ produce: () => 'not valid!' }),
      });
      Template.fromStack(stack).hasResourceProperties('AWS::MediaPackage::Asset', {
        Id: 'not valid!',
        SourceArn: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Bucket83908E77', 'Arn'] }, '//not-a-source.mp4']] },
      });
    });

    test('an environment-agnostic stack skips the Region check', () => {
      const stack = new Stack(new App(), 'Stack');
      const bucket = s3.Bucket.fromBucketAttributes(stack, 'Bucket', { bucketName: 'media-us', region: 'us-east-1' });
      const group = new PackagingGroup(stack, 'Group');
      expect(() => new Asset(stack, 'Movie', { packagingGroup: group, source: AssetSource.fromBucket(bucket, 'a/index.smil') }))
        .not.toThrow();
    });
  });

  describe('ids', () => {
    test('the generated id is valid, stable across synths and unique per asset', () => {
      const first = generatedId();
      expect(first).toMatch(GENERATED_ID);
      expect(first).toMatch(/^Stack-Asset-[0-9A-F]{8}-[0-9a-f]{8}$/);
      expect(generatedId()).toEqual(first);

      const stack = newStack();
      const bucket = new s3.Bucket(stack, 'Bucket');
      const group = new PackagingGroup(stack, 'Group');
      new Asset(stack, 'A', { packagingGroup: group, source: AssetSource.fromBucket(bucket, 'x/index.smil') });
      new Asset(stack, 'B', { packagingGroup: group, source: AssetSource.fromBucket(bucket, 'x/index.smil') });
      const ids = assetProps(Template.fromStack(stack)).map(p => p.Id);
      expect(ids[0]).not.toEqual(ids[1]);
    });

    test.each([
      ['the source key', { key: 'movies/movie2/index.smil' }],
      ['the resource id', { resourceId: 'content-1' }],
      ['the role (trust condition)', { restrictToAccount: true }],
      ['the group id', { groupId: 'other-group' }],
      ['the tags', { tag: 'video' }],
    ])('the generated id changes with %s', (_name, change) => {
      const base = generatedId();
      const changed = generatedId(change);
      expect(changed).toMatch(GENERATED_ID);
      expect(changed).not.toEqual(base);
      // Only the hash part changes: the readable prefix stays.
      expect(changed.slice(0, -8)).toEqual(base.slice(0, -8));
    });

    test('the generated id stays within 256 characters for deep construct paths', () => {
      const stack = newStack();
      const bucket = new s3.Bucket(stack, 'Bucket');
      const group = new PackagingGroup(stack, 'Group');
      let scope: any = stack;
      for (let i = 0; i < 20; i++) { scope = new iam.Group(scope, `AVeryLongConstructIdNumber${i}`); }
      new Asset(scope, 'Asset', { packagingGroup: group, source: AssetSource.fromBucket(bucket, 'a/index.smil') });
      const id = assetProps(Template.fromStack(stack))[0].Id;
      expect(id).toMatch(GENERATED_ID);
      expect(id.length).toBeLessThanOrEqual(73);
    });

    test('a fixed id is used and warned about', () => {
      const stack = newStack();
      const bucket = new s3.Bucket(stack, 'Bucket');
      const group = new PackagingGroup(stack, 'Group');
      const asset = new Asset(stack, 'Movie', {
        packagingGroup: group, source: AssetSource.fromBucket(bucket, 'a/index.smil'), assetId: 'movie1',
      });
      Template.fromStack(stack).hasResourceProperties('AWS::MediaPackage::Asset', { Id: 'movie1' });
      expect(stack.resolve(asset.assetId)).toEqual({ Ref: 'Movie0426CF42' });
      Annotations.fromStack(stack).hasWarning('/Stack/Movie', Match.stringLikeRegexp(
        "assetId: assets are immutable .* with the fixed id 'movie1', any later change of this asset .* fails to deploy"));
    });

    test('a generated id gets no warning', () => {
      const stack = newStack();
      const bucket = new s3.Bucket(stack, 'Bucket');
      const group = new PackagingGroup(stack, 'Group');
      new Asset(stack, 'Movie', { packagingGroup: group, source: AssetSource.fromBucket(bucket, 'a/index.smil') });
      Annotations.fromStack(stack).hasNoWarning('/Stack/Movie', Match.anyValue());
    });
  });

  describe('tags', () => {
    test('are rendered and warned about (generated id)', () => {
      const stack = newStack();
      const bucket = new s3.Bucket(stack, 'Bucket');
      const group = new PackagingGroup(stack, 'Group');
      const asset = new Asset(stack, 'Movie', { packagingGroup: group, source: AssetSource.fromBucket(bucket, 'a/index.smil') });
      Tags.of(asset).add('team', 'video');
      Template.fromStack(stack).hasResourceProperties('AWS::MediaPackage::Asset', { Tags: [{ Key: 'team', Value: 'video' }] });
      Annotations.fromStack(stack).hasWarning('/Stack/Movie', Match.stringLikeRegexp(
        'tags: tags of an asset are create-only: a later tag change replaces the asset \\(its generated id changes'));
    });

    test('with a fixed id, the warning says the replacement fails', () => {
      const stack = newStack();
      const bucket = new s3.Bucket(stack, 'Bucket');
      const group = new PackagingGroup(stack, 'Group');
      new Asset(stack, 'Movie', { packagingGroup: group, source: AssetSource.fromBucket(bucket, 'a/index.smil'), assetId: 'm1' });
      Tags.of(stack).add('team', 'video');
      Annotations.fromStack(stack).hasWarning('/Stack/Movie', Match.stringLikeRegexp(
        'tags: tags of an asset are create-only: a later tag change replaces the asset, and the replacement fails'));
    });
  });

  describe('imports', () => {
    test('by id', () => {
      const stack = newStack();
      const asset = Asset.fromAssetId(stack, 'Imported', 'movie1');
      expect(asset.assetId).toBe('movie1');
      expect(stack.resolve(asset.assetArn)).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':mediapackage-vod:eu-west-1:111111111111:assets/movie1']],
      });
      expect(asset.assetRef.assetId).toBe('movie1');
    });

    test('by id validates the id', () => {
      const stack = newStack();
      expect(() => Asset.fromAssetId(stack, 'Imported', 'bad id')).toThrow(/\[Stack\] assetId: may contain only .* \(got 'bad id'\)/);
    });

    test('by ARN, with the environment of the ARN', () => {
      const stack = newStack();
      const arn = 'arn:aws:mediapackage-vod:us-east-1:222222222222:assets/movie1';
      const asset = Asset.fromAssetArn(stack, 'Imported', arn);
      expect(asset.assetId).toBe('movie1');
      expect(asset.assetArn).toBe(arn);
      expect(asset.env).toEqual({ account: '222222222222', region: 'us-east-1' });
    });

    test.each([
      ['without an id', 'arn:aws:mediapackage-vod:us-east-1:222222222222:assets'],
      ['of a group', 'arn:aws:mediapackage-vod:us-east-1:222222222222:packaging-groups/x'],
      ['of MediaPackage live', 'arn:aws:mediapackage:us-east-1:222222222222:assets/x'],
    ])('by ARN fails for an ARN %s', (_name, arn) => {
      const stack = newStack();
      expect(() => Asset.fromAssetArn(stack, 'Imported', arn))
        .toThrow(/\[Stack\] assetArn: must be an ARN of the form arn:<partition>:mediapackage-vod:<region>:<account>:assets\/<id>/);
    });

    test('a group imported from another Region fails: the asset would be created where the group is not', () => {
      const stack = newStack();
      const bucket = new s3.Bucket(stack, 'Bucket');
      const group = PackagingGroup.fromPackagingGroupArn(stack, 'G', 'arn:aws:mediapackage-vod:ap-south-1:111111111111:packaging-groups/g');
      expect(() => group.addAsset('A', { source: AssetSource.fromBucket(bucket, 'a/index.smil') }))
        .toThrow(/\[Stack\/G\/A\] packagingGroup: must be in the stack's Region \(eu-west-1\): the asset is created in the stack.* \(got 'ap-south-1'\)/);
    });

    test('the same fixed asset id twice in one account and Region fails', () => {
      const stack = newStack();
      const bucket = new s3.Bucket(stack, 'Bucket');
      const group = new PackagingGroup(stack, 'Group');
      group.addAsset('A', { source: AssetSource.fromBucket(bucket, 'a/index.smil'), assetId: 'movie1' });
      expect(() => group.addAsset('B', { source: AssetSource.fromBucket(bucket, 'b/index.smil'), assetId: 'movie1' }))
        .toThrow(/\[Stack\/Group\/B\] assetId: is already the id of Stack\/Group\/A in the same account and Region/);
    });

    test.each([['s3://my-bucket/movies/index.smil'], ['https://my-bucket.s3.amazonaws.com/movies/index.smil']])('a URL as the key fails: %s', (key) => {
      const stack = newStack();
      const bucket = new s3.Bucket(stack, 'Bucket');
      const group = new PackagingGroup(stack, 'Group');
      expect(() => group.addAsset('A', { source: AssetSource.fromBucket(bucket, key) }))
        .toThrow(/\[Stack\/Group\/A\] source\.key: is the object key in the bucket \(e\.g\. movies\/movie1\/index\.smil\), not a URL/);
    });
  });
});
