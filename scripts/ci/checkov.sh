#!/usr/bin/env bash
# checkov (the Python package, pinned, from PyPI, into a venv in the cache) on every template the project synthesizes,
# the same set as cfn-lint.sh:
#   - the example app:  examples/cdk.out/*.template.json   (written by `npx projen example` when missing)
#   - the integ apps:   test/integ.*.ts.snapshot/*.template.json (IntegTest's empty assertion stacks are skipped)
#   - the consumer app: test/consumers/typescript-reference/cdk.out/ConsumerVod.template.json (= the Python, Java and
#                       Go consumers' templates, which their tests compare with it)
# A finding is either fixed or skipped in the template itself, with its reason: the resource's
# `Metadata: { checkov: { skip: [{ id, comment }] } }` (the library's constructs write it; docs/security.md lists them).
# The integ apps and the consumer app write the same metadata on their own resources (the buckets, topic, queues,
# log groups, secret and plain distributions they create around the library, never deployed by CI), in all four
# languages of the consumer app, so that its templates stay equal; the example app, which users read, does too.
# It fails on any failed check, and on a skip without a comment (an unexplained finding). Prints each failed check
# and 'checkov: N templates, N passed, N failed, N skipped (each with its reason)'.
source "$(dirname "$0")/lib.sh"

CHECKOV_VERSION="${CHECKOV_VERSION:-3.3.30}"
venv="$CACHE_DIR/venv-checkov"
if ! "$venv/bin/checkov" --version 2>/dev/null | grep -qx "$CHECKOV_VERSION"; then
  python3 -m venv --clear "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "checkov==$CHECKOV_VERSION"
fi
echo "checkov: $("$venv/bin/checkov" --version)"

collect_templates checkov

# Offline and quiet: no download of policies or guidelines from the vendor's platform, no prompt, no colours.
export BC_SKIP_MAPPING=TRUE CHECKOV_NO_OUTPUT_COLORS=1 ANSI_COLORS_DISABLED=1 LOG_LEVEL=ERROR
out="$COUNTS_DIR/checkov"
mkdir -p "$out"
rc=0
passed=0; failed=0; skipped=0; unexplained=0
for t in "${templates[@]}"; do
  report="$out/$(basename "$(dirname "$t")")--$(basename "$t" .template.json).json"
  set +e
  "$venv/bin/checkov" --framework cloudformation --skip-download --compact --output json -f "$t" > "$report"
  crc=$?
  set -e
  # checkov exits 1 on failed checks (counted below) and otherwise on a crash: a report that is not JSON.
  read -r p f s u < <(node -e '
    const fs = require("fs");
    let r;
    try { r = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); } catch (e) { console.log("0 1 0 0"); process.exit(0); }
    // A template with no check that applies gives an empty summary (checkov prints {"passed": 0, ...} or []).
    const reports = Array.isArray(r) ? r : [r];
    let p = 0, f = 0, s = 0, u = 0;
    for (const rep of reports) {
      const res = rep.results || {};
      p += (res.passed_checks || []).length;
      for (const c of res.failed_checks || []) {
        f++;
        console.error(`  FAILED ${c.check_id} ${c.resource} (${process.argv[2]}): ${c.check_name}`);
      }
      for (const c of res.skipped_checks || []) {
        s++;
        const why = (c.check_result && c.check_result.suppress_comment) || "";
        if (!why.trim() || /^No comment provided/i.test(why)) {
          u++;
          console.error(`  SKIPPED WITHOUT A REASON ${c.check_id} ${c.resource} (${process.argv[2]})`);
        }
      }
    }
    console.log([p, f, s, u].join(" "));
  ' "$report" "${t#"$ROOT/"}")
  if [ "$f" -gt 0 ] || [ "$u" -gt 0 ] || { [ "$crc" -ne 0 ] && [ "$crc" -ne 1 ]; }; then rc=1; fi
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s)); unexplained=$((unexplained + u))
done
echo "checkov: ${#templates[@]} templates, $passed passed, $failed failed, $skipped skipped (each with its reason), $unexplained skipped without a reason"
# Counted per check: a skip with its reason counts as skipped, a skip without one as failed.
record checkov "$passed" $((failed + unexplained)) $((skipped - unexplained))
[ "$rc" -eq 0 ] || { echo "checkov: failed checks, or skips without a reason (see above)" >&2; exit 1; }
