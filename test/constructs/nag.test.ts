/**
 * cdk-nag (AwsSolutions) on the example app and on every integ app, plus aws-cdk-lib's own synth messages.
 *
 * - Zero unacknowledged AwsSolutions findings. Every acknowledgment below is for one rule (or one finding of a rule)
 *   on one construct, found by its path (a path that no longer exists fails the test), with the reason.
 * - No warning or error annotation except this library's own intentional warnings (ids `cdk-mediapackage-vod:*`).
 *
 * cdk-nag 3 is a policy-validation plugin (`Validations.of(app).addPlugins(new AwsSolutionsChecks(app))`), but the
 * plugin needs `appConstruct` on the validation context, which aws-cdk-lib 2.257 does not pass: registered that way,
 * synth reports "NagPack requires a construct tree on the validation context" and sets process.exitCode = 1. So the
 * pack is run with its documented direct entry point, `validateScope(app)`, after synth. Acknowledgments use the
 * cdk-nag 3 API (`Validations.of(construct).acknowledge({ id, reason })`), which validateScope honours.
 */
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { buildApp as buildExampleApp } from '../../examples/app';
import { buildIntegApp as buildAccessLogsIntegApp } from '../integ.access-logs';
import { buildIntegApp as buildAssetIntegApp } from '../integ.asset';
import { buildIntegApp as buildDeliveryIntegApp } from '../integ.delivery';
import { buildIntegApp as buildIngestIntegApp } from '../integ.ingest';
import { buildIntegApp as buildMonitoringIntegApp } from '../integ.monitoring';
import { buildIntegApp as buildConfigurationIntegApp } from '../integ.packaging-configuration';
import { buildIntegApp as buildGroupIntegApp } from '../integ.packaging-group';
import { buildIntegApp as buildStatusIntegApp } from '../integ.status';
import { buildIntegApp as buildViewerAccessIntegApp } from '../integ.viewer-access';

/**
 * Context for every app here. '@aws-cdk/core:validateAgainstDefaultRules' (aws-cdk-lib 2.276+) turns aws-cdk-lib's own
 * CloudFormation-schema validation at synth into errors; 2.257 (the dev version) has no such validator and ignores the
 * key, so it takes effect when the dev dependency moves up.
 */
const CONTEXT = { '@aws-cdk/core:validateAgainstDefaultRules': true };

