/**
 * Integ test: egress access logs turned on for packaging groups this app does not own (PackagingGroupAccessLogs, a
 * custom resource around ConfigureLogs): one to a named log group, one to the service's default log group through
 * `configureEgressAccessLogs`. Both share the stack's one provider function.
 *
 * Snapshot only (no AWS account here): `scripts/ci/integ.sh` compares test/integ.access-logs.ts.snapshot. The handler
 * bundle (assets/access-logs/handler/index) must exist: `npx projen bundle` first.
 */
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { PackagingGroup, PackagingGroupAccessLogs } from '../src';
import { skipCheckov } from '../src/private/checkov';

/**
 * Builds the integ app; `integ-runner` runs this file, the cdk-nag test imports it.
 * No stack traces in the construct metadata: the snapshot would carry this machine's paths.
 */
export function buildIntegApp(app: App = new App({ stackTraces: false, context: { 'aws:cdk:disable-creation-stack-traces': true } }))
  : { app: App; stacks: Stack[] } {
  const stack = new Stack(app, 'MediaPackageVodIntegAccessLogs');

  const logGroup = new logs.LogGroup(stack, 'EgressLogs', {
    logGroupName: '/aws/MediaPackage/integ-access-logs',
    retention: logs.RetentionDays.ONE_WEEK,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  skipCheckov(logGroup, 'CKV_AWS_158', 'Test log group of an integ app (never deployed by CI) standing for the user\'s own egress '
    + 'log group: its KMS key is the user\'s choice (the library takes the log group as given).');

  const existing = PackagingGroup.fromPackagingGroupId(stack, 'ExistingGroup', 'integ-existing-group');
  new PackagingGroupAccessLogs(stack, 'ExistingGroupLogs', { packagingGroup: existing, logGroup });

  const other = PackagingGroup.fromPackagingGroupArn(stack, 'OtherGroup',
    `arn:${stack.partition}:mediapackage-vod:${stack.region}:${stack.account}:packaging-groups/integ-other-group`);
  other.configureEgressAccessLogs('DefaultLogs');

  new IntegTest(app, 'AccessLogsTest', { testCases: [stack], stackUpdateWorkflow: false });
  return { app, stacks: [stack] };
}

if (require.main === module) {
  buildIntegApp().app.synth();
}
