import { awscdk, DependencyType, javascript, Task } from 'projen';

/**
 * Peer minimum: 2.224.0 is the first aws-cdk-lib whose MediaPackage reference interfaces
 * (IPackagingGroupRef, IPackagingConfigurationRef, IAssetRef) carry the jsii names they have today
 * (`aws-cdk-lib.interfaces.aws_mediapackage.*`, extending IEnvironmentAware). 2.215.0 introduced them under
 * another jsii name, which a Python or Java user on 2.215-2.223 could not load from our assembly.
 */
const CDK_PEER_MIN = '2.224.0';
/**
 * constructs peer minimum: 10.0.0. scripts/compat/check-peer-minimum.sh type-checks src/ and synthesizes the compiled
 * library with aws-cdk-lib at its peer minimum (which accepts constructs ^10.0.0) and constructs 10.0.0. Newer
 * aws-cdk-lib releases ask for more themselves (2.257: ^10.5.0); npm resolves that in the user's app.
 */
const CONSTRUCTS_PEER_MIN = '10.0.0';
/** Dev version: a current 2.x whose cloud-assembly schema integ-runner 2.197 still reads (see docs/toolchain). */
const CDK_DEV = '2.257.0';
/**
 * publib: the publishers the release workflow runs (`npx -p publib@<this> publib-npm`, ...). Pinned, and a dev dependency
 * at the same version, so that scripts/ci/publish-rehearsal.sh runs the very same commands against local registries.
 */
