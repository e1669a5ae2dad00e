#!/usr/bin/env bash
# The closing line of CI: adds up jest's result (test-results.json, when present) and the counts that the scripts in
# scripts/ci recorded in test-reports/ci/*.counts, prints one line per source and then 'N passed, N failed'.
# Exits non-zero when anything failed, or when a step named on the command line recorded nothing (it did not run).
#   scripts/ci/summary.sh [expected step names...]     e.g. summary.sh rosetta integ cfn-lint python-consumer java-consumer
#   scripts/ci/summary.sh --reset                      forget the counts of an earlier run (start of CI)
source "$(dirname "$0")/lib.sh"
if [ "${1:-}" = "--reset" ]; then rm -f "$COUNTS_DIR"/*.counts; exit 0; fi

passed=0; failed=0; skipped=0
if [ -f test-results.json ]; then
  read -r p f s < <(node -p 'const r = require("./test-results.json");
    [r.numPassedTests, r.numFailedTests + r.numRuntimeErrorTestSuites, r.numPendingTests].join(" ")')
  echo "  jest: $p passed, $f failed, $s skipped"
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
fi
for name in "$@"; do
  [ -f "$COUNTS_DIR/$name.counts" ] || { echo "  $name: did not run"; failed=$((failed + 1)); }
done
for file in "$COUNTS_DIR"/*.counts; do
  [ -f "$file" ] || continue
  read -r p f s < "$file"
  echo "  $(basename "$file" .counts): $p passed, $f failed, $s skipped"
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
done
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
