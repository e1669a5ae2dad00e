#!/usr/bin/env bash
# The example app through the CDK CLI, as a user runs it from a clone: `npx cdk synth` with the repository's cdk.json
# (its build step bundles the handlers, its app is examples/app.ts through ts-node), into an output directory chosen on
# the command line (so the app must honour the CLI's CDK_OUTDIR), then cfn-lint on what it wrote. No AWS account: the
# example's stack has an explicit environment, and no credentials are looked for (no EC2 metadata, no telemetry, no
# notices).
# Checks: the CLI exits 0; the manifest lists the ExampleVod stack in aws://111111111111/us-east-1; its template has the
# packaging group, 4 configurations and 2 assets; cfn-lint finds no error in it.
# Prints 'cdk-cli: N passed, N failed' (N = checks).
source "$(dirname "$0")/lib.sh"
export CDK_DISABLE_CLI_TELEMETRY=true CDK_DISABLE_VERSION_CHECK=1 AWS_EC2_METADATA_DISABLED=true
out="$COUNTS_DIR/cdk-cli.out"
rm -rf "$out"
passed=0; failed=0
check() { if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi; }
ok() { echo "cdk-cli: ok: $1"; }
bad() { echo "cdk-cli: FAILED: $1" >&2; return 1; }

echo "cdk-cli: aws-cdk $(npx cdk --version)"
start=$(date +%s)
cli_synth() {
  npx cdk synth --quiet --no-notices --output "$out" && ok "npx cdk synth ($(( $(date +%s) - start ))s)" \
    || bad "npx cdk synth failed"
}
check cli_synth

manifest() {
  node -e '
    const [dir] = process.argv.slice(1);
    const m = require(require("path").join(dir, "manifest.json"));
    const s = m.artifacts && m.artifacts.ExampleVod;
    if (!s || s.type !== "aws:cloudformation:stack" || s.environment !== "aws://111111111111/us-east-1") {
      console.error("manifest: no ExampleVod stack in aws://111111111111/us-east-1: " + JSON.stringify(s && s.environment));
      process.exit(1);
    }
    const t = require(require("path").join(dir, s.properties.templateFile));
    const count = (type) => Object.values(t.Resources).filter((r) => r.Type === type).length;
    const got = [count("AWS::MediaPackage::PackagingGroup"), count("AWS::MediaPackage::PackagingConfiguration"),
      count("AWS::MediaPackage::Asset")];
    if (got.join() !== "1,4,2") { console.error("template: group, configurations, assets = " + got.join()); process.exit(1); }
  ' "$out" && ok "manifest lists ExampleVod in aws://111111111111/us-east-1; 1 group, 4 configurations, 2 assets" \
    || bad "manifest or template"
}
check manifest

lint() {
  ensure_cfn_lint
  "$CFN_LINT" --format parseable --non-zero-exit-code error -- "$out"/ExampleVod.template.json \
    && ok "cfn-lint $("$CFN_LINT" --version | cut -d' ' -f2): no error in the CLI's ExampleVod.template.json" \
    || bad "cfn-lint found errors in the CLI's template"
}
check lint

record cdk-cli "$passed" "$failed"
[ "$failed" -eq 0 ]
