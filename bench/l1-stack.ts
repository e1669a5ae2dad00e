/**
 * The benchmark VOD stack written by hand with aws-cdk-lib's L1 classes (CfnPackagingGroup, CfnPackagingConfiguration,
 * CfnAsset) and iam.Role/iam.Policy: what a careful user writes without this library. Same resources as
 * `bench/l2-stack.ts`: one source role for the bucket, one SPEKE role, one secrets role, the same policies and the same
 * creation order (each asset after its role's policy and after the configurations; the group after the secrets policy).
 * Ids are literals, as an L1 user would write them.
 */
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CfnAsset, CfnPackagingConfiguration, CfnPackagingGroup } from 'aws-cdk-lib/aws-mediapackage';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  ACCESS_LOG_GROUP_NAME, BENCH_ENV, BenchStackOptions, KEY_SERVER_URL, SOURCE_BUCKET_NAME, sourceKey,
} from './config';

const MEDIAPACKAGE = 'mediapackage.amazonaws.com';
const WIDEVINE = 'edef8ba9-79d6-4ace-a3c8-27dcd51d21ed';
const PLAYREADY = '9a04f079-9840-4286-ab92-e65be0885f95';
const FAIRPLAY = '94ce86fb-07ff-4f43-adb8-93d2fa968ca2';

/** A role MediaPackage assumes, with one inline policy (AWS::IAM::Policy) holding `statements`. */
function mediaPackageRole(stack: Stack, id: string, description: string, statements: iam.PolicyStatement[])
  : { role: iam.Role; policy: iam.Policy } {
  const role = new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal(MEDIAPACKAGE), description });
  const policy = new iam.Policy(stack, `${id}Policy`, { roles: [role], statements });
  return { role, policy };
}

/** Builds the L1 benchmark stack into `app`. */
export function buildL1Stack(app: App, id: string, options: BenchStackOptions): Stack {
  const stack = new Stack(app, id, { env: BENCH_ENV });

  const cdnSecret = new secretsmanager.Secret(stack, 'CdnIdentifier', {
    generateSecretString: {
      secretStringTemplate: '{}',
      generateStringKey: 'MediaPackageCDNIdentifier',
      excludePunctuation: true,
      passwordLength: 36,
    },
  });
  const accessLogs = new logs.LogGroup(stack, 'EgressAccessLogs', {
    logGroupName: ACCESS_LOG_GROUP_NAME,
    retention: logs.RetentionDays.ONE_MONTH,
  });
  const bucket = s3.Bucket.fromBucketName(stack, 'Sources', SOURCE_BUCKET_NAME);

  const secrets = mediaPackageRole(stack, 'CdnSecretsRole', 'Lets MediaPackage VOD read the CDN identifier secret', [
    new iam.PolicyStatement({
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret', 'secretsmanager:ListSecretVersionIds',
        'secretsmanager:GetResourcePolicy'],
      resources: [cdnSecret.secretArn],
    }),
  ]);
  // iam:GetRole and iam:PassRole on the role itself (user guide, "Secrets Manager access for CDN authorization").
  secrets.policy.addStatements(new iam.PolicyStatement({ actions: ['iam:GetRole', 'iam:PassRole'], resources: [secrets.role.roleArn] }));
  const speke = mediaPackageRole(stack, 'SpekeRole', 'Lets MediaPackage VOD request content keys from the SPEKE key server', [
    new iam.PolicyStatement({
      actions: ['execute-api:Invoke'],
      resources: [stack.formatArn({ service: 'execute-api', resource: 'abc123def4', resourceName: 'prod/POST/speke/v2.0/copyProtection' })],
    }),
  ]);
  const source = mediaPackageRole(stack, 'SourceRole', `Lets MediaPackage VOD ingest asset sources from bucket ${SOURCE_BUCKET_NAME}`, [
    new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] }),
    new iam.PolicyStatement({
      actions: ['s3:GetBucketLocation', 's3:GetBucketRequestPayment', 's3:ListBucket'],
      resources: [bucket.bucketArn],
    }),
  ]);

  const group = new CfnPackagingGroup(stack, 'Group', {
    id: 'bench-vod',
    authorization: { cdnIdentifierSecret: cdnSecret.secretArn, secretsRoleArn: secrets.role.roleArn },
    egressAccessLogs: { logGroupName: accessLogs.logGroupName },
  });
  group.node.addDependency(secrets.policy);

  const speke2 = { presetSpeke20Audio: 'PRESET-AUDIO-1', presetSpeke20Video: 'PRESET-VIDEO-1' };
  const keyProvider = (systemIds: string[], encryptionContractConfiguration?: typeof speke2) => ({
    url: KEY_SERVER_URL, roleArn: speke.role.roleArn, systemIds, encryptionContractConfiguration,
  });
  const streamSelection = { minVideoBitsPerSecond: 500_000, maxVideoBitsPerSecond: 8_000_000, streamOrder: 'VIDEO_BITRATE_DESCENDING' };
  const configurations: CfnResource[] = [
    new CfnPackagingConfiguration(stack, 'Hls', {
      id: 'bench-vod-hls',
      packagingGroupId: group.ref,
      hlsPackage: {
        hlsManifests: [{
          manifestName: 'index',
          adMarkers: 'SCTE35_ENHANCED',
          programDateTimeIntervalSeconds: 60,
          includeIframeOnlyStream: true,
          streamSelection,
        }],
        segmentDurationSeconds: 6,
        useAudioRenditionGroup: true,
        encryption: { spekeKeyProvider: keyProvider([FAIRPLAY]), encryptionMethod: 'SAMPLE_AES' },
      },
    }),
    new CfnPackagingConfiguration(stack, 'Dash', {
      id: 'bench-vod-dash',
      packagingGroupId: group.ref,
      dashPackage: {
        dashManifests: [{
          manifestName: 'index',
          profile: 'HBBTV_1_5',
          manifestLayout: 'COMPACT',
          minBufferTimeSeconds: 30,
          streamSelection,
        }],
        segmentDurationSeconds: 6,
        segmentTemplateFormat: 'NUMBER_WITH_TIMELINE',
        encryption: { spekeKeyProvider: keyProvider([WIDEVINE, PLAYREADY], speke2) },
      },
    }),
    new CfnPackagingConfiguration(stack, 'Cmaf', {
      id: 'bench-vod-cmaf',
      packagingGroupId: group.ref,
      cmafPackage: {
        hlsManifests: [{ manifestName: 'index', streamSelection }],
        segmentDurationSeconds: 6,
        encryption: { spekeKeyProvider: keyProvider([WIDEVINE, PLAYREADY], speke2) },
      },
    }),
    new CfnPackagingConfiguration(stack, 'Mss', {
      id: 'bench-vod-mss',
      packagingGroupId: group.ref,
      mssPackage: {
        mssManifests: [{ manifestName: 'index', streamSelection }],
        segmentDurationSeconds: 2,
        encryption: { spekeKeyProvider: keyProvider([PLAYREADY]) },
      },
    }),
  ];

  for (let i = 0; i < options.assets; i++) {
    const asset = new CfnAsset(stack, `Movie${i}`, {
      id: `bench-vod-movie${i}`,
      packagingGroupId: group.ref,
      sourceArn: bucket.arnForObjects(sourceKey(i)),
      sourceRoleArn: source.role.roleArn,
    });
    // MediaPackage ingests at creation: the role must be able to read by then, and the configurations should exist.
    asset.node.addDependency(source.policy, ...configurations);
  }
  return stack;
}
