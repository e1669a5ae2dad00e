import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Asset, AssetSource, PackagingConfiguration, PackagingFormat, PackagingGroup, VodDistribution } from '../../src';

const ENV = { account: '111111111111', region: 'eu-west-1' };

function setup() {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: ENV });
  const bucket = new s3.Bucket(stack, 'Bucket');
  const group = new PackagingGroup(stack, 'Group');
  const hls = group.addPackagingConfiguration('Hls', { format: PackagingFormat.hls({ manifests: [{}] }) });
  const dash = group.addPackagingConfiguration('Dash', { format: PackagingFormat.dash({ manifests: [{}] }) });
  const movie = group.addAsset('Movie', { source: AssetSource.fromBucket(bucket, 'movies/movie1/index.smil') });
  const trailer = group.addAsset('Trailer', { source: AssetSource.fromBucket(bucket, 'movies/trailer/index.m3u8') });
  return { app, stack, bucket, group, hls, dash, movie, trailer };
}

const logicalIdOf = (stack: Stack, construct: any) => stack.getLogicalId(construct.node.defaultChild);

describe('asset.playbackUrl', () => {
  test('a custom resource for the pair (asset id, configuration id), its Url attribute', () => {
    const { stack, hls, movie } = setup();
    const url = movie.playbackUrl(hls);
    new CfnOutput(stack, 'MovieHls', { value: url });
    const template = Template.fromStack(stack);
    const resources = template.findResources('Custom::MediaPackageVodPlaybackUrl');
    expect(Object.keys(resources)).toHaveLength(1);
    const [logicalId, resource] = Object.entries(resources)[0] as [string, any];
    expect(resource.Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': [expect.stringMatching(/^CustomMediaPackageVodPlaybackUrlProvider/), 'Arn'] },
      AssetId: { Ref: logicalIdOf(stack, movie) },
      PackagingConfigurationId: { Ref: logicalIdOf(stack, hls) },
      AssetArn: { 'Fn::GetAtt': [logicalIdOf(stack, movie), 'Arn'] },
      // The function's timeout (15 minutes) plus one minute, not CloudFormation's one hour (src/private/providers.ts).
      ServiceTimeout: '960',
    });
    // After the configuration (the asset lists an endpoint per existing configuration).
    expect(resource.DependsOn).toContain(logicalIdOf(stack, hls));
    template.hasOutput('MovieHls', { Value: { 'Fn::GetAtt': [logicalId, 'Url'] } });
  });

  test('asking twice reuses the resource; other pairs get their own, on one provider with a constant policy', () => {
    const { stack, hls, dash, movie, trailer } = setup();
    expect(movie.playbackUrl(hls)).toBe(movie.playbackUrl(hls));
    movie.playbackUrl(dash);
    trailer.playbackUrl(hls);
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::MediaPackageVodPlaybackUrl', 3);
    const providers = template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('playback') } });
    expect(Object.keys(providers)).toHaveLength(1);
    expect((Object.values(providers)[0] as any).Properties.Runtime).toBe('nodejs22.x');
    // The provider's role: DescribeAsset on the assets of the stack's account and Region, however many assets ask.
    const roles = template.findResources('AWS::IAM::Role', { Properties: { Policies: Match.anyValue() } });
    const policies = Object.values(roles).flatMap((r: any) => r.Properties.Policies ?? []);
    expect(policies).toEqual([{
      PolicyName: 'Inline',
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Action: ['mediapackage-vod:DescribeAsset'],
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':mediapackage-vod:eu-west-1:111111111111:assets/*']] },
        }],
      },
    }]);
  });

  test('the provider function logs to its own log group, kept one week, created before any playback URL', () => {
    const { stack, hls, dash, movie } = setup();
    movie.playbackUrl(hls);
    movie.playbackUrl(dash);
    const template = Template.fromStack(stack);
    const [functionId] = Object.keys(template.findResources('AWS::Lambda::Function', {
      Properties: { Description: Match.stringLikeRegexp('playback') },
    }));
    const logGroups = template.findResources('AWS::Logs::LogGroup');
    expect(Object.keys(logGroups)).toHaveLength(1);
    const [logGroupId, logGroup] = Object.entries(logGroups)[0] as [string, any];
    expect(logGroup).toEqual({
      Type: 'AWS::Logs::LogGroup',
      Properties: {
        LogGroupName: {
          'Fn::Join': ['', ['/aws/lambda/', { 'Fn::Select': [6, { 'Fn::Split': [':', { 'Fn::GetAtt': [functionId, 'Arn'] }] }] }]],
        },
        RetentionInDays: 7,
      },
      UpdateReplacePolicy: 'Delete',
      DeletionPolicy: 'Delete',
      // No key option for this stack-wide log group: the checkov skip says why (docs/security.md).
      Metadata: { checkov: { skip: [{ id: 'CKV_AWS_158', comment: expect.stringMatching(/DescribeAsset function/) }] } },
    });
    expect(logGroupId).toMatch(/^MediaPackageVodPlaybackUrlProviderLogGroup/);
    for (const resource of Object.values(template.findResources('Custom::MediaPackageVodPlaybackUrl')) as any[]) {
      expect(resource.DependsOn).toContain(logGroupId);
    }
  });

  test('no resource for an asset nobody asks about', () => {
    const { stack } = setup();
    Template.fromStack(stack).resourceCountIs('Custom::MediaPackageVodPlaybackUrl', 0);
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', 0);
  });

  test('{ distribution }: the distribution domain and the path attribute (Fn::Join), usable as an output', () => {
    const { stack, group, hls, movie } = setup();
    const cdn = new VodDistribution(stack, 'Cdn', { packagingGroup: group });
    new CfnOutput(stack, 'Play', { value: movie.playbackUrl(hls, { distribution: cdn.distribution }) });
    const template = Template.fromStack(stack);
    const [logicalId] = Object.keys(template.findResources('Custom::MediaPackageVodPlaybackUrl'));
    template.hasOutput('Play', {
      Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalIdOf(stack, cdn.distribution), 'DomainName'] }, { 'Fn::GetAtt': [logicalId, 'Path'] }]] },
    });
    // The same custom resource as without the distribution.
    movie.playbackUrl(hls);
    Template.fromStack(stack).resourceCountIs('Custom::MediaPackageVodPlaybackUrl', 1);
  });

  test('imported assets and configurations work (no group check possible)', () => {
    const { stack, hls } = setup();
    const imported = Asset.fromAssetId(stack, 'Old', 'old-title');
    const cfg = PackagingConfiguration.fromPackagingConfigurationId(stack, 'OldCfg', 'old-hls');
    imported.playbackUrl(hls);
    imported.playbackUrl(cfg);
    Template.fromStack(stack).hasResourceProperties('Custom::MediaPackageVodPlaybackUrl', { AssetId: 'old-title', PackagingConfigurationId: 'old-hls' });
    Template.fromStack(stack).resourceCountIs('Custom::MediaPackageVodPlaybackUrl', 2);
  });

  test('a configuration of another group fails at synth', () => {
    const { stack, movie } = setup();
    const other = new PackagingGroup(stack, 'Other');
    const cfg = other.addPackagingConfiguration('Hls', { format: PackagingFormat.hls({ manifests: [{}] }) });
    expect(() => movie.playbackUrl(cfg)).toThrow(
      '[Stack/Group/Movie] configuration: the configuration (Stack/Other/Hls) belongs to packaging group Stack/Other, not to the asset\'s '
      + 'group Stack/Group: the asset has no egress URL there (got \'Stack/Other/Hls\')');
  });

  test('groups imported by id: the same literal id passes, another fails', () => {
    const { stack } = setup();
    const bucket = s3.Bucket.fromBucketName(stack, 'B', 'bucket-b');
    const asset = new Asset(stack, 'A', {
      packagingGroup: PackagingGroup.fromPackagingGroupId(stack, 'G1', 'g1'), source: AssetSource.fromBucket(bucket, 'a/index.smil'),
    });
    const format = PackagingFormat.hls({ manifests: [{}] });
    const same = new PackagingConfiguration(stack, 'Same', { packagingGroup: PackagingGroup.fromPackagingGroupId(stack, 'G1b', 'g1'), format });
    const other = new PackagingConfiguration(stack, 'Other', { packagingGroup: PackagingGroup.fromPackagingGroupId(stack, 'G2', 'g2'), format });
    expect(() => asset.playbackUrl(same)).not.toThrow();
    expect(() => asset.playbackUrl(other)).toThrow('[Stack/A] configuration: the configuration (Stack/Other) belongs to packaging group Stack/G2');
  });

  test('a VodDistribution of another group fails at synth; an imported distribution is taken as it is', () => {
    const { stack, hls, movie } = setup();
    const other = new PackagingGroup(stack, 'Other');
    const cdn = new VodDistribution(stack, 'OtherCdn', { packagingGroup: other });
    expect(() => movie.playbackUrl(hls, { distribution: cdn.distribution })).toThrow(
      '[Stack/Group/Movie] options.distribution: the distribution\'s origin (Stack/OtherCdn/Distribution) belongs to packaging group Stack/Other');
    // Imported: its origins are not known here (a Distribution of this app must serve the group: #22, user-trial-inputs).
    const own = cloudfront.Distribution.fromDistributionAttributes(stack, 'Own', { distributionId: 'E123', domainName: 'd1.cloudfront.net' });
    expect(() => movie.playbackUrl(hls, { distribution: own })).not.toThrow();
  });
});
