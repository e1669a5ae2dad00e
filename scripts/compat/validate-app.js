// Synthesizes the example app and an access-logs stack with the aws-cdk-lib installed next to this script's copy
// (see validate-with-latest-cdk.sh), with aws-cdk-lib's CloudFormation validation turned into errors
// ('@aws-cdk/core:validateAgainstDefaultRules'). Prints every synth message; exits non-zero on any.
// `node validate-app.js --self-check` synthesizes a known-bad L1 group instead and exits 0 only if validation fails it.
const { App, Stack } = require('aws-cdk-lib');
const logs = require('aws-cdk-lib/aws-logs');
const mediapackage = require('aws-cdk-lib/aws-mediapackage');
const vod = require('cdk-mediapackage-vod');

const context = { '@aws-cdk/core:validateAgainstDefaultRules': true };
const env = { account: '111111111111', region: 'us-east-1' };

if (process.argv[2] === '--self-check') {
  const app = new App({ outdir: 'cdk.out.self-check', context });
  new mediapackage.CfnPackagingGroup(new Stack(app, 'Bad', { env }), 'Group', { id: 'not valid' });
  try {
    app.synth();
  } catch (e) {
    console.log('self-check: aws-cdk-lib validation rejects a known-bad template, as it should');
    process.exit(0);
  }
  console.error('self-check: aws-cdk-lib validation did not reject a known-bad template: this check proves nothing');
  process.exit(1);
}

const { VodStack } = require('./example-app.js');
const app = new App({ outdir: 'cdk.out', context });
new VodStack(app, 'ExampleVod', { env });
const other = new Stack(app, 'AccessLogs', { env });
const imported = vod.PackagingGroup.fromPackagingGroupId(other, 'Imported', 'existing-group');
imported.configureEgressAccessLogs('Logs', {
  logGroup: new logs.LogGroup(other, 'LogGroup', { logGroupName: '/aws/MediaPackage/existing-group' }),
});
const assembly = app.synth();
let messages = 0;
for (const stack of assembly.stacks) {
  const resources = Object.keys(stack.template.Resources ?? {}).length;
  console.log(`${stack.stackName}: ${resources} resources`);
  for (const m of stack.messages) {
    console.log(`  [${m.level}] ${m.id}: ${m.entry.data}`);
    messages++;
  }
}
console.log(`aws-cdk-lib ${require('aws-cdk-lib/package.json').version} validation: ${messages} message(s)`);
process.exit(messages === 0 ? 0 : 1);