const PUBLIB_VERSION = '0.2.1061';
const REPOSITORY = 'https://github.com/cdk-mediapackage-vod/cdk-mediapackage-vod';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-mediapackage-vod',
  description: 'AWS CDK v2 L2 constructs for AWS Elemental MediaPackage VOD: packaging groups and configurations (HLS, DASH, '
    + 'CMAF, MSS) with SPEKE encryption, assets, CloudFront delivery, catalog-scale ingest from S3, status events, monitoring, access logs',
  author: 'cdk-mediapackage-vod maintainers',
  authorAddress: 'maintainers@cdk-mediapackage-vod.invalid',
  repositoryUrl: `${REPOSITORY}.git`,
  homepage: `${REPOSITORY}#readme`,
  license: 'Apache-2.0',
  // What Construct Hub and the registries' search use (projen adds 'cdk' and 'awscdk' itself; listed anyway).
  keywords: ['awscdk', 'aws-cdk', 'cdk', 'mediapackage', 'vod', 'video', 'streaming', 'speke', 'drm'],
  defaultReleaseBranch: 'main',
  cdkVersion: CDK_PEER_MIN,
  constructsVersion: CONSTRUCTS_PEER_MIN,
  jsiiVersion: '~6.0.0',
  packageManager: javascript.NodePackageManager.NPM,
  peerDependencyOptions: { pinnedDevDependency: false },
  projenrcTs: true,
  tsconfigDevFile: 'tsconfig.dev.json',
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'bench', 'scripts', 'build-tools', 'projenrc'],
    // Lint test/ and examples/ with the dev tsconfig (projen's project service only finds tsconfig.json).
    tsconfigPath: './tsconfig.dev.json',
    projectService: false,
  },
  // Release (docs/releasing.md): GitHub workflows as projen makes them for a jsii library. `build` on pull requests (and
  // fails when generated files are stale: self-mutation check); `release` on main: version bump from conventional
  // commits within 0.x (a breaking change bumps the minor), changelog, GitHub release, then publib to npm, PyPI, Maven
  // Central and the Go module repository.
  github: true,
  release: true,
  releaseToNpm: true,
  majorVersion: 0,
  jsiiReleaseVersion: PUBLIB_VERSION,
  workflowNodeVersion: '22.x',
  // No automated dependency upgrade workflow: the toolchain is pinned on purpose (typescript on jsii's line, aws-cdk-lib
  // dev version for integ-runner, cloud-assembly-schema for the Go module); upgrades are made by hand.
  depsUpgrade: false,
  stability: 'experimental',
  publishToPypi: {
    distName: 'cdk-mediapackage-vod',
    module: 'cdk_mediapackage_vod',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdkmediapackagevod',
    mavenGroupId: 'io.github.cdk-mediapackage-vod',
    mavenArtifactId: 'cdk-mediapackage-vod',
  },
  // Not published yet: jsii-pacmak builds the module into dist/go/cdkmediapackagevod (README: Go).
  publishToGo: {
    moduleName: 'github.com/cdk-mediapackage-vod/cdk-mediapackage-vod-go',
  },
  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testPathIgnorePatterns: ['/node_modules/', '/test/consumers/', '/cdk.out/'],
    },
  },
  devDeps: [
    'fast-check@^3',
    '@aws-sdk/client-mediapackage-vod@^3',
    // The ingest and backfill handlers bundle these; 3.624.0 is the release of client-mediapackage-vod (its last), so
    // the three clients share one set of @smithy packages in the bundles.
    '@aws-sdk/client-sqs@3.624.0',
    '@aws-sdk/client-s3@3.624.0',
    // The ingest function's catalog writes (BucketIngest catalog: true).
    '@aws-sdk/client-dynamodb@3.624.0',
    // The signing-key custom resource (VodDistribution with generated viewer-access keys) writes the private key.
    '@aws-sdk/client-secrets-manager@3.624.0',
    'aws-sdk-client-mock@^4.1',
    // The TypeScript backend signing example (test/signing/typescript-signer.ts, README "Signing cookies in your backend").
    '@aws-sdk/cloudfront-signer@^3',
    '@types/aws-lambda@^8',
    'cdk-nag@3.0.2',
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
    '@aws-cdk/integ-runner@^2.197.10',
    '@types/node@^20',
    'typescript@~6.0.3',
    'ts-node@^10.9.2',
    // jsii-pacmak writes the installed npm version of aws-cdk-lib's dependencies into the Go module's go.mod. Pin this one
    // to the version aws-cdk-go at CDK_DEV itself requires (github.com/cdklabs/cloud-assembly-schema-go v53.25.0):
    // the Go module proxy here serves that one, not the newest npm release. Bump it with CDK_DEV (see its go.mod).
    '@aws-cdk/cloud-assembly-schema@53.25.0',
    // The CDK CLI, for `npx cdk synth` / `cdk deploy` of the example (cdk.json). 2.1148 reads the cloud assembly of aws-cdk-lib 2.257.
    'aws-cdk@^2.1148.1',
    `publib@${PUBLIB_VERSION}`,
  ],
  // Bundles are built by every task that can synthesize (see `synthesizes` below), not only before `build`'s compile.
  bundlerOptions: { runBundleTask: javascript.RunBundleTask.MANUAL },
  gitignore: ['cdk.out/', '/examples/cdk.out/', '.venv/', '/test-results.json', '/bench-results/'],
});

// Develop and test against a current aws-cdk-lib; users may run anything from the peer minimum on.
project.deps.removeDependency('aws-cdk-lib', DependencyType.BUILD);
project.deps.addDependency(`aws-cdk-lib@${CDK_DEV}`, DependencyType.BUILD);
project.deps.addDependency('constructs@10.5.1', DependencyType.BUILD);

// jsii warnings (reserved words and others) are errors here: names must work in Python and Java.
project.compileTask.reset('jsii --fail-on-warnings');
project.tasks.tryFind('watch')?.reset('jsii -w');

// The ConfigureLogs custom resource handler is bundled with its SDK client (no doubt about what the Lambda runtime
// ships), into assets/, which the npm package carries. Tests use the bundle too, so `test` builds it first.
project.bundler.addBundle('src/access-logs/handler/index.ts', {
  platform: 'node',
  target: 'node22',
  externals: [],
  sourcemap: false,
  minify: true,
});
// jsii also compiles the handler into lib/; the package runs the bundle in assets/ only.
project.npmignore?.exclude('/lib/access-logs/handler/', '/examples/', '/scripts/', '/rosetta/', '/docs/', '/bench/', '/bench-results/', '/.ci/');
/**
 * Every task that can synthesize (or compiles a library that later synthesizes) builds the handler bundles first: all
 * of them, through the bundle task, so that bundles added later with `project.bundler.addBundle` are covered too.
 */
