#!/usr/bin/env bash
# README's Install instructions, as a user follows them from a clone (nothing is published yet):
#   - npm: a fresh CDK app in a temporary folder outside the repository installs the tarball of `npx projen package:js`
#     (dist/js/*.tgz) with aws-cdk-lib and constructs, and the CDK CLI synthesizes a plain-JavaScript app (no TypeScript
#     toolchain to install) that uses a packaging group, a configuration, an asset and egress access logs on an imported
#     group, so that the handler bundled in the tarball runs through the CLI's asset staging. Checks the package's
#     contents, the template and that the Lambda asset holds the tarball's handler byte for byte.
#   - Python: the wheel of `npx projen package:python` (dist/python) has a README whose python blocks hold Python, not
#     the TypeScript of README.md (package:python runs the rosetta translation itself first).
# Needs dist/js (`npx projen package:js`, or build) and dist/python (scripts/ci/package-bindings.sh). Uses the CLI of the
# repository's node_modules (aws-cdk, a dev dependency). Prints 'install-tarball: N passed, N failed' (N = checks).
source "$(dirname "$0")/lib.sh"
export CDK_DISABLE_CLI_TELEMETRY=true CDK_DISABLE_VERSION_CHECK=1 AWS_EC2_METADATA_DISABLED=true
tarball=$(ls "$ROOT"/dist/js/cdk-mediapackage-vod@*.jsii.tgz 2>/dev/null | head -n 1 || true)
[ -n "$tarball" ] || { echo "install-tarball: no dist/js tarball: run 'npx projen package:js' (or build) first" >&2; exit 1; }
wheel=$(ls "$ROOT"/dist/python/*.whl 2>/dev/null | head -n 1 || true)
cdk_version=$(cdk_dev_version)
constructs_version=$(node -p 'require("constructs/package.json").version')
app=$(mktemp -d)
trap 'rm -rf "$app"' EXIT
passed=0; failed=0
check() { if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi; }
ok() { echo "install-tarball: ok: $1"; }
bad() { echo "install-tarball: FAILED: $1" >&2; return 1; }

contents() {
  local files; files=$(tar -tzf "$tarball")
  grep -qx 'package/lib/index.js' <<< "$files" && grep -qx 'package/assets/access-logs/handler/index/index.js' <<< "$files" \
    && ! grep -qE '^package/(src|examples|bench|scripts|test)/|^package/cdk.json$' <<< "$files" \
    && ok "$(basename "$tarball"): lib/, the bundled handler, no sources, examples or cdk.json" \
    || bad "$(basename "$tarball") contents: $(tr '\n' ' ' <<< "$files")"
}
check contents

# The user's app: npm init, npm install the tarball + peers, cdk.json, app.js.
install() {
  local start; start=$(date +%s)
  (cd "$app" && npm init -y > /dev/null && npm install --no-audit --no-fund --loglevel=error "$tarball" \
    "aws-cdk-lib@$cdk_version" "constructs@$constructs_version" > npm.log 2>&1) \
    && ok "npm install <tarball> aws-cdk-lib@$cdk_version constructs@$constructs_version in a fresh folder ($(( $(date +%s) - start ))s)" \
    || { cat "$app/npm.log"; bad "npm install of the tarball"; }
}
check install

cat > "$app/cdk.json" <<'JSON'
{ "app": "node app.js" }
JSON
cat > "$app/app.js" <<'JS'
const { App, Stack } = require('aws-cdk-lib');
const logs = require('aws-cdk-lib/aws-logs');
const s3 = require('aws-cdk-lib/aws-s3');
const { AssetSource, PackagingFormat, PackagingGroup } = require('cdk-mediapackage-vod');

const app = new App();
const stack = new Stack(app, 'InstalledVod', { env: { account: '111111111111', region: 'us-east-1' } });
const group = new PackagingGroup(stack, 'Group');
group.addPackagingConfiguration('Hls', { format: PackagingFormat.hls({ manifests: [{ manifestName: 'index' }] }) });
const bucket = s3.Bucket.fromBucketName(stack, 'Sources', 'my-vod-sources');
group.addAsset('Movie1', { source: AssetSource.fromBucket(bucket, 'movies/movie1/index.smil') });
const imported = PackagingGroup.fromPackagingGroupId(stack, 'Existing', 'existing-group');
imported.configureEgressAccessLogs('AccessLogs', {
  logGroup: new logs.LogGroup(stack, 'EgressLogs', { logGroupName: '/aws/MediaPackage/existing-group-egress' }),
});
JS

synth() {
  local start; start=$(date +%s)
  (cd "$app" && "$ROOT/node_modules/.bin/cdk" synth --quiet --no-notices > synth.log 2>&1) \
    && ok "cdk synth of the installed app ($(( $(date +%s) - start ))s)" || { cat "$app/synth.log"; bad "cdk synth"; }
}
check synth

template() {
  node -e '
    const fs = require("fs"), path = require("path"), crypto = require("crypto");
    const [dir, tarHandler] = process.argv.slice(1);
    const t = require(path.join(dir, "InstalledVod.template.json"));
    const count = type => Object.values(t.Resources).filter(r => r.Type === type).length;
    const want = { "AWS::MediaPackage::PackagingGroup": 1, "AWS::MediaPackage::PackagingConfiguration": 1,
      "AWS::MediaPackage::Asset": 1, "AWS::Lambda::Function": 1, "Custom::MediaPackageVodEgressAccessLogs": 1 };
    const got = Object.fromEntries(Object.keys(want).map(k => [k, count(k)]));
    if (JSON.stringify(got) !== JSON.stringify(want)) { console.error("resources: " + JSON.stringify(got)); process.exit(1); }
    const files = require(path.join(dir, "InstalledVod.assets.json")).files;
    const zip = Object.values(files).find(a => a.source.packaging === "zip");
    const code = zip && path.join(dir, zip.source.path, "index.js");
    const sha = f => crypto.createHash("sha256").update(fs.readFileSync(f)).digest("hex");
    if (!code || !fs.existsSync(code) || sha(code) !== sha(tarHandler)) { console.error("Lambda asset: not the tarball handler: " + code); process.exit(1); }
  ' "$app/cdk.out" "$app/node_modules/cdk-mediapackage-vod/assets/access-logs/handler/index/index.js" \
    && ok "template: group, configuration, asset, access-logs custom resource and its function, whose asset is the tarball's handler" \
    || bad "template or Lambda asset"
}
check template

wheel_readme() {
  [ -n "$wheel" ] || { bad "no wheel in dist/python: run scripts/ci/package-bindings.sh first"; return 1; }
  python3 - "$wheel" <<'PY'
import re, sys, zipfile
wheel = zipfile.ZipFile(sys.argv[1])
readme = wheel.read(next(n for n in wheel.namelist() if n.endswith('.dist-info/METADATA'))).decode()
blocks = re.findall(r'^```python\n(.*?)^```', readme, re.S | re.M)
# TypeScript that a Python translation never has.
typescript = re.compile(r'^\s*(const|let|declare|export|import \{)\b|\bnew [A-Z]|=>|;\s*$|^\s*}\);?$', re.M)
bad = [b for b in blocks if typescript.search(b)]
for b in bad:
    print('TypeScript in a python block of the wheel README:\n' + b, file=sys.stderr)
if not blocks or bad:
    sys.exit(1)
print(f'install-tarball: ok: {sys.argv[1].rsplit("/", 1)[-1]}: README has {len(blocks)} python blocks, all Python')
PY
  [ $? -eq 0 ] || bad "wheel README"
}
check wheel_readme

record install-tarball "$passed" "$failed"
[ "$failed" -eq 0 ]
