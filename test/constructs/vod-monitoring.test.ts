/**
 * VodMonitoring: the dashboard's widgets and metrics, each alarm, the topic's actions, the validation rules, and a group
 * of 10 configurations with 3 ingests under CloudWatch's dashboard quotas.
 */
import { App, CfnParameter, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  BucketIngest, PackagingConfiguration, PackagingFormat, PackagingGroup, PackagingGroupOrigin, VodDistribution, VodIngestMonitoring, VodMonitoring,
  VodMonitoringProps,
} from '../../src';

const HLS = PackagingFormat.hls({ manifests: [{ manifestName: 'index' }] });

interface Fixture {
  readonly stack: Stack;
  readonly group: PackagingGroup;
  readonly cdn: VodDistribution;
  readonly ingest: BucketIngest;
  readonly topic: sns.Topic;
}

function fixture(region = 'us-east-1', configurations = 1): Fixture {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region } });
  const group = new PackagingGroup(stack, 'Group');
  for (let i = 0; i < configurations; i++) {
    group.addPackagingConfiguration(`Hls${i}`, { format: HLS, packagingConfigurationId: `hls-${i}` });
  }
  const cdn = new VodDistribution(stack, 'Cdn', { packagingGroup: group });
  const ingest = group.addBucketIngest('Library', {
    bucket: new s3.Bucket(stack, 'Mezzanine'), keyPatterns: ['library/*/index.m3u8'], assetIdPrefix: 'lib',
  });
  const topic = new sns.Topic(stack, 'Topic');
  return { stack, group, cdn, ingest, topic };
}

function monitoring(f: Fixture, props: Partial<VodMonitoringProps> = {}): VodMonitoring {
  return new VodMonitoring(f.stack, 'Monitoring', {
    packagingGroup: f.group, distribution: f.cdn.distribution, ingests: [f.ingest], alarmTopic: f.topic, ...props,
  });
}

/** The dashboard body, resolved (Fn::Join of literal strings and Refs: Refs become `<Ref:id>`), parsed. */
function dashboardBody(stack: Stack): any {
  const dashboards = Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard');
  expect(Object.keys(dashboards)).toHaveLength(1);
  const body = Object.values<any>(dashboards)[0].Properties.DashboardBody;
  const text = typeof body === 'string' ? body : body['Fn::Join'][1].map((part: any) => {
    if (typeof part === 'string') { return part; }
    if (part.Ref) { return `<Ref:${part.Ref}>`; }
    if (part['Fn::GetAtt']) { return `<GetAtt:${part['Fn::GetAtt'].join('.')}>`; }
    return `<${JSON.stringify(part).replace(/"/g, '\'')}>`;
  }).join('');
  return JSON.parse(text);
}

function widget(body: any, title: string): any {
  const found = body.widgets.filter((w: any) => w.properties.title === title);
  expect(found).toHaveLength(1);
  return found[0];
}

/** The metric rows of a widget that are plain metrics (namespace first). */
function plainMetrics(w: any): string[][] {
  return w.properties.metrics.filter((m: any[]) => typeof m[0] === 'string').map((m: any[]) => m.filter(x => typeof x === 'string'));
}