const synthesizes = (task: Task | undefined) => task?.prependSpawn(project.bundler.bundleTask);
// The tests that need S3/SQS/DynamoDB/EventBridge start moto_server themselves (test/servers/moto.ts): on a fresh machine
// the test task installs the pinned moto into the cache venv first (scripts/ci/moto.sh; a found one is used as is).
// Prepended before the bundles are, so that the test task's steps are: bundle, moto, jest, eslint.
project.testTask.prependExec('bash scripts/ci/moto.sh --ensure');
synthesizes(project.testTask);
synthesizes(project.compileTask);

// BucketIngest's functions, bundled the same way: the SQS-driven ingest function, the backfill custom resource (the
// starter) and the backfill worker.
for (const entry of ['src/ingest/handler/index.ts', 'src/ingest/backfill/index.ts', 'src/ingest/backfill/worker/index.ts']) {
  project.bundler.addBundle(entry, { platform: 'node', target: 'node22', externals: [], sourcemap: false, minify: true });
}
project.npmignore?.exclude('/lib/ingest/handler/', '/lib/ingest/backfill/*');
// Except the job's contract (the worker's environment names, the attempts limit): IngestBackfill requires it at synth.
project.npmignore?.include('/lib/ingest/backfill/job.js', '/lib/ingest/backfill/job.d.ts');
// The playback URL custom resource (asset.playbackUrl): DescribeAsset, bundled the same way.
project.bundler.addBundle('src/playback-url/handler/index.ts', { platform: 'node', target: 'node22', externals: [], sourcemap: false, minify: true });
project.npmignore?.exclude('/lib/playback-url/handler/');
// The signing-key custom resource (VodDistribution viewer access): an RSA key pair, the private key into Secrets Manager.
project.bundler.addBundle('src/cdn/signing-key/handler/index.ts', { platform: 'node', target: 'node22', externals: [], sourcemap: false, minify: true });
project.npmignore?.exclude('/lib/cdn/signing-key/handler/');
// Catalog-scale ingest benchmark: 10,000 objects through the bundled ingest function against the fake VOD API (S3's
// HeadObject answered by the local ListObjectsV2/HeadObject fake; no moto). Printed, not a timed test.
const benchIngest = project.addTask('bench:ingest', {
  description: 'Ingest 10,000 objects through the bundled handler against the fake VOD API (rate limit, 5xx, duplicates)',
  exec: 'ts-node --project tsconfig.dev.json bench/ingest.ts',
  receiveArgs: true,
});
benchIngest.prependSpawn(project.bundler.bundleTask);
// The backfill at catalog scale: 1,000,000 keys (50,000 titles x 20 files) in the ListObjectsV2 fake, the job run as
// Lambda's event source runs it; `--smoke` runs 20,000 keys (1,000 titles) for CI. Prints figure and ratio lines.
project.addTask('bench:backfill', {
  description: 'Backfill 1,000,000 keys (50,000 titles x 20 files) through the starter and the worker (--smoke: 20,000)',
  exec: 'ts-node --project tsconfig.dev.json bench/backfill-scale.ts',
  receiveArgs: true,
});

// The example VOD app: synthesizes examples/app.ts into examples/cdk.out and prints what it made.
project.addTask('example', {
  description: 'Synthesize the example VOD app and print a summary of what it made',
  exec: 'ts-node --project tsconfig.dev.json examples/app.ts',
});
synthesizes(project.tasks.tryFind('example'));

// cdk.json: `npx cdk synth` (and `cdk deploy`) at the repository root runs the example app, into the same
// examples/cdk.out as `npx projen example`; the CLI builds the handler bundles first.
new awscdk.CdkConfig(project, {
  app: 'npx ts-node --project tsconfig.dev.json examples/app.ts',
  cdkout: 'examples/cdk.out',
  buildCommand: 'npx projen bundle',
  watchIncludes: ['src/**/*.ts', 'examples/**/*.ts'],
});
project.npmignore?.exclude('/cdk.json', '.cdk.staging/');

