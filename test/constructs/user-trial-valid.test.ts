import { App, CfnParameter, Stack, Stage } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { Asset, AssetSource, PackagingConfiguration, PackagingFormat, PackagingGroup, VodDistribution, VodMonitoring } from '../../src';
import { DescriptionLimit, fitDescription } from '../../src/private/validate';

/** Every description of a resource type in the template, with the service's limit on it. */
const LIMITS: Record<string, [string, number]> = {
  'AWS::Lambda::Function': ['Description', DescriptionLimit.LAMBDA_FUNCTION],
  'AWS::Events::Rule': ['Description', DescriptionLimit.EVENTS_RULE],
  'AWS::IAM::Role': ['Description', DescriptionLimit.IAM_ROLE],
  'AWS::CloudWatch::Alarm': ['AlarmDescription', DescriptionLimit.CLOUDWATCH_ALARM],
  'AWS::CloudWatch::CompositeAlarm': ['AlarmDescription', DescriptionLimit.CLOUDWATCH_ALARM],
};

/** Construct names of a deep, long-named tree (over 1,024 characters of path): every description embedding it is cut. */
const LONG_LAYERS = ['GlobalStreamingPlatformOrganization', 'VideoOnDemandBusinessUnitForPremiumSubscribersAndPartners',
  'RegionalDeliveryInfrastructureForEuropeMiddleEastAndAfricaMarkets', 'MediaProcessingAndPackagingServicesLayer',
  'ContentLicensingAgreementsWithMajorStudiosAndIndependentDistributors', 'PremiumCatalogOfFeatureFilmsDocumentariesAndSeries',
  'HighAvailabilityMultiFormatPackagingWithAdaptiveBitrateLadders', 'OperationalExcellenceAndObservabilityGuardrails',
  'ComplianceAuditingAndRetentionPoliciesForRegulatedTerritories', 'CostOptimizedOriginShieldAndEdgeCachingStrategy',
  'TeamOwnedApplicationBoundaryForTheVideoPlatformEngineeringGroup', 'StableLogicalStructureThatMustNeverBeRenamed',
  'SubscriberFacingPlaybackExperienceForConnectedTelevisionsAndMobileApps', 'DisasterRecoveryReadyPrimaryRegionDeployment',
  'BlueGreenReleaseTrainWithAutomatedCanaryAnalysisAndRollback', 'AccessibilityFirstSubtitlesAudioDescriptionAndSignLanguage',
  'LiveToVodArchiveOfSportsEventsAndConcerts', 'PremiumCatalogPackaging'];

