#!/usr/bin/env bash
# The README's Quick start on a fresh machine: a `git clone` of HEAD (committed files only) into a temporary folder, run
# with HOME pointed at an empty temporary folder (no pip cache, no moto venv, no ~/.npmrc, no git config), no
# MOTO_SERVER, CDK_MPV_CI_CACHE or XDG_CACHE_HOME, and PATH without any folder that holds a moto_server; then the two
# Quick start commands exactly:
#   npm ci && npx projen example
#   npm ci && npx projen test        (the test task installs moto itself: scripts/ci/moto.sh --ensure)
# npm keeps its package cache (npm_config_cache of the calling user): only the downloads of node_modules are saved, the
# install itself runs from nothing. pip's cache is cold on purpose: moto is installed from PyPI as a new user's would be.
# Extra arguments go to jest, e.g. `--json --outputFile=$PWD/test-results.json` (CI keeps this run's results: it is
# CI's test run). Prints each command's time and 'fresh-machine: N passed, N failed' (N = the two commands).
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
quick_start example 'npm ci --no-audit --no-fund --loglevel=error && npx projen example'
quick_start test "npm ci --no-audit --no-fund --loglevel=error && npx projen test $(printf '%q ' "$@")"
set -e
record fresh-machine "$passed" "$failed"
[ "$failed" -eq 0 ]
