#!/usr/bin/env bash
# The README's Quick start on a fresh machine: a `git clone` of HEAD (committed files only) into a temporary folder, run
# with HOME pointed at an empty temporary folder (no pip cache, no moto venv, no ~/.npmrc, no git config), no
# MOTO_SERVER, CDK_MPV_CI_CACHE or XDG_CACHE_HOME, and PATH without any folder that holds a moto_server; then the two
# Quick start commands exactly:
#   npm ci && npx projen example
#   npm ci && npx projen test        (the test task installs moto itself: scripts/ci/moto.sh --ensure)
# npm keeps its package cache (npm_config_cache of the calling user): only the downloads of node_modules are saved, the
# install itself runs from nothing. pip's cache is cold on purpose: moto is installed from PyPI as a new user's would be.
# Then, in the same clone and environment: every handler bundle the bundle task declares (.projen/tasks.json: bundle ->
# bundle:<name> -> esbuild --outfile) exists after the example (the clone had none); `npx projen compile` from nothing
# built (assets/, lib/ and .jsii deleted) writes lib/, .jsii and every bundle again, and the compiled library finds its
# handler (a stack with egress access logs on an imported group synthesizes; its Lambda asset holds the bundle).
# Extra arguments go to jest, e.g. `--json --outputFile=$PWD/test-results.json` (CI keeps this run's results: it is
# CI's test run). Prints each command's time and 'fresh-machine: N passed, N failed' (N = commands and checks).
source "$(dirname "$0")/lib.sh"
commit=$(git rev-parse HEAD)
if ! git diff --quiet HEAD --; then
  echo "fresh-machine: uncommitted changes to tracked files: this step tests commit ${commit:0:12}, not the work tree" >&2
  [ "${FRESH_MACHINE_ALLOW_DIRTY:-}" = 1 ] || { echo "fresh-machine: commit them first (or FRESH_MACHINE_ALLOW_DIRTY=1)" >&2; record fresh-machine 0 1; exit 1; }
fi
npm_cache=$(npm config get cache)
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
git clone --quiet --no-checkout "$ROOT" "$work/repo" && git -C "$work/repo" checkout --quiet --detach "$commit"
mkdir -p "$work/home"

# PATH without moto_server.
fresh_path=""
IFS=: read -r -a dirs <<< "$PATH"
for dir in "${dirs[@]}"; do
  [ -n "$dir" ] && [ ! -e "$dir/moto_server" ] && fresh_path="${fresh_path:+$fresh_path:}$dir"
done
fresh() {
  env -u MOTO_SERVER -u CDK_MPV_CI_CACHE -u XDG_CACHE_HOME -u PIP_CACHE_DIR -u GIT_CONFIG_GLOBAL \
    HOME="$work/home" PATH="$fresh_path" npm_config_cache="$npm_cache" CI=true bash -c "cd '$work/repo' && $1"
}
if fresh 'command -v moto_server' > /dev/null; then echo "fresh-machine: moto_server is still on PATH" >&2; record fresh-machine 0 1; exit 1; fi
echo "fresh-machine: commit ${commit:0:12} in $work/repo, HOME=$work/home (empty), no moto_server on PATH, $(node --version), $(python3 --version)"