describe('valid setups a user builds (#22)', () => {
  test('long construct paths: every generated description within its service limit', () => {
    const app = new App();
    // us-east-1: CloudFront's alarm exists too.
    const stage = new Stage(app, 'ProductionUsEast1', { env: { account: '111111111111', region: 'us-east-1' } });
    const stack = new Stack(stage, 'StreamingPlatformVideoOnDemandStack');
    const layer = LONG_LAYERS.reduce<Construct>((parent, id) => new Construct(parent, id), new Construct(stack, 'MediaServicesLayer'));
    const bucket = new s3.Bucket(layer, 'MezzanineBucket');
    const group = new PackagingGroup(layer, 'PackagingGroup');
    const ingest = group.addBucketIngest('PremiumCatalogMezzanineLibraryIngest', {
      bucket, keyPatterns: ['movies/*/index.m3u8', 'series/*/episodes/*/index.m3u8', 'films/*.smil'], ingestExisting: true, catalog: true,
    });
    group.addAsset('Trailer', { source: AssetSource.fromBucket(bucket, 'trailers/one/index.smil') });
    group.addPackagingConfiguration('HlsForEveryDeviceWithAdaptiveBitrate', {
      format: PackagingFormat.hls({ manifests: [{ manifestName: 'index' }] }), packagingConfigurationId: 'hls',
    });
    const cdn = new VodDistribution(layer, 'PremiumCatalogDistribution', { packagingGroup: group });
    new VodMonitoring(layer, 'PremiumCatalogMonitoring', { packagingGroup: group, distribution: cdn.distribution, ingests: [ingest] });
    expect(group.node.path.length).toBeGreaterThan(DescriptionLimit.CLOUDWATCH_ALARM);

    const template = Template.fromStack(stack);
    let checked = 0;
    for (const [type, [property, limit]] of Object.entries(LIMITS)) {
      for (const resource of Object.values(template.findResources(type))) {
        const description = resource.Properties?.[property];
        if (typeof description !== 'string') { continue; }
        expect(description.length).toBeLessThanOrEqual(limit);
        checked++;
      }
    }
    // The ingest function, the backfill function, the rules, the roles and the alarms were all looked at: the monitoring's
    // 4 configuration alarms, 2 composites, CloudFront's, its ingest's 3 and its IngestError rule among them.
    expect(checked).toBeGreaterThanOrEqual(16);
    for (const type of ['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm']) {
      template.hasResourceProperties(type, { AlarmDescription: Match.stringLikeRegexp('^(MediaPackage VOD|CloudFront|Bucket ingest) .*\\.\\.\\.') });
    }
    template.hasResourceProperties('AWS::Events::Rule', {
      Description: Match.stringLikeRegexp('^MediaPackage VOD IngestError events of the assets of .*\\.\\.\\..*counted by TriggeredRules\\)$'),
    });
    template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 2);
    // A cut description keeps the construct's name at its end.
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^MediaPackage VOD ingest: objects of .*\\.\\.\\..*PremiumCatalogPackaging/PackagingGroup$'),
    });
  });

  test('fitDescription keeps short text and cuts long text to the limit with its ends', () => {
    expect(fitDescription('short', 10)).toBe('short');
    const cut = fitDescription(`start-${'x'.repeat(300)}-end`, 256);
    expect(cut).toHaveLength(256);
    expect(cut.startsWith('start-')).toBe(true);
    expect(cut.endsWith('-end')).toBe(true);
    expect(cut).toContain('...');
  });

  test('keyPatterns as a CloudFormation list (CommaDelimitedList parameter) synthesizes', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
    const patterns = new CfnParameter(stack, 'KeyPatterns', { type: 'CommaDelimitedList' });
    const group = new PackagingGroup(stack, 'Group', { packagingGroupId: 'vod' });
    group.addBucketIngest('Library', {
      bucket: new s3.Bucket(stack, 'Bucket'), keyPatterns: patterns.valueAsList, ingestExisting: true, catalog: true,
    });
    const template = Template.fromStack(stack);
    // The rule's pattern joins the parameter's elements into one wildcard object each, at deploy time.
    const rules = template.findResources('AWS::Events::Rule', { Properties: { Description: Match.stringLikeRegexp('that match the key patterns') } });
    const [rule] = Object.values(rules);
    const pattern = JSON.stringify(rule.Properties.EventPattern);
    expect(pattern).toContain('{\\"wildcard\\":\\"');
    expect(pattern).toContain('{"Fn::Join":["\\"},{\\"wildcard\\":\\"",{"Ref":"KeyPatterns"}]}');
    // The function gets the same list as JSON.
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ KEY_PATTERNS: { 'Fn::Join': ['', ['["', { 'Fn::Join': ['","', { Ref: 'KeyPatterns' }] }, '"]']] } }) },
    });
    // The backfill lists the whole bucket and filters with the same list.
    template.hasResourceProperties('Custom::MediaPackageVodIngestBackfill', { KeyPatterns: { Ref: 'KeyPatterns' }, Prefixes: [''] });
  });

  test('an environment-agnostic stack: group, ingest, VodDistribution and playback URL synthesize', () => {
    const app = new App();
    const stack = new Stack(app, 'Agnostic');
    const group = new PackagingGroup(stack, 'Group');
    const bucket = new s3.Bucket(stack, 'Bucket');
    const ingest = group.addBucketIngest('Library', { bucket, keyPatterns: ['movies/*/index.m3u8'], catalog: true, ingestExisting: true });
    const cdn = new VodDistribution(stack, 'Cdn', { packagingGroup: group });
    const hls = new PackagingConfiguration(stack, 'Hls', {
      packagingGroup: group, format: PackagingFormat.hls({ manifests: [{ manifestName: 'index' }] }),
    });
    const asset = new Asset(stack, 'Movie', { packagingGroup: group, source: AssetSource.fromBucket(bucket, 'movies/one/index.m3u8') });
    const url = asset.playbackUrl(hls, { distribution: cdn.distribution });
    expect(stack.resolve(url)).toBeDefined();
    asset.onPlayable('Ready');
    ingest.onPlayable('IngestReady');

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::MediaPackage::PackagingGroup', 1);
    template.resourceCountIs('AWS::CloudFront::Distribution', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ KEY_PATTERNS: '["movies/*/index.m3u8"]' }) },
    });
  });
});
