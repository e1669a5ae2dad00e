#!/usr/bin/env bash
# Integ tests without an AWS account: integ-runner synthesizes every test/integ.*.ts and compares the templates with the
# committed snapshots (test/integ.*.ts.snapshot/); nothing is deployed. Fails on any difference.
#
#   scripts/ci/integ.sh            compare (CI)
#   scripts/ci/integ.sh --update   rewrite the snapshots of changed or new tests (then review and commit them)
#
# The handler bundle is rebuilt first: the access-logs snapshot names its asset hash.
# Prints integ-runner's results and 'integ: N passed, N failed'.
source "$(dirname "$0")/lib.sh"

npx projen bundle > /dev/null

# ts-node in transpile-only mode: the type check is tsc's/eslint's job, and a full check of src/ per test costs ~20 s
# on 2 cores. One region: nothing is deployed, so more regions only run the same synth again.
args=(--directory test --language typescript --app "ts-node --transpile-only --project tsconfig.dev.json {filePath}"
  --parallel-regions us-east-1)
if [ "${1:-}" = "--update" ]; then
  args+=(--update-on-failed --dry-run --no-update-workflow)
fi

log="$COUNTS_DIR/integ.log"
set +e
npx integ-runner "${args[@]}" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
# 'Tests:    3 passed, 3 total' / 'Tests:    1 failed, 3 total' (the last such line is the final result).
line=$(grep -E '^Tests: ' "$log" | tail -n 1 || true)
total=$(echo "$line" | sed -nE 's/.* ([0-9]+) total.*/\1/p')
failed=$(echo "$line" | sed -nE 's/.* ([0-9]+) failed.*/\1/p')
total=${total:-0}; failed=${failed:-0}
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
record integ $((total - failed)) "$failed"
[ "$rc" -eq 0 ] && [ "$total" -gt 0 ] || { echo "integ: integ-runner failed (rc=$rc)" >&2; exit 1; }
