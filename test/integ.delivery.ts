/**
 * Integ test: delivery through CloudFront. A group with a generated CDN identifier behind a VodDistribution; a group
 * imported by its egress host, with its secret given, in a distribution the app builds itself from VodBehaviors (a
 * website on the default behavior, the group under /out/); both share the stack's one manifest cache policy.
 *
 * Snapshot only (no AWS account here): `scripts/ci/integ.sh` compares test/integ.delivery.ts.snapshot.
 */
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CdnAuthorization, PackagingFormat, PackagingGroup, PackagingGroupOrigin, VodBehaviors, VodDistribution } from '../src';
import { skipCheckov } from '../src/private/checkov';

/**
 * Builds the integ app; `integ-runner` runs this file, the cdk-nag test imports it.
 * No stack traces in the construct metadata: the snapshot would carry this machine's paths.
 */
export function buildIntegApp(app: App = new App({ stackTraces: false, context: { 'aws:cdk:disable-creation-stack-traces': true } }))
  : { app: App; stacks: Stack[] } {
  const stack = new Stack(app, 'MediaPackageVodIntegDelivery');

  // A group whose CDN identifier the library generates, behind a VodDistribution.
  const group = new PackagingGroup(stack, 'Group', { authorization: CdnAuthorization.withGeneratedSecret() });
  group.addPackagingConfiguration('Hls', { format: PackagingFormat.hls({ manifests: [{ manifestName: 'index' }] }) });
  group.addPackagingConfiguration('Dash', { format: PackagingFormat.dash({ manifests: [{ manifestName: 'index' }] }) });
  group.addPackagingConfiguration('Mss', { format: PackagingFormat.mss({ manifests: [{ manifestName: 'index' }] }) });
  const cdn = new VodDistribution(stack, 'Cdn', { packagingGroup: group, comment: 'integ: MediaPackage VOD' });

  // A group made elsewhere, known by its egress host, with CDN authorization from an existing secret; the app's own
  // distribution serves a website by default and the group under /out/.
  const imported = PackagingGroup.fromPackagingGroupAttributes(stack, 'ImportedGroup', {
    packagingGroupId: 'integ-existing-group',
    domainName: 'abcdef0123456789.egress.mediapackage-vod.us-east-1.amazonaws.com',
  });
  const secret = secretsmanager.Secret.fromSecretNameV2(stack, 'ImportedCdnIdentifier', 'integ/existing-group/cdn-identifier');
  const own = new cloudfront.Distribution(stack, 'OwnDistribution', {
    defaultBehavior: {
      origin: new origins.HttpOrigin('www.example.com'),
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
    },
    additionalBehaviors: VodBehaviors.forOrigin(stack, new PackagingGroupOrigin(imported, { cdnIdentifierSecret: secret })),
    httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
  });
  // The app's own distribution (never deployed by CI): what checkov asks of it is its owner's, as VodDistribution's skips say.
  skipCheckov(own, 'CKV_AWS_68', 'Test app\'s own distribution (integ, never deployed): a WAF web ACL is its owner\'s choice.');
  skipCheckov(own, 'CKV_AWS_86', 'Test app\'s own distribution (integ, never deployed): access logs need a bucket its owner keeps.');
  skipCheckov(own, 'CKV_AWS_174', 'Test app\'s own distribution (integ, never deployed) on the default *.cloudfront.net '
    + 'certificate, whose TLS policy CloudFront fixes: a certificate and domain names are its owner\'s.');

  new CfnOutput(stack, 'PlaybackDomain', { value: cdn.distribution.distributionDomainName });
  new CfnOutput(stack, 'EgressDomain', { value: group.egressDomain });
  new CfnOutput(stack, 'OwnPlaybackDomain', { value: own.distributionDomainName });

  new IntegTest(app, 'DeliveryTest', { testCases: [stack], stackUpdateWorkflow: false });
  return { app, stacks: [stack] };
}

if (require.main === module) {
  buildIntegApp().app.synth();
}
