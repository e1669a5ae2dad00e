#!/usr/bin/env bash
# checkov (the Python package, pinned, from PyPI, into a venv in the cache) on every template the project synthesizes,
# the same set as cfn-lint.sh:
#   - the example app:  examples/cdk.out/*.template.json   (written by `npx projen example` when missing)
#   - the integ apps:   test/integ.*.ts.snapshot/*.template.json (IntegTest's empty assertion stacks are skipped)
#   - the consumer app: test/consumers/typescript-reference/cdk.out/ConsumerVod.template.json (= the Python, Java and
#                       Go consumers' templates, which their tests compare with it)
# A finding is either fixed or skipped in the template itself, with its reason: the resource's
# `Metadata: { checkov: { skip: [{ id, comment }] } }` (the library's constructs write it; docs/security.md lists them).
# The test apps' own resources (the buckets, topic, queues, log groups and plain distribution that the integ and
# consumer apps create around the library, never deployed by CI) are skipped below instead, each by template, logical
# id and check, with its reason: FIXTURE_SKIPS. The example app, which users read, records its reasons in its template.
# It fails on any failed check, and on a skip without a comment (an unexplained finding). Prints each failed check
# and 'checkov: N templates, N passed, N failed, N skipped (each with its reason)'.
source "$(dirname "$0")/lib.sh"

# "<template path, from the repository root>|<logical id>|<check ids>|<reason>", one per test-app resource.
BUCKET='Test source bucket of an integ or consumer app (never deployed by CI): server access logs and versioning belong to the user'"'"'s own bucket.'
LOG_GROUP='Test log group of an integ app for egress access logs (never deployed by CI): its KMS key is the user'"'"'s choice.'
OWN_DISTRIBUTION='A plain cloudfront.Distribution of a test app (the user'"'"'s own distribution with the VOD behaviors, never deployed by CI): WAF, access logs and a certificate are its owner'"'"'s, as VodDistribution'"'"'s skips say.'
FIXTURE_SKIPS=(
  "test/integ.viewer-access.ts.snapshot/MediaPackageVodIntegViewerAccess.template.json|SiteE53D7754|CKV_AWS_68 CKV_AWS_86 CKV_AWS_174|$OWN_DISTRIBUTION"
  "test/integ.access-logs.ts.snapshot/MediaPackageVodIntegAccessLogs.template.json|EgressLogsE25A68D6|CKV_AWS_158|$LOG_GROUP"
  "test/integ.packaging-group.ts.snapshot/MediaPackageVodIntegPackagingGroup.template.json|EgressLogsE25A68D6|CKV_AWS_158|$LOG_GROUP"
  "test/integ.asset.ts.snapshot/MediaPackageVodIntegAsset.template.json|SourcesBE4D2488|CKV_AWS_18 CKV_AWS_21|$BUCKET"
  "test/integ.ingest.ts.snapshot/MediaPackageVodIntegIngest.template.json|Library9A29C343|CKV_AWS_18 CKV_AWS_21|$BUCKET"
  "test/integ.monitoring.ts.snapshot/MediaPackageVodIntegMonitoring.template.json|Library9A29C343|CKV_AWS_18 CKV_AWS_21|$BUCKET"
  "test/consumers/typescript-reference/cdk.out/ConsumerVod.template.json|SourcesBE4D2488|CKV_AWS_18 CKV_AWS_21|$BUCKET"
  "test/consumers/typescript-reference/cdk.out/ConsumerVod.template.json|TitlePlayableTopicC77A5306|CKV_AWS_26|Test SNS topic of the consumer app (never deployed by CI): its KMS key is the user's choice."
  "test/integ.status.ts.snapshot/MediaPackageVodIntegStatus.template.json|Notifications87298708|CKV_AWS_27|Test queue of an integ app (never deployed by CI); SQS encrypts new queues with SQS-managed keys by default."
  "test/integ.status.ts.snapshot/MediaPackageVodIntegStatus.template.json|UndeliveredF3CF66A9|CKV_AWS_27|Test queue of an integ app (never deployed by CI); SQS encrypts new queues with SQS-managed keys by default."
  "test/integ.delivery.ts.snapshot/MediaPackageVodIntegDelivery.template.json|OwnDistribution1CF8B5B7|CKV_AWS_68 CKV_AWS_86 CKV_AWS_174|$OWN_DISTRIBUTION"
  "test/consumers/typescript-reference/cdk.out/ConsumerVod.template.json|Cdn9963B1AD|CKV_AWS_68 CKV_AWS_86 CKV_AWS_174|$OWN_DISTRIBUTION"
  "test/integ.packaging-group.ts.snapshot/MediaPackageVodIntegPackagingGroup.template.json|CdnIdentifier55A08C41|CKV_AWS_149|Test secret of an integ app (never deployed by CI), given with CdnAuthorization.fromSecret: its KMS key is the user's choice."
)

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
    const fixtures = process.argv.slice(3).map(line => line.split("|"));
    let p = 0, f = 0, s = 0, u = 0;
    for (const rep of reports) {
      const res = rep.results || {};
      p += (res.passed_checks || []).length;
      for (const c of res.failed_checks || []) {
        const logicalId = c.resource.split(".").slice(1).join(".");
        const fixture = fixtures.find(x => x[0] === process.argv[2] && x[1] === logicalId && x[2].split(" ").includes(c.check_id));
        if (fixture) {
          s++;
          console.error(`  skipped ${c.check_id} ${c.resource} (${process.argv[2]}): test-app resource: ${fixture[3]}`);
          continue;
        }
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
  ' "$report" "${t#"$ROOT/"}" "${FIXTURE_SKIPS[@]}")
  if [ "$f" -gt 0 ] || [ "$u" -gt 0 ] || { [ "$crc" -ne 0 ] && [ "$crc" -ne 1 ]; }; then rc=1; fi
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s)); unexplained=$((unexplained + u))
done
echo "checkov: ${#templates[@]} templates, $passed passed, $failed failed, $skipped skipped (each with its reason), $unexplained skipped without a reason"
# Counted per check: a skip with its reason counts as skipped, a skip without one as failed.
record checkov "$passed" $((failed + unexplained)) $((skipped - unexplained))
[ "$rc" -eq 0 ] || { echo "checkov: failed checks, or skips without a reason (see above)" >&2; exit 1; }
