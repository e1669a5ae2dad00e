#!/usr/bin/env bash
# A fresh clone, as a new user gets it: `git clone` of this repository's HEAD commit (committed files only) into a
# temporary folder, `npm ci` there (from the npm cache when it has the packages), then the README's entry points one at a
# time from nothing built: `npx projen example` and then, after deleting what it built, `npx projen compile`. After each,
# every handler bundle the bundle task declares (.projen/tasks.json: bundle -> bundle:<name> -> esbuild --outfile) must
# exist, and after compile the compiled library (lib/) must find its handler: a stack with egress access logs on an
# imported group synthesizes and its Lambda asset holds the handler. Prints each step's time and
# 'fresh-clone: N passed, N failed' (N = checks).
source "$(dirname "$0")/lib.sh"
export CDK_DISABLE_CLI_TELEMETRY=true
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0; failed=0
check() { if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi; }
timed() { local s rc; s=$(date +%s); "$@"; rc=$?; echo "fresh-clone: '$*' took $(( $(date +%s) - s ))s" >&3; return $rc; }
exec 3>&1   # timed() reports on the original stdout, also when the command's output goes to a log

commit=$(git rev-parse HEAD)
git diff --quiet HEAD -- || echo "fresh-clone: note: uncommitted changes are not in the clone (it tests commit ${commit:0:12})"
timed git clone --quiet --no-checkout "$ROOT" "$work/repo"
git -C "$work/repo" checkout --quiet --detach "$commit"
cd "$work/repo"
timed npm ci --prefer-offline --no-audit --no-fund --loglevel=error > "$COUNTS_DIR/fresh-clone-npm.log" 2>&1 \
  || { cat "$COUNTS_DIR/fresh-clone-npm.log"; record fresh-clone 0 1; exit 1; }

# The bundles the bundle task builds: every bundle added with project.bundler.addBundle.
bundles() {
  node -e '
    const t = require("./.projen/tasks.json").tasks;
    for (const step of t.bundle.steps) {
      const out = (t[step.spawn].steps[0].execArgs || []).find(a => a.startsWith("--outfile="));
      console.log(out ? out.slice("--outfile=".length) : `(no --outfile in ${step.spawn})`);
    }'
}
bundles_exist() {
  local after="$1" missing=0 n=0 f
  while read -r f; do
    n=$((n + 1))
    [ -s "$f" ] || { echo "fresh-clone: FAILED: after $after, bundle $f is missing" >&2; missing=1; }
  done < <(bundles)
  [ "$n" -gt 0 ] || { echo "fresh-clone: FAILED: the bundle task declares no bundle" >&2; return 1; }
  [ "$missing" -eq 0 ] && echo "fresh-clone: ok: after $after, all $n handler bundle(s) exist"
}

example() {
  timed npx projen example > "$COUNTS_DIR/fresh-clone-example.log" 2>&1 \
    && grep -q '^Synthesized ExampleVod into examples/cdk.out' "$COUNTS_DIR/fresh-clone-example.log" \
    && echo "fresh-clone: ok: npx projen example: $(grep '^Synthesized' "$COUNTS_DIR/fresh-clone-example.log")" \
    || { cat "$COUNTS_DIR/fresh-clone-example.log"; echo "fresh-clone: FAILED: npx projen example" >&2; return 1; }
}
check example
check bundles_exist "npx projen example"

rm -rf assets examples/cdk.out
compile() {
  timed npx projen compile > "$COUNTS_DIR/fresh-clone-compile.log" 2>&1 && [ -f lib/index.js ] && [ -f .jsii ] \
    && echo "fresh-clone: ok: npx projen compile wrote lib/ and .jsii" \
    || { cat "$COUNTS_DIR/fresh-clone-compile.log"; echo "fresh-clone: FAILED: npx projen compile" >&2; return 1; }
}
check compile
check bundles_exist "npx projen compile"

# The compiled library (what the npm package runs) finds its bundled handler.
handler_found() {
  node -e '
    const fs = require("fs"), os = require("os"), path = require("path");
    const { App, Stack } = require("aws-cdk-lib");
    const { PackagingGroup } = require("./lib");
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "fresh-clone-")) });
    const stack = new Stack(app, "Logs", { env: { account: "111111111111", region: "us-east-1" } });
    PackagingGroup.fromPackagingGroupId(stack, "Group", "existing-group").configureEgressAccessLogs("AccessLogs", {});
    const assembly = app.synth();
    const fn = Object.values(assembly.getStackByName("Logs").template.Resources).find(r => r.Type === "AWS::Lambda::Function");
    const assets = require(path.join(assembly.directory, "Logs.assets.json")).files;
    const asset = Object.values(assets).find(a => a.source.packaging === "zip");
    const code = asset && path.join(assembly.directory, asset.source.path, "index.js");
    if (!fn || !code || fs.statSync(code).size < 1000) { console.error("no Lambda function or no bundled handler in its asset"); process.exit(1); }
    console.log(`fresh-clone: ok: lib/ finds its handler (${path.basename(asset.source.path)}/index.js, ${fs.statSync(code).size} bytes)`);
  ' || { echo "fresh-clone: FAILED: the compiled library does not find its handler" >&2; return 1; }
}
check handler_found

cd "$ROOT"
record fresh-clone "$passed" "$failed"
[ "$failed" -eq 0 ]
