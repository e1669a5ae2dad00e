/**
 * Integ test: viewer access. A VodDistribution that lets in only viewers with signed cookies (a generated key pair in
 * rotation: two keys in the key group; credentials CORS for one player origin under the distribution's parent domain),
 * a signer role granted the key; a second group behind the app's own distribution with signed URLs from your own
 * public key (VodBehaviors.addTo); an asset's cookie resource pattern.
 *
 * Snapshot only (no AWS account here): `scripts/ci/integ.sh` compares test/integ.viewer-access.ts.snapshot.
 */
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  AssetSource, PackagingFormat, PackagingGroup, PackagingGroupOrigin, VodBehaviors, VodDistribution, ViewerAccess,
} from '../src';
import { skipCheckov } from '../src/private/checkov';

/** A throwaway RSA-2048 public key (its private key was discarded): "your own" key of the signed-URL distribution. */
const OWN_PUBLIC_KEY = [
  '-----BEGIN PUBLIC KEY-----',
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA0AVyX1a23XUJi6XE61XQ',
  'iC2ehvdxwedXpdwGe4K78dkbMZcjmH4ARxmtbiHWrqBC9YT1AhyEp+OwG2Wo6ggd',
  '9L4uIO+ouQbBFlx1ltj+Kxc/9MsDzCVuFE503BzF/gY6CRPG0u+DFTnB5anwCX/a',
  'dJ/XtYKyHiwhze5gNkwx9Pq/9PFdRcylVDomn1B8fG8TxcYwWKvjy2al7opIInLP',
  'Zs9G6taHKkcHzuBQoKL5g7geTzvi+Bf7zo148C6RpBI5GpnmJuC+yGQRTIco6dG6',
  'Ink+C63JjfeGfmBXu/FnpmxhhrY6iUwu9nKUyuKR91ZO4j3jdpqAvtyBk28frd/b',
  'XwIDAQAB',
  '-----END PUBLIC KEY-----',
].join('\n');

/**
 * Builds the integ app; `integ-runner` runs this file, the cdk-nag test imports it.
 * No stack traces in the construct metadata: the snapshot would carry this machine's paths.
 */
export function buildIntegApp(app: App = new App({ stackTraces: false, context: { 'aws:cdk:disable-creation-stack-traces': true } }))
  : { app: App; stacks: Stack[] } {
  const stack = new Stack(app, 'MediaPackageVodIntegViewerAccess', { env: { region: 'us-east-1' } });

  // Signed cookies on a VodDistribution: key '1' and its successor '2' both trusted during a rotation.
  const group = new PackagingGroup(stack, 'Group');
  const hls = group.addPackagingConfiguration('Hls', { format: PackagingFormat.hls({ manifests: [{ manifestName: 'index' }] }) });
  group.addPackagingConfiguration('Dash', { format: PackagingFormat.dash({ manifests: [{ manifestName: 'index' }] }) });
  const mezzanine = s3.Bucket.fromBucketName(stack, 'Mezzanine', 'integ-existing-vod-mezzanine');
  const movie = group.addAsset('Movie', { source: AssetSource.fromBucket(mezzanine, 'movie/index.smil') });
  const cdn = new VodDistribution(stack, 'Cdn', {
    packagingGroup: group,
    domainNames: ['video.example.com'],
    certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate',
      'arn:aws:acm:us-east-1:111111111111:certificate/11111111-2222-3333-4444-555555555555'),
    viewerAccess: ViewerAccess.signedCookies({ generatedKeys: ['1', '2'], allowedOrigins: ['https://player.example.com'] }),
    comment: 'integ: MediaPackage VOD with signed cookies',
  });
  const signer = new iam.Role(stack, 'Signer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  cdn.grantSign(signer);

  // Signed URLs from your own public key, on behaviors added to the app's own distribution.
  const downloads = new PackagingGroup(stack, 'Downloads');
  downloads.addPackagingConfiguration('Hls', { format: PackagingFormat.hls({ manifests: [{ manifestName: 'index' }] }) });
  const ownKey = new cloudfront.PublicKey(stack, 'OwnKey', { encodedKey: OWN_PUBLIC_KEY });
  const site = new cloudfront.Distribution(stack, 'Site', {
    defaultBehavior: { origin: new origins.HttpOrigin('www.example.com'), viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS },
    httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
  });
  // A website distribution of the app (never deployed by CI): WAF, access logs and a certificate are its owner's.
  const siteReasons: Record<string, string> = {
    CKV_AWS_68: 'The website\'s WAF web ACL, with its own rules and cost, is the site owner\'s (integ app, never deployed).',
    CKV_AWS_86: 'The website\'s standard access logs need a log bucket the site owner keeps (integ app, never deployed).',
    CKV_AWS_174: 'The website uses the default *.cloudfront.net certificate (integ app, never deployed): a certificate for '
      + 'its own domain names, with TLS 1.2, is the site owner\'s.',
  };
  Object.entries(siteReasons).forEach(([id, comment]) => skipCheckov(site, id, comment));
  VodBehaviors.addTo(site, new PackagingGroupOrigin(downloads), { viewerAccess: ViewerAccess.signedUrls({ publicKeys: [ownKey] }) });

  new CfnOutput(stack, 'SigningKeyPairId', { value: cdn.signingPublicKeyId! });
  new CfnOutput(stack, 'SigningKeySecretArn', { value: cdn.signingKeySecret!.secretArn });
  new CfnOutput(stack, 'MovieCookieResource', { value: `https://${cdn.distributionDomainName}${movie.playbackPathPattern(hls)}` });

  new IntegTest(app, 'ViewerAccessTest', { testCases: [stack], stackUpdateWorkflow: false });
  return { app, stacks: [stack] };
}

if (require.main === module) {
  buildIntegApp().app.synth();
}