function alarmProps(stack: Stack, descriptionPattern: RegExp): any[] {
  return Object.values<any>(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'))
    .map(r => r.Properties).filter(p => descriptionPattern.test(p.AlarmDescription));
}

describe('VodMonitoring dashboard', () => {
  test('per configuration: requests by status code range, bytes, response time average and maximum', () => {
    const f = fixture();
    monitoring(f);
    const body = dashboardBody(f.stack);
    const requests = plainMetrics(widget(body, 'Stack/Group/Hls0: egress requests by status code range'));
    expect(requests).toEqual(['2xx', '3xx', '4xx', '5xx'].map(r => [
      'AWS/MediaPackage', 'EgressRequestCount', 'PackagingConfiguration', 'hls-0', 'StatusCodeRange', r,
    ]));
    expect(plainMetrics(widget(body, 'Stack/Group/Hls0: egress bytes'))).toEqual([
      ['AWS/MediaPackage', 'EgressBytes', 'PackagingConfiguration', 'hls-0'],
    ]);
    const time = widget(body, 'Stack/Group/Hls0: response time (ms)').properties.metrics;
    // Average is CloudWatch's default statistic: the body omits it.
    expect(time.map((m: any[]) => m[m.length - 1].stat ?? 'Average')).toEqual(['Average', 'Maximum']);
    expect(time.map((m: any[]) => m[m.length - 1].label)).toEqual(['Average', 'Maximum']);
    expect(plainMetrics({ properties: { metrics: time } })[0]).toEqual(
      ['AWS/MediaPackage', 'EgressResponseTime', 'PackagingConfiguration', 'hls-0']);
  });

  test('the group aggregate sums its configurations (no packaging-group dimension), imported configurations included', () => {
    const f = fixture('us-east-1', 2);
    const imported = PackagingConfiguration.fromPackagingConfigurationId(f.stack, 'Imported', 'made-elsewhere');
    const m = monitoring(f, { configurations: [imported] });
    expect(m.configurations).toHaveLength(3);
    const body = dashboardBody(f.stack);
    const requests = widget(body, 'Group: egress requests by status code range').properties.metrics;
    const expressions = requests.filter((x: any[]) => x[0].expression).map((x: any[]) => x[0].expression);
    // One aggregation helper (the group's metric methods use it too): ids by metric, statistic, period and status code range.
    expect(expressions).toEqual(['2xx', '3xx', '4xx', '5xx'].map(r => `SUM([${[0, 1, 2].map(i => `mEgressRequestCount_Sum_300_${r}_${i}`)}])`));
    const ids = plainMetrics({ properties: { metrics: requests } }).map(x => x[3]);
    expect(ids).toEqual(expect.arrayContaining(['hls-0', 'hls-1', 'made-elsewhere']));
    const time = widget(body, 'Group: response time (ms)').properties.metrics.filter((x: any[]) => x[0].expression);
    expect(time.map((x: any[]) => x[0].expression)).toEqual([
      'AVG([mEgressResponseTime_Average_300_0,mEgressResponseTime_Average_300_1,mEgressResponseTime_Average_300_2])',
      'MAX([mEgressResponseTime_Maximum_300_0,mEgressResponseTime_Maximum_300_1,mEgressResponseTime_Maximum_300_2])',
    ]);
  });

  test('CloudFront requests and 4xx/5xx rates, queried in us-east-1 with Region=Global', () => {
    const f = fixture('eu-west-1');
    monitoring(f);
    const body = dashboardBody(f.stack);
    const distributionId = Object.keys(Template.fromStack(f.stack).findResources('AWS::CloudFront::Distribution'))[0];
    const rates = widget(body, 'CloudFront: error rates (%)').properties.metrics;
    expect(rates.map((m: any[]) => m.slice(0, 6))).toEqual(['4xxErrorRate', '5xxErrorRate'].map(n => [
      'AWS/CloudFront', n, 'DistributionId', `<Ref:${distributionId}>`, 'Region', 'Global',
    ]));
    expect(rates.map((m: any[]) => m[6].region)).toEqual(['us-east-1', 'us-east-1']);
    const requests = widget(body, 'CloudFront: requests').properties.metrics;
    expect(requests[0].slice(0, 2)).toEqual(['AWS/CloudFront', 'Requests']);
    expect(requests[0][6]).toMatchObject({ region: 'us-east-1', stat: 'Sum' });
  });

  test('per ingest: queue depth and oldest age, dead-letter depth, function errors and throttles, assets created', () => {
    const f = fixture();
    monitoring(f);
    const body = dashboardBody(f.stack);
    const queue = widget(body, 'Stack/Group/Library: queue').properties.metrics;
    expect(queue.map((m: any[]) => m[1])).toEqual(['ApproximateNumberOfMessagesVisible', 'ApproximateAgeOfOldestMessage']);
    expect(queue[1][queue[1].length - 1]).toMatchObject({ yAxis: 'right', stat: 'Maximum' });
    const dlq = widget(body, 'Stack/Group/Library: dead-letter queue').properties.metrics;
    expect(dlq[0].slice(0, 2)).toEqual(['AWS/SQS', 'ApproximateNumberOfMessagesVisible']);
    expect(dlq[0][3]).toMatch(/^<GetAtt:GroupLibraryDeadLetterQueue[0-9A-F]{8}\.QueueName>$/);
    const fn = widget(body, 'Stack/Group/Library: function').properties.metrics;
    expect(fn.map((m: any[]) => m.slice(0, 2))).toEqual([['AWS/Lambda', 'Errors'], ['AWS/Lambda', 'Throttles']]);
    const assets = widget(body, 'Stack/Group/Library: assets').properties.metrics;
    expect(assets[0].slice(0, 4)).toEqual(['MediaPackageVod/Ingest', 'AssetsCreated', 'IngestId', 'lib']);
    expect(assets[0][4]).toMatchObject({ stat: 'Sum' });
    expect(assets[1].slice(0, 3)).toEqual(['AWS/Events', 'TriggeredRules', 'RuleName']);
  });

  test('an alarm status widget lists every alarm', () => {
    const f = fixture();
    monitoring(f);
    const alarms = dashboardBody(f.stack).widgets.find((w: any) => w.type === 'alarm').properties.alarms;
    // origin error rate, origin response time, CloudFront, and the ingest's three.
    expect(alarms).toHaveLength(6);
  });
});

describe('VodMonitoring alarms', () => {
  test('origin 5xx rate: 5xx ÷ requests per configuration (periods under 100 requests: 0), > 0.05, 2 of 3, no unit; a composite notifies', () => {
    const f = fixture();
    const m = monitoring(f);
    const [alarm] = alarmProps(f.stack, /Hls0: more than 5 % of the requests got a 5xx/);
    expect(alarm).toMatchObject({
      Threshold: 0.05,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
    });
    expect(alarm.AlarmActions).toBeUndefined();
    expect(alarm.Metrics[0]).toMatchObject({ Expression: 'IF(requests >= 100, FILL(errors, 0) / requests, 0)', Label: '5xx rate' });
    expect(alarm.Metrics.map((x: any) => x.Id).slice(1).sort()).toEqual(['errors', 'requests']);
    const errors = alarm.Metrics.find((x: any) => x.Id === 'errors').MetricStat;
    expect(errors).toEqual({
      Metric: {
        Namespace: 'AWS/MediaPackage',
        MetricName: 'EgressRequestCount',
        Dimensions: [{ Name: 'PackagingConfiguration', Value: 'hls-0' }, { Name: 'StatusCodeRange', Value: '5xx' }],
      },
      Period: 300,
      Stat: 'Sum',
    });
    const requests = alarm.Metrics.find((x: any) => x.Id === 'requests').MetricStat;
    expect(requests.Metric.Dimensions).toEqual([{ Name: 'PackagingConfiguration', Value: 'hls-0' }]);
    expect(m.configurationErrorRateAlarms).toHaveLength(1);

    const composites = Template.fromStack(f.stack).findResources('AWS::CloudWatch::CompositeAlarm');
    const composite = Object.values<any>(composites).map(r => r.Properties).find(p => /5xx/.test(p.AlarmDescription));
    const topicRef = { Ref: Object.keys(Template.fromStack(f.stack).findResources('AWS::SNS::Topic'))[0] };
    expect(composite.AlarmActions).toEqual([topicRef]);
    expect(composite.OKActions).toEqual([topicRef]);
    // The alarm's id comes from the configuration's id, not its position.
    expect(JSON.stringify(composite.AlarmRule)).toMatch(/MonitoringOriginErrorRatehls0[0-9A-F]{8}/);
  });

  test('origin response time: average > 1000 ms for 3 periods of 5 minutes', () => {
    const f = fixture();
    monitoring(f);
    const [alarm] = alarmProps(f.stack, /Hls0: average response time/);
    expect(alarm.Unit).toBeUndefined();
    expect(alarm).toMatchObject({
      Namespace: 'AWS/MediaPackage',
      MetricName: 'EgressResponseTime',
      Statistic: 'Average',
      Period: 300,
      Dimensions: [{ Name: 'PackagingConfiguration', Value: 'hls-0' }],
      Threshold: 1000,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
      TreatMissingData: 'notBreaching',
    });
  });

  test('CloudFront 5xx rate in percent (the fraction × 100), with the topic on ALARM and OK', () => {
    const f = fixture();
    monitoring(f, { distributionErrorRateThreshold: 0.02 });
    const [alarm] = alarmProps(f.stack, /CloudFront distribution/);
    const topicRef = { Ref: Object.keys(Template.fromStack(f.stack).findResources('AWS::SNS::Topic'))[0] };
    expect(alarm).toMatchObject({
      Namespace: 'AWS/CloudFront',
      MetricName: '5xxErrorRate',
      Statistic: 'Average',
      Dimensions: [{ Name: 'DistributionId', Value: { Ref: f.stack.getLogicalId(f.cdn.distribution.node.defaultChild as cloudfront.CfnDistribution) } },
        { Name: 'Region', Value: 'Global' }],
      Threshold: 2,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef],
      OKActions: [topicRef],
    });
  });

  test('outside us-east-1 the distribution gets no alarm, and a warning says why', () => {
    const f = fixture('eu-west-1');
    const m = monitoring(f);
    expect(m.distributionErrorRateAlarm).toBeUndefined();
    expect(alarmProps(f.stack, /CloudFront/)).toHaveLength(0);
    Annotations.fromStack(f.stack).hasWarning('/Stack/Monitoring/Distribution',
      Match.stringLikeRegexp('CloudFront publishes its metrics in us-east-1.*create a VodDistributionMonitoring in a stack whose env Region is us-east-1'));
  });

  test('ingest: a dead-letter alarm of its own notifies the topic; the ingest\'s own alarm is left without actions', () => {
    const f = fixture();
    const m = monitoring(f);
    expect(m.ingestSegments[0].deadLetterAlarm).not.toBe(f.ingest.deadLetterAlarm);
    const topicRef = { Ref: Object.keys(Template.fromStack(f.stack).findResources('AWS::SNS::Topic'))[0] };
    const [own] = alarmProps(f.stack, /Bucket ingest Stack\/Group\/Library: objects that could not become/);
    expect(own).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Statistic: 'Maximum',
      Period: 60,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [topicRef],
      OKActions: [topicRef],
    });
    const [ingests] = alarmProps(f.stack, /^Objects of Stack\/Mezzanine that could not become/);
    expect(ingests.AlarmActions).toBeUndefined();
    expect(ingests.OKActions).toBeUndefined();
  });

  test('ingest: oldest message older than 1 hour (3600 s), maximum, 3 periods', () => {
    const f = fixture();
    monitoring(f);
    const [alarm] = alarmProps(f.stack, /oldest object waiting/);
    expect(alarm).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 3600,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
      TreatMissingData: 'notBreaching',
    });
  });

  test('ingest with a catalog: the alarm watches the older of the object queue and the status queue', () => {
    const f = fixture();
    const catalogued = f.group.addBucketIngest('Titles', {
      bucket: new s3.Bucket(f.stack, 'Titles'), keyPatterns: ['titles/*/index.m3u8'], assetIdPrefix: 'titles', catalog: true,
    });
    monitoring(f, { ingests: [f.ingest, catalogued] });
    const alarms = alarmProps(f.stack, /Titles: the oldest object waiting to become an asset \(or status event waiting for the catalog\)/);
    expect(alarms).toHaveLength(1);
    const queueName = (id: RegExp) => ({ 'Fn::GetAtt': [Match.stringLikeRegexp(id.source), 'QueueName'] });
    const sqsAge = (id: RegExp) => Match.objectLike({
      MetricStat: {
        Metric: { Namespace: 'AWS/SQS', MetricName: 'ApproximateAgeOfOldestMessage', Dimensions: [{ Name: 'QueueName', Value: queueName(id) }] },
        Period: 300,
        Stat: 'Maximum',
      },
      ReturnData: false,
    });
    Template.fromStack(f.stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('Titles: the oldest object'),
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'MAX([objects, status])', ReturnData: true }),
        sqsAge(/^GroupTitlesQueue/),
        sqsAge(/^GroupTitlesStatusQueue/),
      ]),
      Threshold: 3600,
      EvaluationPeriods: 3,
    });
    // The dashboard: the status queue's depth beside the object queue's; the catalog's applied and dropped events.
    const body = dashboardBody(f.stack);
    const queue = widget(body, 'Stack/Group/Titles: queue').properties.metrics;
    expect(queue.map((m: any[]) => m[1])).toEqual(['ApproximateNumberOfMessagesVisible', 'ApproximateNumberOfMessagesVisible', 'ApproximateAgeOfOldestMessage']);
    expect(queue[1][3]).toMatch(/^<GetAtt:GroupTitlesStatusQueue[0-9A-F]{8}\.QueueName>$/);
    const assets = plainMetrics(widget(body, 'Stack/Group/Titles: assets'));
    expect(assets.map(m => m[1])).toEqual(['AssetsCreated', 'TriggeredRules', 'StatusEventsApplied', 'StatusEventsDropped']);
    // The ingest without a catalog keeps its single-metric alarm.
    expect(alarmProps(f.stack, /Library: the oldest object waiting to become an asset is older/)).toHaveLength(1);
  });

  test('ingest errors: a rule on IngestError events of the ingest\'s asset ARN prefix, with a log group target; TriggeredRules >= 1', () => {
    const f = fixture();
    const m = monitoring(f);
    const template = Template.fromStack(f.stack);
    // The pattern is the ingest's own (the one onIngestError uses).
    const pattern = f.stack.resolve(f.ingest._ingestErrorPattern());
    expect(pattern).toEqual({
      source: ['aws.mediapackage'],
      detailType: ['MediaPackage Input Notification'],
      resources: [{ prefix: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':mediapackage-vod:us-east-1:111111111111:assets/lib-']] } }],
      detail: { event: ['IngestError'] },
    });
    const logGroups = template.findResources('AWS::Logs::LogGroup', { Properties: { LogGroupName: Match.stringLikeRegexp('^/aws/events/cdk-mediapackage-vod/') } });
    expect(Object.keys(logGroups)).toHaveLength(1);
    const [logGroupId] = Object.keys(logGroups);
    expect(logGroups[logGroupId].Properties.RetentionInDays).toBe(30);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.mediapackage'],
        'detail-type': ['MediaPackage Input Notification'],
        'detail': { event: ['IngestError'] },
        'resources': pattern.resources,
      },
      // A target, so EventBridge publishes the rule's TriggeredRules: the log group (its ARN without ':*').
      Targets: [Match.objectLike({
        Arn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:111111111111:log-group:', { Ref: logGroupId }]] },
      })],
    });
    // One resource policy per stack lets EventBridge write every such log group (by prefix, this account and Region).
    const policies = Object.values<any>(template.findResources('AWS::Logs::ResourcePolicy'));
    expect(policies).toHaveLength(1);
    const document = JSON.parse(JSON.stringify(f.stack.resolve(policies[0].Properties.PolicyDocument)));
    expect(JSON.stringify(document)).toContain('events.amazonaws.com');
    expect(JSON.stringify(document)).toContain(':log-group:/aws/events/cdk-mediapackage-vod/*');
    // The document is a Fn::Join (the account is a Ref): its text has the two actions and no condition.
    expect(JSON.stringify(document)).toContain('[\\"logs:CreateLogStream\\",\\"logs:PutLogEvents\\"]');
    expect(JSON.stringify(document)).not.toContain('Condition');
    const [alarm] = alarmProps(f.stack, /IngestError event/);
    expect(alarm).toMatchObject({
      Namespace: 'AWS/Events',
      MetricName: 'TriggeredRules',
      Statistic: 'Sum',
      Period: 300,
      Dimensions: [{ Name: 'RuleName', Value: { Ref: expect.stringMatching(/^MonitoringIngestlibIngestErrors[0-9A-F]{8}$/) } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
    expect(alarm.Unit).toBeUndefined();
    expect(m.ingestSegments[0]).toBeInstanceOf(VodIngestMonitoring);
    expect(m.ingestSegments[0].ingestErrorRule).toBeDefined();
  });

  test('no alarm metric carries a Unit (a unit filters datapoints: a mismatch is silent no-data)', () => {
    const f = fixture('us-east-1', 2);
    const catalogued = f.group.addBucketIngest('Titles', {
      bucket: new s3.Bucket(f.stack, 'Titles'), keyPatterns: ['titles/*/index.m3u8'], assetIdPrefix: 'titles', catalog: true,
    });
    monitoring(f, { ingests: [f.ingest, catalogued] });
    const alarms = alarmProps(f.stack, /./).filter(p => !/^Objects of/.test(p.AlarmDescription));
    // 2 configurations × 2, CloudFront, 2 ingests × 3.
    expect(alarms).toHaveLength(11);
    for (const p of alarms) {
      expect(p.Unit).toBeUndefined();
      for (const m of p.Metrics ?? []) {
        expect(m.MetricStat?.Unit).toBeUndefined();
      }
    }
  });

  test('thresholds are overridable', () => {
    const f = fixture();
    monitoring(f, {
      originErrorRateThreshold: 0.1,
      originResponseTimeThreshold: Duration.millis(500),
      ingestOldestMessageAgeThreshold: Duration.minutes(10),
      ingestErrorEventsThreshold: 3,
    });
    expect(alarmProps(f.stack, /got a 5xx/)[0].Threshold).toBe(0.1);
    expect(alarmProps(f.stack, /average response time/)[0].Threshold).toBe(500);
    expect(alarmProps(f.stack, /oldest object waiting/)[0].Threshold).toBe(600);
    expect(alarmProps(f.stack, /IngestError event/)[0].Threshold).toBe(3);
  });

  test('without a topic, no actions', () => {
    const f = fixture();
    monitoring(f, { alarmTopic: undefined });
    for (const p of alarmProps(f.stack, /./)) {
      expect(p.AlarmActions).toBeUndefined();
    }
    for (const r of Object.values<any>(Template.fromStack(f.stack).findResources('AWS::CloudWatch::CompositeAlarm'))) {
      expect(r.Properties.AlarmActions).toBeUndefined();
    }
  });
});

