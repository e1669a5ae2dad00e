/**
 * VodMonitoring's segments (VodOriginMonitoring, VodDistributionMonitoring, VodIngestMonitoring) and the setups of
 * issue #22: alarm ids from identity (a reordered list changes no alarm), a monitoring in its own operations stack,
 * CloudFront's alarm in us-east-1 beside a group elsewhere, an environment-agnostic stack, and the bad inputs.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  BucketIngest, PackagingConfiguration, PackagingFormat, PackagingGroup, PackagingGroupOrigin, VodDistribution, VodDistributionMonitoring,
  VodIngestMonitoring, VodMonitoring, VodOriginMonitoring,
} from '../../src';

const HLS = PackagingFormat.hls({ manifests: [{ manifestName: 'index' }] });
const ENV = { account: '111111111111', region: 'eu-west-1' };

function groupStack(app = new App(), env: { account?: string; region?: string } | 'agnostic' = ENV) {
  const stack = new Stack(app, 'Media', { env: env === 'agnostic' ? undefined : env });
  const group = new PackagingGroup(stack, 'Group');
  group.addPackagingConfiguration('Hls', { format: HLS, packagingConfigurationId: 'hls' });
  return { app, stack, group };
}

function addIngest(group: PackagingGroup, id: string, prefix: string): BucketIngest {
  return group.addBucketIngest(id, {
    bucket: new s3.Bucket(Stack.of(group), `${id}Bucket`), keyPatterns: [`${prefix}/*/index.m3u8`], assetIdPrefix: prefix,
  });
}

/** Every alarm and composite alarm of a template: logical id → properties. */
function alarmsOf(stack: Stack): Record<string, unknown> {
  const template = Template.fromStack(stack);
  const all = { ...template.findResources('AWS::CloudWatch::Alarm'), ...template.findResources('AWS::CloudWatch::CompositeAlarm') };
  return Object.fromEntries(Object.entries(all).map(([id, r]) => [id, r.Properties]));
}

describe('alarm ids from identity', () => {
  function build(order: 'forward' | 'reversed', withSecond = true) {
    const { stack, group } = groupStack();
    const ingests = [addIngest(group, 'Films', 'films'), ...withSecond ? [addIngest(group, 'Series', 'series')] : []];
    const imported = [
      PackagingConfiguration.fromPackagingConfigurationId(stack, 'Dash', 'legacy-dash'),
      ...withSecond ? [PackagingConfiguration.fromPackagingConfigurationId(stack, 'Cmaf', 'legacy-cmaf')] : [],
    ];
    new VodMonitoring(stack, 'Monitoring', {
      packagingGroup: group,
      configurations: order === 'forward' ? imported : [...imported].reverse(),
      ingests: order === 'forward' ? ingests : [...ingests].reverse(),
      alarmTopic: new sns.Topic(stack, 'Topic'),
    });
    return alarmsOf(stack);
  }

  test('reordering the configurations and the ingests changes no alarm (ids and properties)', () => {
    const forward = build('forward');
    const reversed = build('reversed');
    // 3 configurations × 2 + 2 composites + 2 ingests × 3 (+ the ingests' own dead-letter alarms).
    expect(Object.keys(forward).filter(id => id.startsWith('Monitoring'))).toHaveLength(14);
    expect(reversed).toEqual(forward);
  });

  test('removing a configuration and an ingest leaves the other alarms as they are', () => {
    const all = build('forward');
    const fewer = build('forward', false);
    const composites = Object.keys(fewer).filter(id => /^MonitoringOrigin(ErrorRate|ResponseTime)[0-9A-F]{8}$/.test(id));
    expect(composites).toHaveLength(2);
    for (const [id, props] of Object.entries(fewer)) {
      if (composites.includes(id)) { continue; } // the composites list one configuration fewer
      expect(all[id]).toEqual(props);
    }
    expect(Object.keys(all).filter(id => /legacycmaf|Ingestseries/.test(id))).toHaveLength(5);
  });
});

describe('valid setups', () => {
  test('VodMonitoring in its own operations stack (same environment) with its own topic and ingests: no cycle', () => {
    const { app, stack, group } = groupStack();
    const ingest = addIngest(group, 'Films', 'films');
    const ops = new Stack(app, 'Operations', { env: ENV });
    const topic = new sns.Topic(ops, 'OnCall');
    const m = new VodMonitoring(ops, 'Monitoring', { packagingGroup: group, ingests: [ingest], alarmTopic: topic });
    expect(() => app.synth()).not.toThrow();
    // Only the operations stack depends on the media stack, never the other way round.
    expect(ops.dependencies).toContain(stack);
    expect(stack.dependencies).not.toContain(ops);
    // The ingest's own alarm has no actions; the monitoring's own ones notify its topic.
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('^Objects of Media/FilmsBucket'), AlarmActions: Match.absent(),
    });
    const topicRef = { Ref: ops.getLogicalId(topic.node.defaultChild as sns.CfnTopic) };
    const ownAlarm = ops.getLogicalId(m.ingestSegments[0].deadLetterAlarm.node.defaultChild as cloudwatch.CfnAlarm);
    expect(Template.fromStack(ops).toJSON().Resources[ownAlarm].Properties.AlarmActions).toEqual([topicRef]);
  });

  test('two VodMonitorings on one ingest: each its own alarms, nothing added twice to the ingest', () => {
    const { stack, group } = groupStack();
    const ingest = addIngest(group, 'Films', 'films');
    const topic = new sns.Topic(stack, 'Topic');
    new VodMonitoring(stack, 'One', { packagingGroup: group, ingests: [ingest], alarmTopic: topic });
    new VodMonitoring(stack, 'Two', { packagingGroup: group, ingests: [ingest], alarmTopic: topic });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('^Objects of Media/FilmsBucket'), AlarmActions: Match.absent(), OKActions: Match.absent(),
    });
    const deadLetter = Object.values(alarmsOf(stack)).filter((p: any) => /Bucket ingest Media\/Group\/Films: objects/.test(p.AlarmDescription));
    expect(deadLetter).toHaveLength(2);
    for (const p of deadLetter as any[]) {
      expect(p.AlarmActions).toHaveLength(1);
      expect(p.OKActions).toHaveLength(1);
    }
    // One resource policy per stack for the IngestError log groups, however many monitorings.
    template.resourceCountIs('AWS::Logs::ResourcePolicy', 1);
  });

  test('CloudFront\'s alarm in a us-east-1 stack, the group\'s in eu-west-1: the warning\'s advice works', () => {
    const app = new App();
    const media = new Stack(app, 'Media', { env: ENV, crossRegionReferences: true });
    const group = new PackagingGroup(media, 'Group');
    group.addPackagingConfiguration('Hls', { format: HLS, packagingConfigurationId: 'hls' });
    const cdn = new VodDistribution(media, 'Cdn', { packagingGroup: group });
    const m = new VodMonitoring(media, 'Monitoring', { packagingGroup: group, distribution: cdn.distribution });

    // As the warning says: a us-east-1 stack, the distribution by cross-Region reference ...
    const edge = new Stack(app, 'Edge', { env: { account: ENV.account, region: 'us-east-1' }, crossRegionReferences: true });
    const byReference = new VodDistributionMonitoring(edge, 'Cdn', {
      distribution: cdn.distribution, packagingGroup: group, alarmTopic: new sns.Topic(edge, 'EdgeTopic'),
    });
    // ... or imported.
    const imported = cloudfront.Distribution.fromDistributionAttributes(edge, 'Imported', { distributionId: 'E123', domainName: 'd1.cloudfront.net' });
    const byImport = new VodDistributionMonitoring(edge, 'ImportedCdn', { distribution: imported, errorRateThreshold: 0.07 });
    expect(() => app.synth()).not.toThrow();
    expect(m.distributionErrorRateAlarm).toBeUndefined();
    const warnings = Annotations.fromStack(media).findWarning('/Media/Monitoring/Distribution', Match.stringLikeRegexp('us-east-1'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].entry.data).toContain('create a VodDistributionMonitoring in a stack whose env Region is us-east-1 (import '
      + 'the distribution there with cloudfront.Distribution.fromDistributionAttributes, or turn cross-Region references on in both stacks)');

    expect(byReference.errorRateAlarm).toBeDefined();
    expect(byImport.errorRateAlarm).toBeDefined();
    const template = Template.fromStack(edge);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/CloudFront', MetricName: '5xxErrorRate', Threshold: 5, AlarmActions: [Match.anyValue()], Unit: Match.absent(),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/CloudFront',
      MetricName: '5xxErrorRate',
      Threshold: 7,
      Dimensions: [{ Name: 'DistributionId', Value: 'E123' }, { Name: 'Region', Value: 'Global' }],
    });
    // No MediaPackage alarm in us-east-1, and none of CloudFront's in the group's stack.
    expect(Object.values(alarmsOf(edge)).filter((p: any) => p.Namespace !== 'AWS/CloudFront')).toHaveLength(0);
    expect(Object.values(alarmsOf(media)).filter((p: any) => p.Namespace === 'AWS/CloudFront')).toHaveLength(0);
    Annotations.fromStack(edge).hasNoWarning('*', Match.stringLikeRegexp('DistributionAlarmRegion'));
  });

  test('an environment-agnostic stack with a group, an ingest, a VodDistribution and VodMonitoring synthesizes (CloudFront alarm: warning)', () => {
    const { app, stack, group } = groupStack(new App(), 'agnostic');
    const ingest = addIngest(group, 'Films', 'films');
    const cdn = new VodDistribution(stack, 'Cdn', { packagingGroup: group });
    const m = new VodMonitoring(stack, 'Monitoring', {
      packagingGroup: group, distribution: cdn.distribution, ingests: [ingest], alarmTopic: new sns.Topic(stack, 'Topic'),
    });
    expect(() => app.synth()).not.toThrow();
    expect(m.ingestSegments).toHaveLength(1);
    expect(m.distributionErrorRateAlarm).toBeUndefined();
    Annotations.fromStack(stack).hasWarning('/Media/Monitoring/Distribution', Match.stringLikeRegexp('no known Region \\(no env\\)'));
  });

  test('without the dashboard, the rows go on a dashboard of your own', () => {
    const { stack, group } = groupStack();
    const ingest = addIngest(group, 'Films', 'films');
    const m = new VodMonitoring(stack, 'Monitoring', { packagingGroup: group, ingests: [ingest], createDashboard: false });
    expect(m.dashboard).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    const own = new cloudwatch.Dashboard(stack, 'Own');
    own.addWidgets(...m.widgets());
    const body = JSON.stringify(stack.resolve((own.node.defaultChild as cloudwatch.CfnDashboard).dashboardBody));
    // title, alarms, group (3), one configuration (3), one ingest (4)
    expect(body.match(/\\"type\\":/g)).toHaveLength(12);
    // Rows of 24: the ingest's four widgets sit side by side on one row.
    for (const title of ['Media/Group/Films: queue', 'Media/Group/Films: assets']) {
      expect(body).toContain(title);
    }
    expect(m.alarms()).toHaveLength(2 + 3);
  });

  test('segments on their own: an origin and an ingest on a dashboard of your own', () => {
    const { stack, group } = groupStack();
    const ingest = addIngest(group, 'Films', 'films');
    const origin = new VodOriginMonitoring(stack, 'Origin', { packagingGroup: group, minimumRequests: 500, errorRateThreshold: 0.01 });
    const films = new VodIngestMonitoring(stack, 'FilmsMonitoring', { ingest, oldestMessageAgeThreshold: Duration.minutes(30) });
    const dashboard = new cloudwatch.Dashboard(stack, 'Ops');
    dashboard.addWidgets(...origin.widgets(), ...films.widgets());
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'IF(requests >= 500, FILL(errors, 0) / requests, 0)' })]),
      Threshold: 0.01,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 1800 });
    expect(origin.alarms()).toHaveLength(2);
    expect(films.alarms()).toHaveLength(3);
  });
});

describe('BucketIngest metrics', () => {
  test('metric(name) and metricXxx(): namespace MediaPackageVod/Ingest, IngestId = the prefix, Sum over 5 minutes, no unit', () => {
    const { group } = groupStack();
    const ingest = addIngest(group, 'Films', 'films');
    const expected = { namespace: 'MediaPackageVod/Ingest', dimensions: { IngestId: 'films' }, statistic: 'Sum', unit: undefined };
    expect(ingest.metricAssetsCreated()).toMatchObject({ ...expected, metricName: 'AssetsCreated' });
    expect(ingest.metricMessagesDeadLettered()).toMatchObject({ ...expected, metricName: 'MessagesDeadLettered' });
    expect(ingest.metricMessagesReturned()).toMatchObject({ ...expected, metricName: 'MessagesReturned' });
    expect(ingest.metricStatusEventsApplied()).toMatchObject({ ...expected, metricName: 'StatusEventsApplied' });
    expect(ingest.metricStatusEventsDropped()).toMatchObject({ ...expected, metricName: 'StatusEventsDropped' });
    expect(ingest.metricAssetsCreated().period.toSeconds()).toBe(300);
    const custom = ingest.metric('Retries', { period: Duration.minutes(1), statistic: 'Maximum' });
    expect(custom).toMatchObject({ metricName: 'Retries', statistic: 'Maximum', dimensions: { IngestId: 'films' } });
    expect(custom.period.toSeconds()).toBe(60);
    // Attached to the ingest's stack.
    expect(ingest.metricAssetsCreated()).toMatchObject({ region: 'eu-west-1', account: '111111111111' });
  });
});

describe('bad inputs', () => {
  test('an alarmTopic in another Region fails with its path and Region', () => {
    const { stack, group } = groupStack();
    const topic = sns.Topic.fromTopicArn(stack, 'Far', 'arn:aws:sns:us-west-2:111111111111:on-call');
    expect(() => new VodMonitoring(stack, 'Monitoring', { packagingGroup: group, alarmTopic: topic })).toThrow(
      /\[Media\/Monitoring\] alarmTopic: is in us-west-2, this stack in eu-west-1: a CloudWatch alarm notifies SNS topics of its own Region only.*\(got 'Media\/Far'\)/);
  });

  test('the same ingest listed twice is monitored once', () => {
    const { stack, group } = groupStack();
    const ingest = addIngest(group, 'Films', 'films');
    const m = new VodMonitoring(stack, 'Monitoring', { packagingGroup: group, ingests: [ingest, ingest] });
    expect(m.ingestSegments).toHaveLength(1);
    expect(Object.values(alarmsOf(stack)).filter((p: any) => /IngestError event/.test(p.AlarmDescription))).toHaveLength(1);
  });

  test('distributionErrorRateThreshold without a distribution: a warning (unused)', () => {
    const { stack, group } = groupStack();
    new VodMonitoring(stack, 'Monitoring', { packagingGroup: group, distributionErrorRateThreshold: 0.02 });
    Annotations.fromStack(stack).hasWarning('/Media/Monitoring', Match.stringLikeRegexp(
      'distributionErrorRateThreshold: is for the CloudFront alarm, and there is no distribution'));
  });

  test('dashboardName without the dashboard: a warning (unused)', () => {
    const { stack, group } = groupStack();
    new VodMonitoring(stack, 'Monitoring', { packagingGroup: group, createDashboard: false, dashboardName: 'ops' });
    Annotations.fromStack(stack).hasWarning('/Media/Monitoring', Match.stringLikeRegexp('dashboardName: is for the dashboard'));
  });

  test('ingestOldestMessageAgeThreshold of 500 ms fails with its path and value', () => {
    const { stack, group } = groupStack();
    expect(() => new VodMonitoring(stack, 'Monitoring', { packagingGroup: group, ingestOldestMessageAgeThreshold: Duration.millis(500) }))
      .toThrow(/\[Media\/Monitoring\] ingestOldestMessageAgeThreshold: must be a whole number of seconds .*\(got '500 millis'\)/);
  });

  test.each([0, 2.5])('originMinimumRequests of %p fails', (value) => {
    const { stack, group } = groupStack();
    expect(() => new VodMonitoring(stack, 'Monitoring', { packagingGroup: group, originMinimumRequests: value })).toThrow(
      new RegExp(`\\[Media/Monitoring\\] originMinimumRequests: must be an integer, at least 1 \\(got ${value}\\)`));
  });

  test('an ingest in another Region fails with its path', () => {
    const app = new App();
    const us = new Stack(app, 'Us', { env: { ...ENV, region: 'us-east-1' } });
    const group = PackagingGroup.fromPackagingGroupId(us, 'Group', 'vod');
    const configuration = PackagingConfiguration.fromPackagingConfigurationId(us, 'Hls', 'hls');
    const eu = new Stack(app, 'Eu', { env: ENV });
    const euGroup = PackagingGroup.fromPackagingGroupId(eu, 'Group', 'vod');
    const ingest = euGroup.addBucketIngest('Films', { bucket: new s3.Bucket(eu, 'Bucket'), keyPatterns: ['a/*.smil'], assetIdPrefix: 'films' });
    expect(() => new VodMonitoring(us, 'Monitoring', { packagingGroup: group, configurations: [configuration], ingests: [ingest] })).toThrow(
      /\[Us\/Monitoring\] ingests\[0\]: is in eu-west-1, this stack in us-east-1: its queues and function publish their metrics there.*\(got 'Eu\/Group\/Films'\)/);
  });

  test('a group in another Region fails with a message that names VodDistributionMonitoring for CloudFront', () => {
    const { app, group } = groupStack();
    const us = new Stack(app, 'Us', { env: { ...ENV, region: 'us-east-1' } });
    expect(() => new VodMonitoring(us, 'Monitoring', { packagingGroup: group })).toThrow(
      /\[Us\/Monitoring\] packagingGroup: is in eu-west-1, this stack in us-east-1: .*VodDistributionMonitoring.*\(got 'Media\/Group'\)/);
  });

  test('VodDistributionMonitoring: a distribution that does not serve the given group fails', () => {
    const { stack, group } = groupStack();
    const other = new PackagingGroup(stack, 'Other');
    const cdn = new VodDistribution(stack, 'Cdn', { packagingGroup: other });
    new VodDistributionMonitoring(stack, 'Cdn2', { distribution: cdn.distribution, packagingGroup: group });
    expect(() => Template.fromStack(stack)).toThrow(/\[Media\/Cdn2\] distribution: does not serve the packaging group Media\/Group/);
  });

  test('VodDistributionMonitoring: a VodDistribution (the wrapper) of another group fails at synth', () => {
    const { stack, group } = groupStack();
    const cdn = new VodDistribution(stack, 'Cdn', { packagingGroup: new PackagingGroup(stack, 'Other') });
    new VodDistributionMonitoring(stack, 'Cdn2', { distribution: cdn, packagingGroup: group });
    expect(() => Template.fromStack(stack)).toThrow(/\[Media\/Cdn2\] distribution: does not serve the packaging group Media\/Group: it is a VodDistribution of another packaging group \(Media\/Other\) \(got 'Media\/Cdn'\)/);
  });

  test('VodDistributionMonitoring: the group\'s behavior added to a distribution after the monitoring counts', () => {
    const { stack, group } = groupStack(new App(), { ...ENV, region: 'us-east-1' });
    const own = new cloudfront.Distribution(stack, 'Own', { defaultBehavior: { origin: new origins.HttpOrigin('www.example.com') } });
    new VodDistributionMonitoring(stack, 'Cdn2', { distribution: own, packagingGroup: group });
    own.addBehavior('out/*', new PackagingGroupOrigin(group));
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: '5xxErrorRate', Threshold: 5 });
  });
});
