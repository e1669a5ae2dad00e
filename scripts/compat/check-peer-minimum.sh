#!/usr/bin/env bash
# Type-checks src/ against the oldest aws-cdk-lib the package accepts (the peer minimum in package.json), so that the
# library never uses an aws-cdk-lib API newer than what it promises to users. Tests run against the dev version.
# Both minimums come from package.json's peerDependencies (the lower bound of each range): aws-cdk-lib and constructs.
# Override with CDK_MIN / CONSTRUCTS_MIN to try lower ones before lowering a range.
set -euo pipefail
cd "$(dirname "$0")/../.."
# README's 'Peer dependencies:' paragraph names each peer with package.json's range (`aws-cdk-lib` ^2.224.0, ...).
readme_peers=$(awk '/^Peer dependencies:/{on = 1} on && /^$/{exit} on' README.md | tr '\n' ' ')
for peer in aws-cdk-lib constructs; do
  range=$(node -p "require('./package.json').peerDependencies['$peer']")
  said=$(grep -oE "\`$peer\` [^ ,()]+" <<< "$readme_peers" | head -n 1 | cut -d' ' -f2 || true)
  [ "$said" = "$range" ] || { echo "README.md's 'Peer dependencies:' says $peer ${said:-(nothing)}; package.json says $range" >&2; exit 1; }
done
echo "README.md's peer dependencies match package.json: $(node -p 'JSON.stringify(require("./package.json").peerDependencies)')"

peer_min() { node -p "require('./package.json').peerDependencies['$1'].replace(/^[^0-9]*/, '')"; }
min="${CDK_MIN:-$(peer_min aws-cdk-lib)}"
constructs="${CONSTRUCTS_MIN:-$(peer_min constructs)}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "type-checking src/ against aws-cdk-lib@$min (peer minimum), constructs@$constructs"
(cd "$work" && npm install --no-save --no-audit --no-fund --silent "aws-cdk-lib@$min" "constructs@$constructs" >/dev/null)
cat > "$work/tsconfig.json" <<JSON
{
  "extends": "$PWD/tsconfig.json",
  "compilerOptions": {
    "noEmit": true,
    "rootDir": "$PWD/src",
    "ignoreDeprecations": "6.0",
    "baseUrl": "$work",
    "paths": {
      "aws-cdk-lib": ["node_modules/aws-cdk-lib"],
      "aws-cdk-lib/*": ["node_modules/aws-cdk-lib/*"],
      "constructs": ["node_modules/constructs"]
    },
    "typeRoots": ["$PWD/node_modules/@types"]
  },
  "include": ["$PWD/src/**/*.ts"],
  "exclude": ["$PWD/src/access-logs/handler/**"]
}
JSON
npx tsc -p "$work/tsconfig.json"
echo "src/ compiles against aws-cdk-lib@$min and constructs@$constructs"

# At run time too: the compiled library (lib/, assets/; `npx projen compile` first) synthesizes a stack with those
# minimum versions (what a user pinned at the bottom of both peer ranges gets).
if [ -f lib/index.js ] && [ -d assets ]; then
  mkdir -p "$work/node_modules/cdk-mediapackage-vod"
  cp -r package.json .jsii lib assets "$work/node_modules/cdk-mediapackage-vod/"
  (cd "$work" && node -e '
    const { App, Stack } = require("aws-cdk-lib");
    const s3 = require("aws-cdk-lib/aws-s3");
    const { AssetSource, PackagingFormat, PackagingGroup } = require("cdk-mediapackage-vod");
    const app = new App();
    const stack = new Stack(app, "PeerMinimum", { env: { account: "111111111111", region: "us-east-1" } });
    const group = new PackagingGroup(stack, "Group");
    group.addPackagingConfiguration("Hls", { format: PackagingFormat.hls({ manifests: [{ manifestName: "index" }] }) });
    group.addAsset("Movie", { source: AssetSource.fromBucket(s3.Bucket.fromBucketName(stack, "B", "sources"), "movie/index.m3u8") });
    PackagingGroup.fromPackagingGroupId(stack, "Existing", "existing").configureEgressAccessLogs("Logs", {});
    const t = app.synth().getStackByName("PeerMinimum").template;
    const types = Object.values(t.Resources).map(r => r.Type);
    const want = ["AWS::MediaPackage::PackagingGroup", "AWS::MediaPackage::PackagingConfiguration", "AWS::MediaPackage::Asset"];
    if (!want.every(w => types.includes(w))) { console.error("missing resources: " + types.join(", ")); process.exit(1); }
    console.log(`the compiled library synthesizes ${types.length} resources with aws-cdk-lib ${require("aws-cdk-lib/package.json").version}` +
      ` and constructs ${require("constructs/package.json").version}`);
  ')
else
  echo "(no lib/ or assets/: run 'npx projen compile' to check the compiled library at run time too)"
fi