describe('VodMonitoring at the quota: 10 configurations, 3 ingests', () => {
  test('stays under CloudWatch dashboard limits and alarm math limits', () => {
    const f = fixture('us-east-1', 10);
    const more = [1, 2].map(i => f.group.addBucketIngest(`Library${i}`, {
      bucket: new s3.Bucket(f.stack, `Mezzanine${i}`), keyPatterns: ['library/*/index.m3u8'], assetIdPrefix: `lib${i}`,
    }));
    const m = monitoring(f, { ingests: [f.ingest, ...more] });
    const body = dashboardBody(f.stack);
    expect(body.widgets.length).toBeLessThanOrEqual(500);
    // header, alarms, group row (3), 10 configuration rows (3 each), CloudFront (2), 3 ingest rows (4 each)
    expect(body.widgets).toHaveLength(1 + 1 + 3 + 30 + 2 + 12);
    const perWidget = body.widgets.filter((w: any) => w.type === 'metric').map((w: any) => w.properties.metrics.length);
    expect(Math.max(...perWidget)).toBeLessThanOrEqual(500);
    expect(Math.max(...perWidget)).toBe(44);
    // The group's requests widget: 4 sums of 10 inputs each.
    expect(widget(body, 'Group: egress requests by status code range').properties.metrics).toHaveLength(44);
    expect(perWidget.reduce((a: number, b: number) => a + b, 0)).toBeLessThanOrEqual(2500);
    // Each alarm's math takes at most 10 metrics.
    for (const p of alarmProps(f.stack, /./)) {
      expect((p.Metrics ?? []).filter((x: any) => x.MetricStat).length).toBeLessThanOrEqual(10);
    }
    expect(m.configurationErrorRateAlarms).toHaveLength(10);
    expect(m.ingestSegments).toHaveLength(3);
    expect(alarmProps(f.stack, /got a 5xx/)).toHaveLength(10);
  });
});