/** One acknowledgment: a rule id (or `RuleId[FindingId]`) on the construct at `path`, with the reason. */
interface Acknowledgment {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

/** The reason of the source-role finding: it is the policy MediaPackage documents for VOD ingest. */
const SOURCE_ROLE_OBJECTS = 'MediaPackage VOD reads the source manifest and every file it references (MP4 renditions, '
  + 'child playlists, segments, possibly in sibling folders) from the bucket: the user guide\'s VOD ingest policy grants '
  + 's3:GetObject on <bucket>/*. The role is trusted by mediapackage.amazonaws.com only and shared by the assets of '
  + 'this one bucket.';

/** The reason of the generated signing keys' SMG4: a key group's trust changes with a deploy, not a rotation Lambda. */
const SIGNING_KEY_ROTATION = 'A viewer signing key is trusted through the CloudFront key group, which changes only with a deploy: a '
  + 'rotation Lambda replacing the private key would break every signature until the public key in the group changed too. '
  + 'Rotation is a deploy: add a generatedKeys label (both keys trusted), move signers to the new key, remove the old label.';

/**
 * The CloudFront findings a VOD distribution keeps unless its owner decides otherwise, with the reasons. Fixed in the
 * library instead: origin TLS 1.2 and HTTPS only (CFR5), viewers redirected to HTTPS.
 */
function distributionAcks(distributionPath: string): Acknowledgment[] {
  return [
    {
      path: distributionPath,
      id: 'AwsSolutions-CFR1',
      reason: 'Which countries may watch is a licensing decision of the content owner: VodDistribution takes geoRestriction.',
    },
    {
      path: distributionPath,
      id: 'AwsSolutions-CFR2',
      reason: 'A WAF web ACL is a per-account us-east-1 resource with its own cost and rules: VodDistribution takes webAclId.',
    },
    {
      path: distributionPath,
      id: 'AwsSolutions-CFR3',
      reason: 'Standard access logs need a bucket with ACLs enabled that the owner chooses and retains: VodDistribution takes '
        + 'logBucket. MediaPackage egress access logs cover origin requests.',
    },
    {
      path: distributionPath,
      id: 'AwsSolutions-CFR4',
      reason: 'The distribution uses the default *.cloudfront.net certificate, whose viewer TLS policy CloudFront fixes; with '
        + 'a custom domain (certificate + domainNames) viewers need TLSv1.2_2021.',
    },
  ];
}

/**
 * The one finding of a CDN authorization secrets role (created by the group, or given and granted with
 * `CdnAuthorization.grantSecretRead`): secretsmanager:ListSecrets on `*`.
 */
function cdnSecretsRoleAck(rolePath: string): Acknowledgment {
  return {
    path: rolePath,
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'secretsmanager:ListSecrets only, which MediaPackage needs for CDN authorization (user guide, "Secrets Manager access '
      + 'for CDN authorization", https://docs.aws.amazon.com/mediapackage/latest/ug/setting-up-create-trust-rel-policy-cdn.html: '
      + '"MediaPackage can retrieve a list of secrets in the AWS account"). ListSecrets has no resource-level permission; it '
      + 'returns names and metadata, never values. Every other action names the one secret or the role itself.',
  };
}

/** cdk-nag acknowledgments of the example app (resources of examples/app.ts, the lead's). */
const EXAMPLE_ACKS: Acknowledgment[] = [
  {
    path: 'ExampleVod/CdnIdentifier',
    id: 'AwsSolutions-SMG4',
    reason: 'The CDN identifier is a shared header value configured in the CDN too: rotating it is a coordinated '
      + 'two-sided change (MediaPackage documents a manual rotation procedure), not a Secrets Manager rotation Lambda.',
  },
  {
    path: 'ExampleVod/Mezzanine',
    id: 'AwsSolutions-S1',
    reason: 'Example mezzanine bucket, read only by MediaPackage through its role; server access logs need a second '
      + 'bucket that the example leaves to the user.',
  },
  {
    path: 'ExampleVod/MediaPackageSourceRoleExampleVodMezzanine60A14596',
    id: 'AwsSolutions-IAM5[Resource::<Mezzanine9D492935.Arn>/*]',
    reason: SOURCE_ROLE_OBJECTS,
  },
  cdnSecretsRoleAck('ExampleVod/Group/CdnSecretsRole'),
  ...distributionAcks('ExampleVod/Cdn/Distribution'),
  { path: 'ExampleVod/Cdn/ViewerSigningKeys/Key1/PrivateKey', id: 'AwsSolutions-SMG4', reason: SIGNING_KEY_ROTATION },
  ...ingestAcks('ExampleVod/Group/Library', 'ExampleVod_Group_Library_782D2E04', 'us-east-1:111111111111', ['<Mezzanine9D492935.Arn>/library/*']),
  backfillWorkerAck('ExampleVod/Group/Library'),
];

/** cdk-nag acknowledgments of the integ apps (test fixtures). */
const INTEG_ACKS: Record<string, Acknowledgment[]> = {
  'packaging-group': [
    {
      path: 'MediaPackageVodIntegPackagingGroup/CdnIdentifier',
      id: 'AwsSolutions-SMG4',
      reason: 'The CDN identifier is a shared header value configured in the CDN too: rotating it is a coordinated '
        + 'two-sided change, not a Secrets Manager rotation Lambda.',
    },
    cdnSecretsRoleAck('MediaPackageVodIntegPackagingGroup/Group/CdnSecretsRole'),
    cdnSecretsRoleAck('MediaPackageVodIntegPackagingGroup/SecretsRole'),
  ],
  'packaging-configuration': [
    {
      path: 'MediaPackageVodIntegPackagingConfiguration/MediaPackageSpekeRole448f3378f0e9',
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:us-east-1:*:abc123defg/prod/POST/speke/v1.0/copyProtection]',
      reason: 'SpekeKeyProvider without keyServerAccount: DRM providers host the key server in their own account, so the '
        + 'grant names the API id, stage and path in any account; the provider\'s API resource policy decides who may call it.',
    },
  ],
  'asset': [
    {
      path: 'MediaPackageVodIntegAsset/Sources',
      id: 'AwsSolutions-S1',
      reason: 'Integ-test source bucket (never deployed here); server access logs would need a second bucket.',
    },
    {
      path: 'MediaPackageVodIntegAsset/MediaPackageSourceRoleMediaPackageVodIntegAssetSourcesD4A187D1',
      id: 'AwsSolutions-IAM5[Resource::<SourcesBE4D2488.Arn>/*]',
      reason: SOURCE_ROLE_OBJECTS,
    },
    {
      path: 'MediaPackageVodIntegAsset/OwnSourceRole',
      id: 'AwsSolutions-IAM5[Resource::<SourcesBE4D2488.Arn>/*]',
      reason: `A role the app brings, granted the same read by AssetSource.grantRead. ${SOURCE_ROLE_OBJECTS}`,
    },
    {
      // An id with more than one '::' (see `acknowledge` below).
      path: 'MediaPackageVodIntegAsset/MediaPackageSourceRoleMediaPackageVodIntegAssetImportedSourcesF1FBEAE6',
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::integ-existing-vod-sources/*]',
      reason: SOURCE_ROLE_OBJECTS,
    },
  ],
  'access-logs': [],
  'delivery': [
    {
      path: 'MediaPackageVodIntegDelivery/Group/CdnIdentifier',
      id: 'AwsSolutions-SMG4',
      reason: 'The generated CDN identifier is a shared header value configured in the CDN too: rotating it is a coordinated '
        + 'two-sided change (update the secret, wait ~10 minutes, then redeploy the distribution), not a rotation Lambda.',
    },
    cdnSecretsRoleAck('MediaPackageVodIntegDelivery/Group/CdnSecretsRole'),
    ...distributionAcks('MediaPackageVodIntegDelivery/Cdn/Distribution'),
    ...distributionAcks('MediaPackageVodIntegDelivery/OwnDistribution'),
  ],
  'ingest': [
    ...ingestAcks('MediaPackageVodIntegIngest/Group/Titles', 'integ_titles', undefined, ['<Library9A29C343.Arn>/films/*', '<Library9A29C343.Arn>/movies/*']),
    backfillWorkerAck('MediaPackageVodIntegIngest/Group/Titles'),
    ...ingestAcks('MediaPackageVodIntegIngest/Archive', 'MediaPackageVodIgIngest_Archive_8171CC81', undefined,
      ['arn:<AWS::Partition>:s3:::integ-existing-vod-archive/archive/*']),
    {
      path: 'MediaPackageVodIntegIngest/Library',
      id: 'AwsSolutions-S1',
      reason: 'Integ-test source bucket (never deployed here); server access logs would need a second bucket.',
    },
    {
      path: 'MediaPackageVodIntegIngest/MediaPackageSourceRoleMediaPackageVodIntegIngestLibrary9F8B631A',
      id: 'AwsSolutions-IAM5[Resource::<Library9A29C343.Arn>/*]',
      reason: SOURCE_ROLE_OBJECTS,
    },
    {
      path: 'MediaPackageVodIntegIngest/MediaPackageSourceRoleMediaPackageVodIntegIngestArchiveBucketE26FD0B1',
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::integ-existing-vod-archive/*]',
      reason: SOURCE_ROLE_OBJECTS,
    },
  ],
  'monitoring': [
    ...ingestAcks('MediaPackageVodIntegMonitoring/Group/Titles', 'integ_mon', 'us-east-1:<AWS::AccountId>', ['<Library9A29C343.Arn>/movies/*']),
    ...distributionAcks('MediaPackageVodIntegMonitoring/Cdn/Distribution'),
    {
      path: 'MediaPackageVodIntegMonitoring/MediaPackageSourceRoleMediaPackageVodIntegMonitoringLibrary8E2791FD',
      id: 'AwsSolutions-IAM5[Resource::<Library9A29C343.Arn>/*]',
      reason: SOURCE_ROLE_OBJECTS,
    },
    {
      path: 'MediaPackageVodIntegMonitoring/Library',
      id: 'AwsSolutions-S1',
      reason: 'Integ-test source bucket (never deployed here); server access logs would need a second bucket.',
    },
  ],
  'viewer-access': [
    ...['1', '2'].map(label => ({
      path: `MediaPackageVodIntegViewerAccess/Cdn/ViewerSigningKeys/Key${label}/PrivateKey`,
      id: 'AwsSolutions-SMG4',
      reason: SIGNING_KEY_ROTATION,
    })),
    {
      path: 'MediaPackageVodIntegViewerAccess/MediaPackageSourceRoleMediaPackageVodIntegViewerAccessMezzanineE2016BC1',
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::integ-existing-vod-mezzanine/*]',
      reason: SOURCE_ROLE_OBJECTS,
    },
    // A custom domain with its certificate: viewers need TLSv1.2_2021, so no CFR4 on the VodDistribution.
    ...distributionAcks('MediaPackageVodIntegViewerAccess/Cdn/Distribution').filter(ack => ack.id !== 'AwsSolutions-CFR4'),
    ...distributionAcks('MediaPackageVodIntegViewerAccess/Site'),
  ],
  'status': [
    ...ingestAcks('MediaPackageVodIntegStatus/Group/Library', 'integ_status', undefined, ['arn:<AWS::Partition>:s3:::integ-existing-vod-sources/library/*']),
    ...distributionAcks('MediaPackageVodIntegStatus/Cdn/Distribution'),
    {
      path: 'MediaPackageVodIntegStatus/MediaPackageSourceRoleMediaPackageVodIntegStatusSources9520F8BA',
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::integ-existing-vod-sources/*]',
      reason: SOURCE_ROLE_OBJECTS,
    },
  ],
};

/**
 * The findings a BucketIngest has by design, on its function's role and function (path `ingestPath`, asset id prefix
 * `prefix`, in the Region and account `env`): each scoped to one finding and reasoned.
 */
function ingestAcks(ingestPath: string, prefix: string, env = '<AWS::Region>:<AWS::AccountId>', objectArns: string[] = []): Acknowledgment[] {
  return [
    ...objectArns.map(arn => ({
      path: `${ingestPath}/ServiceRole`,
      id: `AwsSolutions-IAM5[Resource::${arn}]`,
      reason: 's3:GetObject (HeadObject before CreateAsset and DeleteAsset: is the object there now?) on the key patterns\' '
        + 'literal prefix: the keys are only known at run time.',
    })),
    {
      path: `${ingestPath}/ServiceRole`,
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'mediapackage-vod:CreateAsset only: the service has no resource-level permission for CreateAsset (service '
        + 'authorization reference: resource *, condition keys aws:RequestTag/aws:TagKeys only). Every other action of the '
        + 'role names its resource (asset ARN prefix, source role, queues, log group).',
    },
    {
      path: `${ingestPath}/ServiceRole`,
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:mediapackage-vod:${env}:assets/${prefix}-*]`,
      reason: 'DescribeAsset/TagResource (and DeleteAsset when opted in) on this ingest\'s own assets: their ids are '
        + 'derived from the object keys at run time, so the ARN names the ingest\'s id prefix (which has no hyphen, so no '
        + 'other ingest\'s assets fall under <prefix>-*).',
    },
    {
      path: `${ingestPath}/Function`,
      id: 'AwsSolutions-L1',
      reason: 'Node.js 22 on purpose: the handler is bundled and tested for node22 (esbuild target), a supported Lambda '
        + 'runtime; nodejs24.x is not in every aws-cdk-lib of the peer range (2.224.0 on).',
    },
  ];
}

/** The backfill worker of an ingest with `ingestExisting` runs Node.js 22 like the ingest function. */
function backfillWorkerAck(ingestPath: string): Acknowledgment {
  return {
    path: `${ingestPath}/Backfill/Worker`,
    id: 'AwsSolutions-L1',
    reason: 'Node.js 22 on purpose, as the ingest function: bundled and tested for node22 (esbuild target); nodejs24.x is not '
      + 'in every aws-cdk-lib of the peer range (2.224.0 on).',
  };
}

function findByPath(app: App, constructPath: string): IConstruct {
  const found = app.node.findAll().find(c => c.node.path === constructPath);
  if (!found) {
    throw new Error(`acknowledgment for a construct that does not exist (update test/constructs/nag.test.ts): ${constructPath}`);
  }
  return found;
}

/**
 * `Validations.of(scope).acknowledge(...)`, except for a finding id with more than one '::' (an IAM5 finding on an ARN
 * with `<AWS::Partition>`): aws-cdk-lib 2.257 rejects those ids (InvalidValidationId: '::' is its prefix delimiter) and a
 * rule-level id does not cover a finding in cdk-nag 3.0.2, so the same acknowledgment metadata that `acknowledge`
 * records (Validations.ACKNOWLEDGED_RULES_METADATA_KEY, which cdk-nag reads) is written directly, for that finding only.
 */
function acknowledge(scope: IConstruct, ack: Acknowledgment): void {
  if (ack.id.split('::').length > 2) {
    scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [ack.id]: ack.reason });
  } else {
    Validations.of(scope).acknowledge({ id: ack.id, reason: ack.reason });
  }
}

/**
 * Acknowledges, synthesizes, runs AwsSolutions on the tree. Returns the unacknowledged findings (readable) and the
 * assembly.
 */
function nag(app: App, acks: Acknowledgment[]): { findings: string[]; assembly: cxapi.CloudAssembly } {
  for (const ack of acks) {
    acknowledge(findByPath(app, ack.path), ack);
  }
  const assembly = app.synth();
  const report = new AwsSolutionsChecks(app).validateScope(app);
  const findings = report.violations.flatMap(v => v.violatingResources.map(r => `${v.severity} ${v.ruleName} ${r.constructPath}: ${v.description}`));
  return { findings, assembly };
}

/**
 * Warnings and errors of a synthesized stack that are not this library's own intentional warnings. Read from the
 * assembly of the one synth (Annotations.fromStack synthesizes again, which IntegTest does not allow).
 */
function foreignMessages(assembly: cxapi.CloudAssembly, stack: Stack): string[] {
  return assembly.getStackArtifact(stack.artifactId).messages
    .filter(m => m.level === cxapi.SynthesisMessageLevel.ERROR
      || (m.level === cxapi.SynthesisMessageLevel.WARNING && !String(m.entry.data).includes('[ack: cdk-mediapackage-vod:')))
    .map(m => `${m.level} ${m.id}: ${m.entry.data}`);
}

function outdir(name: string): string {
  return path.join(os.tmpdir(), `cdk-mediapackage-vod-nag-${name}-${process.pid}`);
}

describe('cdk-nag AwsSolutions', () => {
  test('the example app has no unacknowledged findings and no foreign warnings', () => {
    // buildApp takes no context: hand it over the way the CLI does.
    const saved = process.env.CDK_CONTEXT_JSON;
    process.env.CDK_CONTEXT_JSON = JSON.stringify(CONTEXT);
    try {
      const { app, stack } = buildExampleApp(outdir('example'));
      const { findings, assembly } = nag(app, EXAMPLE_ACKS);
      expect(findings).toEqual([]);
      expect(foreignMessages(assembly, stack)).toEqual([]);
    } finally {
      if (saved === undefined) { delete process.env.CDK_CONTEXT_JSON; } else { process.env.CDK_CONTEXT_JSON = saved; }
    }
  });

  const integApps: Array<[string, (app: App) => { app: App; stacks: Stack[] }]> = [
    ['packaging-group', buildGroupIntegApp],
    ['packaging-configuration', buildConfigurationIntegApp],
    ['asset', buildAssetIntegApp],
    ['access-logs', buildAccessLogsIntegApp],
    ['delivery', buildDeliveryIntegApp],
    ['ingest', buildIngestIntegApp],
    ['monitoring', buildMonitoringIntegApp],
    ['status', buildStatusIntegApp],
    ['viewer-access', buildViewerAccessIntegApp],
  ];

  test.each(integApps)('integ.%s has no unacknowledged findings and no foreign warnings', (name, build) => {
    const { app, stacks } = build(new App({ outdir: outdir(name), context: CONTEXT, stackTraces: false }));
    const { findings, assembly } = nag(app, INTEG_ACKS[name]);
    expect(findings).toEqual([]);
    for (const stack of stacks) {
      expect(foreignMessages(assembly, stack)).toEqual([]);
    }
  });

  test('the library\'s own warnings are acknowledgeable and are the only ones left', () => {
    // integ.packaging-configuration fixes one configuration id on purpose: the library warns about it.
    const { app, stacks } = buildConfigurationIntegApp(new App({ outdir: outdir('ack'), context: CONTEXT, stackTraces: false }));
    const own = app.synth().getStackArtifact(stacks[0].artifactId).messages
      .filter(m => m.level === cxapi.SynthesisMessageLevel.WARNING && String(m.entry.data).includes('[ack: cdk-mediapackage-vod:FixedConfigurationId]'));
    expect(own.map(m => m.id)).toEqual([`/${stacks[0].stackName}/ClearHls`]);
  });
});