passed=0; failed=0
# check NAME CMD...: a check in the clone, counted.
check() {
  local name="$1"; shift
  if "$@"; then passed=$((passed + 1)); echo "fresh-machine: ok: $name"; else failed=$((failed + 1)); echo "fresh-machine: FAILED: $name" >&2; fi
}
# The bundles the bundle task builds (every bundle added with project.bundler.addBundle), each non-empty.
bundles_exist() {
  fresh 'node -e "
    const fs = require(\"fs\"), t = require(\"./.projen/tasks.json\").tasks, missing = [];
    for (const step of t.bundle.steps) {
      const out = (t[step.spawn].steps[0].execArgs || []).find(a => a.startsWith(\"--outfile=\"));
      if (!out) { missing.push(\"(no --outfile in \" + step.spawn + \")\"); continue; }
      const file = out.slice(\"--outfile=\".length);
      if (!(fs.existsSync(file) && fs.statSync(file).size > 0)) { missing.push(file); }
    }
    if (t.bundle.steps.length === 0 || missing.length) { console.error(\"bundles missing: \" + (missing.join(\" \") || \"none declared\")); process.exit(1); }
    console.log(\"fresh-machine: all \" + t.bundle.steps.length + \" handler bundles exist\");
  "'
}
# The compiled library (lib/) finds its bundled handler.
handler_found() {
  fresh 'node -e "
    const fs = require(\"fs\"), os = require(\"os\"), path = require(\"path\");
    const { App, Stack } = require(\"aws-cdk-lib\");
    const { PackagingGroup } = require(\"./lib\");
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), \"fresh-machine-\")) });
    const stack = new Stack(app, \"Logs\", { env: { account: \"111111111111\", region: \"us-east-1\" } });
    PackagingGroup.fromPackagingGroupId(stack, \"Group\", \"existing-group\").configureEgressAccessLogs(\"AccessLogs\", {});
    const assembly = app.synth();
    const fn = Object.values(assembly.getStackByName(\"Logs\").template.Resources).find(r => r.Type === \"AWS::Lambda::Function\");
    const asset = Object.values(require(path.join(assembly.directory, \"Logs.assets.json\")).files).find(a => a.source.packaging === \"zip\");
    const code = asset && path.join(assembly.directory, asset.source.path, \"index.js\");
    const found = fn && code && fs.existsSync(code) && fs.statSync(code).size >= 1000;
    fs.rmSync(assembly.directory, { recursive: true, force: true });
    if (!found) { console.error(\"no Lambda function or no bundled handler in its asset\"); process.exit(1); }
  "'
}
quick_start() {
  local name="$1" command="$2" start rc
  start=$(date +%s)
  fresh "$command" > "$COUNTS_DIR/fresh-machine-$name.log" 2>&1
  rc=$?
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + 1)); echo "fresh-machine: ok: '$command' ($(( $(date +%s) - start ))s)"
  else
    failed=$((failed + 1)); tail -n 80 "$COUNTS_DIR/fresh-machine-$name.log" >&2
    echo "fresh-machine: FAILED (rc=$rc): '$command' ($(( $(date +%s) - start ))s); log: $COUNTS_DIR/fresh-machine-$name.log" >&2
  fi
  grep '^moto: ' "$COUNTS_DIR/fresh-machine-$name.log" || true
}
set +e
[ ! -e "$work/repo/assets" ] || { echo "fresh-machine: the clone holds assets/ (committed?)" >&2; record fresh-machine 0 1; exit 1; }
quick_start example 'npm ci --no-audit --no-fund --loglevel=error && npx projen example'
check "npx projen example synthesized the example app" grep -q '^Synthesized ExampleVod into examples/cdk.out' "$COUNTS_DIR/fresh-machine-example.log"
check "after npx projen example (nothing built before), every handler bundle exists" bundles_exist
quick_start test "npm ci --no-audit --no-fund --loglevel=error && npx projen test $(printf '%q ' "$@")"
# `npx projen compile` from nothing built: lib/, .jsii and every bundle, and lib/ finds its handler.
rm -rf "$work/repo/assets" "$work/repo/lib" "$work/repo/.jsii" "$work/repo/examples/cdk.out"
quick_start compile 'npx projen compile'
check "npx projen compile (from nothing built) wrote lib/index.js and .jsii" test -s "$work/repo/lib/index.js" -a -s "$work/repo/.jsii"
check "after npx projen compile (from nothing built), every handler bundle exists" bundles_exist
check "the compiled library (lib/) finds its bundled handler" handler_found
set -e
record fresh-machine "$passed" "$failed"
[ "$failed" -eq 0 ]
