# Shared helpers of the scripts in scripts/ci (source it; it changes to the repository root).
# shellcheck shell=bash
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

# Where the scripts keep their virtualenvs (outside the work tree: jest, tsc and eslint crawl it).
CACHE_DIR="${CDK_MPV_CI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk-mediapackage-vod-ci}"
# Where each script records its counts (scripts/ci/summary.sh adds them up); gitignored (/test-reports/).
COUNTS_DIR="$ROOT/test-reports/ci"
mkdir -p "$CACHE_DIR" "$COUNTS_DIR"

# jsii prints a banner per process on Node 20 (end of life): the consumers start many.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="$(node -p "process.versions.node.split('.')[0]")"

# The aws-cdk-lib the TypeScript build uses: the Python and Java consumers use the same, so their templates can be
# compared with the TypeScript reference byte for byte.
cdk_dev_version() { node -p "require('aws-cdk-lib/package.json').version"; }

# record NAME PASSED FAILED [SKIPPED]: prints 'NAME: N passed, N failed' and keeps the counts for summary.sh.
record() {
  local name="$1" passed="$2" failed="$3" skipped="${4:-0}"
  echo "$passed $failed $skipped" > "$COUNTS_DIR/$name.counts"
  if [ "$skipped" -gt 0 ]; then
    echo "$name: $passed passed, $failed failed, $skipped skipped"
  else
    echo "$name: $passed passed, $failed failed"
  fi
}

# The TypeScript reference template the Python and Java consumers compare with (written when missing).
REFERENCE_TEMPLATE="$ROOT/test/consumers/typescript-reference/cdk.out/ConsumerVod.template.json"
ensure_reference_template() {
  if [ ! -f "$REFERENCE_TEMPLATE" ]; then
    bash "$ROOT/scripts/ci/typescript-reference.sh"
  fi
}

# ensure_cfn_lint: installs cfn-lint (the Python package, $CFN_LINT_VERSION) into a venv in the cache when missing, and
# sets CFN_LINT to its executable.
CFN_LINT_VERSION="${CFN_LINT_VERSION:-1.58.0}"
ensure_cfn_lint() {
  local venv="$CACHE_DIR/venv-cfn-lint"
  if ! "$venv/bin/cfn-lint" --version 2>/dev/null | grep -qx "cfn-lint $CFN_LINT_VERSION"; then
    python3 -m venv --clear "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "cfn-lint==$CFN_LINT_VERSION"
  fi
  CFN_LINT="$venv/bin/cfn-lint"
}

# collect_templates NAME: sets the array `templates` to every template the project synthesizes (the example app's,
# written when missing; the integ snapshots'; the consumer reference's), less IntegTest's empty assertion stacks.
collect_templates() {
  ls examples/cdk.out/*.template.json > /dev/null 2>&1 || npx projen example > /dev/null
  ensure_reference_template
  templates=()
  local t
  for t in examples/cdk.out/*.template.json test/integ.*.snapshot/*.template.json "$REFERENCE_TEMPLATE"; do
    if node -e 'process.exit(require(require("path").resolve(process.argv[1])).Resources ? 0 : 1)' "$t"; then
      templates+=("$t")
    else
      echo "$1: skipped (no Resources: an empty IntegTest assertion stack) ${t#"$ROOT/"}"
    fi
  done
}