describe('VodMonitoring validation', () => {
  test.each([
    ['originErrorRateThreshold', 5],
    ['originErrorRateThreshold', 0],
    ['distributionErrorRateThreshold', 1],
    ['distributionErrorRateThreshold', -0.1],
  ])('fails when %s is %p (a fraction between 0 and 1)', (prop, value) => {
    const f = fixture();
    expect(() => monitoring(f, { [prop]: value })).toThrow(new RegExp(
      `\\[Stack/Monitoring\\] ${prop}: must be a fraction between 0 and 1, exclusive .*\\(got ${value}\\)`));
  });

  test.each(['originResponseTimeThreshold', 'ingestOldestMessageAgeThreshold'])('fails when %s is 0', (prop) => {
    const f = fixture();
    expect(() => monitoring(f, { [prop]: Duration.seconds(0) })).toThrow(
      new RegExp(`\\[Stack/Monitoring\\] ${prop}: must be longer than 0 \\(got '0 seconds'\\)`));
  });

  test('fails when ingestErrorEventsThreshold is not a whole number >= 1', () => {
    const f = fixture();
    expect(() => monitoring(f, { ingestErrorEventsThreshold: 0.5 })).toThrow(
      /\[Stack\/Monitoring\] ingestErrorEventsThreshold: must be an integer, at least 1 \(got 0.5\)/);
  });

  test.each([
    ['originResponseTimeThreshold', Duration.seconds, 'milliseconds', 'millis', 'seconds'],
    ['ingestOldestMessageAgeThreshold', Duration.minutes, 'seconds', 'seconds', 'minutes'],
    ['ingestOldestMessageAgeThreshold', Duration.millis, 'seconds', 'seconds', 'millis'],
  ])('a deploy-time %s not in the threshold\'s unit fails with its path and value', (prop, make, unit, needed, given) => {
    const f = fixture();
    const duration = make(new CfnParameter(f.stack, 'Threshold', { type: 'Number' }).valueAsNumber);
    expect(() => monitoring(f, { [prop]: duration })).toThrow(new RegExp(`^\\[Stack/Monitoring\\] ${prop}: is known only at deploy `
      + `time, and the alarm's threshold is in ${unit}: .* give it as Duration\\.${needed}\\(\\.\\.\\.\\) `
      + `\\(got 'Duration\\.${given}\\(<token>\\)'\\)$`));
  });

  test('deploy-time thresholds in the threshold\'s unit render as references', () => {
    const f = fixture();
    const millis = new CfnParameter(f.stack, 'Millis', { type: 'Number' });
    const seconds = new CfnParameter(f.stack, 'Seconds', { type: 'Number' });
    monitoring(f, {
      originResponseTimeThreshold: Duration.millis(millis.valueAsNumber),
      ingestOldestMessageAgeThreshold: Duration.seconds(seconds.valueAsNumber),
    });
    const template = Template.fromStack(f.stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'EgressResponseTime', Threshold: { Ref: 'Millis' } });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: { Ref: 'Seconds' },
      EvaluationPeriods: 3,
      AlarmDescription: Match.stringLikeRegexp('oldest object waiting'),
    });
  });

  test('a deploy-time distributionErrorRateThreshold (CfnParameter) fails at synth with its path and value', () => {
    const f = fixture();
    const threshold = new CfnParameter(f.stack, 'ErrorRate', { type: 'Number' });
    monitoring(f, { distributionErrorRateThreshold: threshold.valueAsNumber });
    expect(() => Template.fromStack(f.stack)).toThrow(/\[Stack\/Monitoring\/Distribution\] errorRateThreshold: must be known at synth: CloudFront publishes percent.* \(got \{"Ref":"ErrorRate"\}\)/);
  });

  test('a distributionErrorRateThreshold Token known at synth (Lazy) becomes percent', () => {
    const f = fixture();
    monitoring(f, { distributionErrorRateThreshold: Lazy.number({ produce: () => 0.02 }) });
    Template.fromStack(f.stack).hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: '5xxErrorRate', Threshold: 2 });
  });

  test('Tokens skip the threshold checks', () => {
    const f = fixture();
    const token = Lazy.number({ produce: () => 0.5 });
    const millis = Duration.millis(Lazy.number({ produce: () => 0 }));
    const seconds = Duration.seconds(Lazy.number({ produce: () => 0 }));
    expect(() => monitoring(f, {
      originErrorRateThreshold: token,
      distributionErrorRateThreshold: token,
      originResponseTimeThreshold: millis,
      ingestOldestMessageAgeThreshold: seconds,
      ingestErrorEventsThreshold: Lazy.number({ produce: () => 0 }),
    })).not.toThrow();
  });

  test('fails for a distribution that does not serve the group', () => {
    const f = fixture();
    const other = new cloudfront.Distribution(f.stack, 'Site', { defaultBehavior: { origin: new origins.HttpOrigin('www.example.com') } });
    monitoring(f, { distribution: other });
    expect(() => Template.fromStack(f.stack)).toThrow(
      /\[Stack\/Monitoring\] distribution: does not serve the packaging group Stack\/Group: .*\(got 'Stack\/Site'\)/);
  });

  test.each(['wrapper', 'distribution'])('fails for a VodDistribution of another group (its %s)', (given) => {
    const f = fixture();
    const otherCdn = new VodDistribution(f.stack, 'OtherCdn', { packagingGroup: new PackagingGroup(f.stack, 'Other') });
    monitoring(f, { distribution: given === 'wrapper' ? otherCdn : otherCdn.distribution });
    expect(() => Template.fromStack(f.stack)).toThrow(given === 'wrapper'
      ? /\[Stack\/Monitoring\] distribution: does not serve the packaging group Stack\/Group: it is a VodDistribution of another packaging group \(Stack\/Other\) \(got 'Stack\/OtherCdn'\)/
      : /\[Stack\/Monitoring\] distribution: does not serve the packaging group Stack\/Group: none of its origins .*\(got 'Stack\/OtherCdn\/Distribution'\)/);
  });

  test('accepts the group\'s VodDistribution itself (the wrapper)', () => {
    const f = fixture();
    monitoring(f, { distribution: f.cdn });
    Template.fromStack(f.stack).resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  test.each(['before', 'after'])('the group\'s behavior added %s the monitoring is seen (checked at synth)', (when) => {
    const f = fixture();
    const own = new cloudfront.Distribution(f.stack, 'Own', { defaultBehavior: { origin: new origins.HttpOrigin('www.example.com') } });
    if (when === 'before') { own.addBehavior('out/*', new PackagingGroupOrigin(f.group)); }
    monitoring(f, { distribution: own });
    if (when === 'after') { own.addBehavior('out/*', new PackagingGroupOrigin(f.group)); }
    Template.fromStack(f.stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: '5xxErrorRate', Dimensions: Match.arrayWith([{ Name: 'DistributionId', Value: { Ref: Match.stringLikeRegexp('^Own') } }]),
    });
  });

  test('accepts an own cloudfront.Distribution with the group\'s origin, and an imported distribution (not checked)', () => {
    const f = fixture();
    const own = new cloudfront.Distribution(f.stack, 'Own', { defaultBehavior: { origin: new PackagingGroupOrigin(f.group) } });
    monitoring(f, { distribution: own });
    const imported = cloudfront.Distribution.fromDistributionAttributes(f.stack, 'Imported', {
      distributionId: 'E123', domainName: 'd123.cloudfront.net',
    });
    new VodMonitoring(f.stack, 'Monitoring2', { packagingGroup: f.group, distribution: imported });
    Template.fromStack(f.stack).resourceCountIs('AWS::CloudWatch::Dashboard', 2);
  });

  test('fails for an ingest of another group', () => {
    const f = fixture();
    const otherGroup = new PackagingGroup(f.stack, 'Other');
    const ingest = otherGroup.addBucketIngest('Ingest', { bucket: new s3.Bucket(f.stack, 'B2'), keyPatterns: ['a/*.smil'] });
    expect(() => monitoring(f, { ingests: [f.ingest, ingest] })).toThrow(
      /\[Stack\/Monitoring\] ingests\[1\]: ingests into another packaging group \(Stack\/Other\), not Stack\/Group \(got 'Stack\/Other\/Ingest'\)/);
  });

  test('fails for a configuration of another group', () => {
    const f = fixture();
    const otherGroup = new PackagingGroup(f.stack, 'Other');
    const c = otherGroup.addPackagingConfiguration('Dash', { format: PackagingFormat.dash({ manifests: [{}] }) });
    expect(() => monitoring(f, { configurations: [c] })).toThrow(
      /\[Stack\/Monitoring\] configurations\[0\]: belongs to another packaging group \(Stack\/Other\)/);
  });

  test('fails when no configuration is known', () => {
    const stack = new Stack(new App(), 'Stack');
    const group = PackagingGroup.fromPackagingGroupId(stack, 'Group', 'existing');
    expect(() => new VodMonitoring(stack, 'Monitoring', { packagingGroup: group })).toThrow(
      /\[Stack\/Monitoring\] configurations: MediaPackage VOD publishes metrics per packaging configuration only/);
  });

  test('an imported group with imported configurations works', () => {
    const stack = new Stack(new App(), 'Stack');
    const group = PackagingGroup.fromPackagingGroupId(stack, 'Group', 'existing');
    const c = PackagingConfiguration.fromPackagingConfigurationId(stack, 'Hls', 'existing-hls');
    new VodMonitoring(stack, 'Monitoring', { packagingGroup: group, configurations: [c] });
    const body = dashboardBody(stack);
    expect(plainMetrics(widget(body, 'Stack/Hls: egress bytes'))[0]).toEqual(
      ['AWS/MediaPackage', 'EgressBytes', 'PackagingConfiguration', 'existing-hls']);
  });
});
