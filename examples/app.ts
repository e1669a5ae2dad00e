/**
 * The example VOD app: a realistic MediaPackage VOD stack built with this library.
 *
 * Synthesize with `npx projen example` (no AWS account needed: the stack has an explicit environment).
 */
import * as path from 'path';
import { App, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { CdnAuthorization, EgressAccessLogs, PackagingGroup } from '../src';

/** A VOD origin: one packaging group behind a CDN, with CDN authorization and egress access logs. */
export class VodStack extends Stack {
  public readonly group: PackagingGroup;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);

    // The CDN sends this identifier in the X-MediaPackage-CDNIdentifier header.
    const cdnSecret = new secretsmanager.Secret(this, 'CdnIdentifier', {
      description: 'MediaPackage CDN identifier',
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: 'MediaPackageCDNIdentifier',
        excludePunctuation: true,
        passwordLength: 36,
      },
    });

    const accessLogs = new logs.LogGroup(this, 'EgressAccessLogs', {
      logGroupName: '/aws/MediaPackage/example-vod-egress',
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.group = new PackagingGroup(this, 'Group', {
      authorization: CdnAuthorization.fromSecret(cdnSecret),
      egressAccessLogs: EgressAccessLogs.toLogGroup(accessLogs),
    });
  }
}

/** Builds the example app into `outdir`. */
export function buildApp(outdir: string): { app: App; stack: VodStack } {
  const app = new App({ outdir });
  const stack = new VodStack(app, 'ExampleVod', { env: { account: '111111111111', region: 'us-east-1' } });
  return { app, stack };
}

if (require.main === module) {
  const outdir = path.join(__dirname, 'cdk.out');
  const { app, stack } = buildApp(outdir);
  const assembly = app.synth();
  const template = assembly.getStackByName(stack.stackName).template;
  const counts = new Map<string, number>();
  for (const resource of Object.values<any>(template.Resources)) {
    counts.set(resource.Type, (counts.get(resource.Type) ?? 0) + 1);
  }
  const bytes = JSON.stringify(template).length;
  console.log(`Synthesized ${stack.stackName} into ${path.relative(process.cwd(), outdir)}: `
    + `${Object.keys(template.Resources).length} resources, ${bytes} bytes of template`);
  for (const [type, n] of [...counts.entries()].sort()) {
    console.log(`  ${String(n).padStart(4)}  ${type}`);
  }
}
