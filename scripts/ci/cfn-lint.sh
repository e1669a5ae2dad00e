#!/usr/bin/env bash
# cfn-lint (the Python package, from PyPI, into a venv) on every template the project synthesizes:
#   - the example app:  examples/cdk.out/*.template.json   (written by `npx projen example` when missing)
#   - the integ apps:   test/integ.*.ts.snapshot/*.template.json (scripts/ci/integ.sh proves they are what the apps
#                       synthesize today); IntegTest's empty assertion stacks (no Resources) are skipped
#   - the consumer app: test/consumers/typescript-reference/cdk.out/ConsumerVod.template.json (= the Python and Java
#                       consumers' templates, which their tests compare with it)
# Fails on any error (--non-zero-exit-code error). Prints each finding and
# 'cfn-lint: N templates, N errors, N warnings, N informational'.
#
# Rules ignored, and why:
#   W3005 (DependsOn already enforced by a GetAtt/Ref), in templates with a CustomResourceProvider or an aws-cdk-lib lambda.Function only: aws-cdk-lib's
#         CustomResourceProvider (core) renders its Lambda function with both DependsOn <its role> and
#         Role: GetAtt <its role>, and so does lambda.Function (DependsOn its role and default policy). Harmless, outside this library's control.
source "$(dirname "$0")/lib.sh"

ensure_cfn_lint
echo "cfn-lint: $("$CFN_LINT" --version)"

collect_templates cfn-lint

out="$COUNTS_DIR/cfn-lint.txt"
: > "$out"
rc=0
for t in "${templates[@]}"; do
  ignore=()
  # aws-cdk-lib's lambda.Function also adds DependsOn on the role it references with GetAtt: the same false positive.
  if grep -q -e 'CustomResourceProviderHandler' -e '"AWS::Lambda::Function"' "$t"; then ignore=(--ignore-checks W3005); fi
  set +e
  "$CFN_LINT" --format parseable --non-zero-exit-code error "${ignore[@]}" -- "$t" >> "$out"
  trc=$?
  set -e
  [ "$trc" -eq 0 ] || rc=1
done
sed "s|^$ROOT/||" "$out"
count() { grep -cE "^[^:]+(:[0-9]+){4}:$1[0-9]+:" "$out" || true; }
errors=$(count E); warnings=$(count W); infos=$(count I)
echo "cfn-lint: ${#templates[@]} templates, $errors errors, $warnings warnings, $infos informational"
# A template passes when it has no error (warnings are printed above, and counted).
failed_templates=$({ grep -E "^[^:]+(:[0-9]+){4}:E[0-9]+:" "$out" || true; } | cut -d: -f1 | sort -u | wc -l)
record cfn-lint $(( ${#templates[@]} - failed_templates )) "$failed_templates"
[ "$rc" -eq 0 ] || { echo "cfn-lint: errors found" >&2; exit 1; }