// Benchmark: synth time and scale of the L2 constructs against the same stack in hand-written L1 (writes bench-results/).
const bench = project.addTask('bench', {
  description: 'Benchmark L2 against hand-written L1 (synth time, memory, resources, policy and template sizes)',
  exec: 'ts-node --project tsconfig.dev.json bench/run.ts',
  receiveArgs: true, // --smoke: each variant once at 10 assets (CI)
});
synthesizes(bench); // the access-logs scenario needs the bundled handler

// The ecosystem checks (scripts/ci, docs/ecosystem.md): README examples, integ snapshots, cfn-lint, Python and Java users.
project.gitignore.exclude('.jsii.tabl.json'); // rosetta's tablet, written next to .jsii
project.npmignore?.exclude('/.jsii.tabl.json', '/test-results.json'); // and not published (package:python/java/go write it before a later pack)
project.addTask('rosetta', { description: 'README examples compile (strict) and translate to Python, Java and Go', exec: 'bash scripts/ci/rosetta.sh' });
// The Python, Java and Go packages' READMEs come from the rosetta tablet (.jsii.tabl.json): without it, jsii-pacmak leaves
// the TypeScript of README.md in their python/java/go blocks. So packaging translates the examples itself first.
const extract = project.addTask('rosetta:extract', {
  description: 'Translate the README and API doc examples to Python, Java and Go (the tablet jsii-pacmak reads)',
  exec: 'jsii-rosetta extract --strict',
});
for (const name of ['package:python', 'package:java', 'package:go']) {
  project.tasks.tryFind(name)?.prependSpawn(extract);
}
// The Go module's README leads with the hand-written Go example CI compiles (test/consumers/go/app.go, between its
// go-readme markers) and says the examples after it are machine translations; scripts/ci/go-consumer.sh checks it.
project.tasks.tryFind('package:go')?.exec('ts-node --project tsconfig.dev.json scripts/go-readme.ts', {
  name: 'go-readme',
});
project.addTask('integ', { description: 'Compare test/integ.*.ts with their snapshots (no deploy)', exec: 'bash scripts/ci/integ.sh' });
project.addTask('integ:update', { description: 'Rewrite the snapshots of changed integ tests', exec: 'bash scripts/ci/integ.sh --update' });
project.addTask('cfn-lint', { description: 'cfn-lint on every template the example and integ apps synthesize', exec: 'bash scripts/ci/cfn-lint.sh' });
synthesizes(project.addTask('checkov', {
  description: 'checkov (pinned) on every synthesized template: each finding fixed or skipped with its reason',
  exec: 'bash scripts/ci/checkov.sh',
}));
project.addTask('consumers', {
  description: 'Python, Java and Go consumer apps against the built packages, compared with the same app in TypeScript',
  steps: [
    { exec: 'bash scripts/ci/package-bindings.sh' },
    { exec: 'bash scripts/ci/typescript-reference.sh' },
    { exec: 'bash scripts/ci/python-consumer.sh' },
    { exec: 'bash scripts/ci/java-consumer.sh' },
    { exec: 'bash scripts/ci/go-consumer.sh' },
  ],
});
for (const name of ['integ', 'integ:update', 'cfn-lint', 'consumers']) {
  synthesizes(project.tasks.tryFind(name));
}

// Stack resources of 1 and 3 BucketIngests (constant per ingest, independent of the catalog size).
project.addTask('bench:ingest-resources', {
  description: 'Print the stack resources of 1 and 3 BucketIngests',
  exec: 'ts-node --project tsconfig.dev.json test/stacks/ingest-resources.ts',
}).prependSpawn(project.bundler.bundleTask);

project.tsconfigDev.addInclude('examples/**/*.ts');
project.tsconfigDev.addInclude('.projenrc.ts');

project.synth();
