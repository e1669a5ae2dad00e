/**
 * Integ test: packaging groups (generated and fixed ids, CDN authorization with a created and a given role, egress access
 * logs to a named log group and to the service's default group, imports) and a dashboard of the group metrics.
 *
 * Snapshot only (no AWS account here): `scripts/ci/integ.sh` compares test/integ.packaging-group.snapshot.
 */
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CdnAuthorization, EgressAccessLogs, PackagingFormat, PackagingGroup } from '../src';
import { skipCheckov } from '../src/private/checkov';

/**
 * Builds the integ app; `integ-runner` runs this file, the cdk-nag test imports it.
 * No stack traces in the construct metadata: the snapshot would carry this machine's paths.
 */
export function buildIntegApp(app: App = new App({ stackTraces: false, context: { 'aws:cdk:disable-creation-stack-traces': true } }))
  : { app: App; stacks: Stack[] } {
  const stack = new Stack(app, 'MediaPackageVodIntegPackagingGroup');

  // The CDN identifier secret: {"MediaPackageCDNIdentifier": "<random>"}.
  const secret = new secretsmanager.Secret(stack, 'CdnIdentifier', {
    generateSecretString: {
      secretStringTemplate: '{}',
      generateStringKey: 'MediaPackageCDNIdentifier',
      excludePunctuation: true,
      passwordLength: 36,
    },
    removalPolicy: RemovalPolicy.DESTROY,
  });
  skipCheckov(secret, 'CKV_AWS_149', 'Test secret of an integ app (never deployed by CI), given with CdnAuthorization.fromSecret: '
    + 'a CDN identifier, not a credential; its KMS key is the user\'s choice.');
  const logGroup = new logs.LogGroup(stack, 'EgressLogs', {
    logGroupName: '/aws/MediaPackage/integ-packaging-group',
    retention: logs.RetentionDays.ONE_WEEK,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  skipCheckov(logGroup, 'CKV_AWS_158', 'Test egress access log group of an integ app (never deployed by CI), given with '
    + 'EgressAccessLogs.toLogGroup: request lines, no content; its KMS key is the user\'s choice.');

  // Generated id, CDN authorization through a created role, logs to a named log group.
  const group = new PackagingGroup(stack, 'Group', {
    authorization: CdnAuthorization.fromSecret(secret),
    egressAccessLogs: EgressAccessLogs.toLogGroup(logGroup),
  });
  group.addPackagingConfiguration('Hls', { format: PackagingFormat.hls({ manifests: [{ manifestName: 'index' }] }) });
  group.addPackagingConfiguration('Dash', { format: PackagingFormat.dash({ manifests: [{ manifestName: 'index' }] }) });

  // Fixed id, CDN authorization through a role the app brings, logs to the service's default log group.
  const secretsRole = new iam.Role(stack, 'SecretsRole', {
    assumedBy: new iam.ServicePrincipal('mediapackage.amazonaws.com'),
  });
  new PackagingGroup(stack, 'FixedIdGroup', {
    packagingGroupId: 'integ-fixed-id-group',
    authorization: CdnAuthorization.fromSecret(secret, { role: secretsRole }),
    egressAccessLogs: EgressAccessLogs.toDefaultLogGroup(),
  });

  // The group metrics (math over the group's configurations) on a dashboard, two of them sharing a graph.
  new cloudwatch.Dashboard(stack, 'Dashboard', {
    widgets: [[
      new cloudwatch.GraphWidget({
        title: 'Requests and bytes',
        left: [group.metricEgressRequestCount({ period: Duration.minutes(5) })],
        right: [group.metricEgressBytes()],
      }),
      new cloudwatch.GraphWidget({ title: 'Response time', left: [group.metricEgressResponseTime(), group.metricEgressResponseTime({ statistic: 'Maximum' })] }),
    ]],
  });

  new IntegTest(app, 'PackagingGroupTest', { testCases: [stack], stackUpdateWorkflow: false });
  return { app, stacks: [stack] };
}

if (require.main === module) {
  buildIntegApp().app.synth();
}
