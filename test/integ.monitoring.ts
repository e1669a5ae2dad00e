/**
 * Integ test: operating a VOD origin (VodMonitoring). A group with two configurations behind a VodDistribution, an
 * imported configuration of the group monitored too, a bucket ingest, and a KMS-encrypted SNS topic the alarms notify.
 * The stack is in us-east-1, where CloudFront publishes its metrics, so the distribution's 5xx alarm exists.
 *
 * Snapshot only (no AWS account here): `scripts/ci/integ.sh` compares test/integ.monitoring.ts.snapshot. The handler
 * bundles must exist: `npx projen bundle` first.
 */
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { PackagingConfiguration, PackagingFormat, PackagingGroup, VodDistribution, VodMonitoring } from '../src';
import { skipCheckov } from '../src/private/checkov';

/**
 * Builds the integ app; `integ-runner` runs this file, the cdk-nag test imports it.
 * No stack traces in the construct metadata: the snapshot would carry this machine's paths.
 */
export function buildIntegApp(app: App = new App({ stackTraces: false, context: { 'aws:cdk:disable-creation-stack-traces': true } }))
  : { app: App; stacks: Stack[] } {
  const stack = new Stack(app, 'MediaPackageVodIntegMonitoring', { env: { region: 'us-east-1' } });
  const group = new PackagingGroup(stack, 'Group');
  group.addPackagingConfiguration('Hls', { format: PackagingFormat.hls({ manifests: [{ manifestName: 'index' }] }) });
  group.addPackagingConfiguration('Dash', { format: PackagingFormat.dash({ manifests: [{ manifestName: 'index' }] }) });
  const cdn = new VodDistribution(stack, 'Cdn', { packagingGroup: group, comment: 'integ: MediaPackage VOD monitoring' });

  const library = new s3.Bucket(stack, 'Library', {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  skipCheckov(library, 'CKV_AWS_18', 'Test bucket of an integ app (never deployed by CI) whose ingest is monitored: server access '
    + 'logs need a second bucket, the user\'s choice.');
  skipCheckov(library, 'CKV_AWS_21', 'Test bucket of an integ app (never deployed by CI) whose ingest is monitored: versioning is '
    + 'the user\'s choice and changes nothing the monitoring watches.');
  const ingest = group.addBucketIngest('Titles', { bucket: library, keyPatterns: ['movies/*/index.m3u8'], assetIdPrefix: 'integ_mon' });

  // CloudWatch publishes to an encrypted topic only if the key lets it.
  const key = new kms.Key(stack, 'AlarmKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY });
  key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
  const topic = new sns.Topic(stack, 'Alarms', { masterKey: key, enforceSSL: true });

  new VodMonitoring(stack, 'Monitoring', {
    packagingGroup: group,
    configurations: [PackagingConfiguration.fromPackagingConfigurationId(stack, 'LegacyCmaf', 'integ-existing-cmaf')],
    distribution: cdn.distribution,
    ingests: [ingest],
    alarmTopic: topic,
  });

  new IntegTest(app, 'MonitoringTest', { testCases: [stack], stackUpdateWorkflow: false });
  return { app, stacks: [stack] };
}

if (require.main === module) {
  buildIntegApp().app.synth();
}
