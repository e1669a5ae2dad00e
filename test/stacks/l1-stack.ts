/**
 * The benchmark VOD stack written by hand with aws-cdk-lib's L1 classes (CfnPackagingGroup, CfnPackagingConfiguration,
 * CfnAsset) and iam.Role/iam.Policy: what a careful user writes without this library. Same resources as
 * `test/stacks/l2-stack.ts`: one source role for the bucket, one SPEKE role, one secrets role, the same policies and the same
 * creation order (each asset after its role's policy and after the configurations; the group after the secrets policy).
 * Ids are literals, as an L1 user would write them.
 *
 * Two shapes of the construct tree: flat (every construct at the stack's top level, as a user writing L1 by hand
 * would; logical ids without a path hash for top-level CfnResources) and nested (`nested: true`: the same resources
 * at the construct paths the L2 gives them: Group/Resource, Group/Hls/Resource, Group/Movie0/Resource,
 * Group/CdnSecretsRole/DefaultPolicy, MediaPackageSpekeRole..., MediaPackageSourceRole.../Role). The nested shape separates what
 * aws-cdk's nested paths cost from what this library's own code costs.
 */
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CfnAsset, CfnPackagingConfiguration, CfnPackagingGroup } from 'aws-cdk-lib/aws-mediapackage';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, IConstruct } from 'constructs';
import {
  ACCESS_LOG_GROUP_NAME, BENCH_ENV, BenchStackOptions, KEY_SERVER_URL, SOURCE_BUCKET_NAME, sourceKey,
} from './config';

const MEDIAPACKAGE = 'mediapackage.amazonaws.com';
const WIDEVINE = 'edef8ba9-79d6-4ace-a3c8-27dcd51d21ed';
const PLAYREADY = '9a04f079-9840-4286-ab92-e65be0885f95';
const FAIRPLAY = '94ce86fb-07ff-4f43-adb8-93d2fa968ca2';

/** Options of the L1 stack. */
export interface L1StackOptions extends BenchStackOptions {
  /** The L2's tree shape (resources under a group construct) instead of a flat one. */
  readonly nested?: boolean;
}

/**
 * A role MediaPackage assumes, with one policy (AWS::IAM::Policy) holding `statements`: flat, `<id>` and `<id>Policy` in
 * `scope`; nested, `<id>` and its `DefaultPolicy`, like a role granted to by an L2.
 */
function mediaPackageRole(scope: Construct, id: string, description: string, statements: iam.PolicyStatement[], nested: boolean)
  : { role: iam.Role; policy: IConstruct } {
  const role = new iam.Role(scope, id, { assumedBy: new iam.ServicePrincipal(MEDIAPACKAGE), description });
  if (!nested) {
    return { role, policy: new iam.Policy(scope, `${id}Policy`, { roles: [role], statements }) };
  }
  statements.forEach(statement => role.addToPrincipalPolicy(statement));
  return { role, policy: role.node.findChild('DefaultPolicy') };
}

/** Builds the L1 benchmark stack into `app`. */
export function buildL1Stack(app: App, id: string, options: L1StackOptions): Stack {
  const stack = new Stack(app, id, { env: BENCH_ENV });
  const nested = options.nested ?? false;
  // Nested: the scopes the L2 uses (test/stacks/l2-stack.ts); flat: the stack itself, and child ids as a hand-written stack has.
  const groupScope = nested ? new Construct(stack, 'Group') : stack;
  const under = (scope: Construct, childId: string): [Construct, string] => nested ? [new Construct(scope, childId), 'Resource'] : [scope, childId];
  if (nested) {
    // The L2's key providers are constructs without resources; their role is one per key server, at the stack level.
    new Construct(stack, 'Keys');
    new Construct(stack, 'FairPlayKeys');
    new Construct(stack, 'PlayReadyKeys');
  }
  const sourceScope = nested ? new Construct(stack, 'MediaPackageSourceRoleBenchSources4681C86') : stack;

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

  const secrets = mediaPackageRole(groupScope, 'CdnSecretsRole', 'Lets MediaPackage VOD read the CDN identifier secret', [
    // The secret's own read (what secret.grantRead gives), then the two reads MediaPackage needs besides.
    new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], resources: [cdnSecret.secretArn] }),
    new iam.PolicyStatement({
      actions: ['secretsmanager:ListSecretVersionIds', 'secretsmanager:GetResourcePolicy'], resources: [cdnSecret.secretArn],
    }),
    // ListSecrets cannot be scoped to a secret (no resource-level permission); the user guide lists it for MediaPackage.
    new iam.PolicyStatement({ actions: ['secretsmanager:ListSecrets'], resources: ['*'] }),
  ], nested);
  // iam:GetRole and iam:PassRole on the role itself (user guide, "Secrets Manager access for CDN authorization").
  const passRole = new iam.PolicyStatement({ actions: ['iam:GetRole', 'iam:PassRole'], resources: [secrets.role.roleArn] });
  if (nested) { secrets.role.addToPrincipalPolicy(passRole); } else { (secrets.policy as iam.Policy).addStatements(passRole); }
  const speke = mediaPackageRole(stack, nested ? 'MediaPackageSpekeRole2558ef4a6e0a' : 'SpekeRole', 'Lets MediaPackage VOD request content keys from the SPEKE key server', [
    new iam.PolicyStatement({
      actions: ['execute-api:Invoke'],
      resources: [stack.formatArn({ service: 'execute-api', resource: 'abc123def4', resourceName: 'prod/POST/speke/v2.0/copyProtection' })],
    }),
  ], nested);
  const source = mediaPackageRole(sourceScope, nested ? 'Role' : 'SourceRole', `Lets MediaPackage VOD ingest asset sources from bucket ${SOURCE_BUCKET_NAME}`, [
    new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] }),
    new iam.PolicyStatement({
      actions: ['s3:GetBucketLocation', 's3:GetBucketRequestPayment', 's3:ListBucket'],
      resources: [bucket.bucketArn],
    }),
  ], nested);

  const group = new CfnPackagingGroup(nested ? groupScope : stack, nested ? 'Resource' : 'Group', {
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
    new CfnPackagingConfiguration(...under(groupScope, 'Hls'), {
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
    new CfnPackagingConfiguration(...under(groupScope, 'Dash'), {
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
    new CfnPackagingConfiguration(...under(groupScope, 'Cmaf'), {
      id: 'bench-vod-cmaf',
      packagingGroupId: group.ref,
      cmafPackage: {
        hlsManifests: [{ manifestName: 'index', streamSelection }],
        segmentDurationSeconds: 6,
        encryption: { spekeKeyProvider: keyProvider([WIDEVINE, PLAYREADY], speke2) },
      },
    }),
    new CfnPackagingConfiguration(...under(groupScope, 'Mss'), {
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
    const asset = new CfnAsset(...under(groupScope, `Movie${i}`), {
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
