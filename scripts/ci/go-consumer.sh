#!/usr/bin/env bash
# The Go consumer: runs `go test` in test/consumers/go (assertions on the synthesized template, and the comparison with
# the TypeScript twin's template, byte for byte) against the Go module jsii-pacmak built into dist/go/cdkmediapackagevod
# (scripts/ci/package-bindings.sh), which the consumer's go.mod uses through a replace directive, and aws-cdk-go from
# the Go module proxy. Needs dist/go, go 1.25+ and node.
# Modules and builds are cached where Go keeps them by default (GOMODCACHE, GOCACHE): a second run downloads nothing.
# GO_OFFLINE=1 runs with GOPROXY=off, which works once a first run has filled the module cache.
# Checksums: test/consumers/go/go.sum is committed (go test runs -mod=readonly: a module missing from it fails); the
# generated module is a local directory, which Go does not checksum.
# Before the tests, the README's Go example is compiled and run, and the Go module's README is checked to lead with the
# Go example of app.go (scripts/go-readme.ts; a failure of either is counted as one failed test).
# ./signing is the Go backend's signing code (aws-sdk-go-v2 feature/cloudfront/sign, in go.mod); its test checks the
# cookies and URLs with test/signing/verify-cli.ts (node and the repository's node_modules).
# Prints the failing tests' output and 'go-consumer: N passed, N failed'.
source "$(dirname "$0")/lib.sh"

module_dir=dist/go/cdkmediapackagevod
[ -f "$module_dir/go.mod" ] || { echo "go-consumer: no $module_dir: run scripts/ci/package-bindings.sh first" >&2; exit 1; }
ensure_reference_template
[ "${GO_OFFLINE:-}" = 1 ] && export GOPROXY=off
consumer_dir=test/consumers/go

# aws-cdk-go must be the aws-cdk-lib of the TypeScript build (so the templates can be equal), and jsii-runtime-go the
# version the generated go.mod requires: both are pinned in test/consumers/go/go.mod (with their go.sum lines).
selected() { (cd "$consumer_dir" && go list -mod=readonly -m -f '{{.Version}}' "$1"); }
required() { awk -v m="$1" '$1 == m { print $2 }' "$module_dir/go.mod"; }
cdk_go=$(selected github.com/aws/aws-cdk-go/awscdk/v2)
runtime_go=$(selected github.com/aws/jsii-runtime-go)
if [ "$cdk_go" != "v$(cdk_dev_version)" ] || [ "$runtime_go" != "$(required github.com/aws/jsii-runtime-go)" ]; then
  echo "go-consumer: $consumer_dir/go.mod has aws-cdk-go $cdk_go and jsii-runtime-go $runtime_go; node_modules has" \
    "aws-cdk-lib $(cdk_dev_version) and $module_dir/go.mod requires jsii-runtime-go $(required github.com/aws/jsii-runtime-go)." \
    "Update them: cd $consumer_dir && go get github.com/aws/aws-cdk-go/awscdk/v2@v$(cdk_dev_version)" \
    "github.com/aws/jsii-runtime-go@$(required github.com/aws/jsii-runtime-go) && go mod tidy" >&2
  record go-consumer 0 1
  exit 1
fi
echo "go-consumer: $module_dir with aws-cdk-go $cdk_go, jsii-runtime-go $runtime_go, $(go version | cut -d' ' -f3)"

# The README's Go example (the one ```go block of its '## Go' section) compiles and runs against the module; it goes into
# test/consumers/go/readme (gitignored), inside the consumer's module so that it uses the same go.mod.
readme_dir="$consumer_dir/readme"
rm -rf "$readme_dir" && mkdir -p "$readme_dir"
awk '/^## /{go = ($0 == "## Go")} go && /^```go$/{on = 1; next} on && /^```$/{on = 0} on' README.md > "$readme_dir/main.go"
if [ ! -s "$readme_dir/main.go" ] || ! (cd "$consumer_dir" && go run -mod=readonly -buildvcs=false ./readme); then
  echo "go-consumer: the README's Go example (section '## Go') is missing, or does not compile or run" >&2
  record go-consumer 0 1
  exit 1
fi
echo "go-consumer: the README's Go example compiles and synthesizes"

# The Go module's README (package:go: jsii-pacmak, then scripts/go-readme.ts) leads with the Go example of app.go: its
# first code block, before any section and after a sentence saying that the examples after it are machine translations,
# is exactly the lines of app.go between each '// go-readme:begin' and '// go-readme:end' (regions without their outer
# empty lines, joined by one empty line), the code `go test` compiles below.
awk '
  /^[[:space:]]*\/\/ go-readme:end/ { on = 0; sub(/\n+$/, "", buf); out = out (n++ ? "\n\n" : "") buf; buf = ""; next }
  on && buf == "" && /^[[:space:]]*$/ { next }
  on { buf = (buf == "" ? $0 : buf "\n" $0) }
  /^[[:space:]]*\/\/ go-readme:begin/ { on = 1 }
  END { print out }
' "$consumer_dir/app.go" > "$readme_dir/lead.expected"
awk '
  /^## / && !on { print "(a section before the first code block: " $0 ")"; exit }
  /machine translations/ && !on { said = 1 }
  /^```/ && !on {
    if ($0 != "```go" || !said) { print "(first code block " $0 (said ? "" : ", no \"machine translations\" before it") ")"; exit }
    on = 1; next
  }
  /^```$/ && on { exit }
  on { print }
' "$module_dir/README.md" > "$readme_dir/lead.actual"
if ! grep -q '[^[:space:]]' "$readme_dir/lead.expected" || ! diff -u "$readme_dir/lead.expected" "$readme_dir/lead.actual"; then
  echo "go-consumer: $module_dir/README.md does not lead with the Go example of $consumer_dir/app.go (between its" \
    "go-readme markers; the diff above: - app.go, + README). The package:go task writes it (scripts/go-readme.ts)." >&2
  record go-consumer 0 1
  exit 1
fi
echo "go-consumer: $module_dir/README.md leads with the $(wc -l < "$readme_dir/lead.expected")-line Go example of $consumer_dir/app.go"

report="$COUNTS_DIR/go-consumer.json"
set +e
(cd "$consumer_dir" && CONSUMER_REFERENCE_TEMPLATE="$REFERENCE_TEMPLATE" go test -mod=readonly -count=1 -json . ./signing) > "$report"
rc=$?
set -e
# go test -json: one event per line; a top-level test ends with Action pass, fail or skip. Prints failures' output.
read -r passed failed skipped < <(node - "$report" <<'JS'
const lines = require('fs').readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
const output = new Map(); const counts = { pass: 0, fail: 0, skip: 0 }; const other = [];
for (const line of lines) {
  let e; try { e = JSON.parse(line); } catch { other.push(line); continue; }
  if (e.Action === 'output' && e.Test) output.set(e.Test, (output.get(e.Test) ?? '') + e.Output);
  else if (e.Action === 'build-output' || (e.Action === 'output' && !e.Test)) other.push(e.Output.replace(/\n$/, ''));
  if (e.Test && !e.Test.includes('/') && e.Action in counts) {
    counts[e.Action]++;
    if (e.Action === 'fail') process.stderr.write(output.get(e.Test) ?? `--- FAIL: ${e.Test}\n`);
  }
}
if (counts.pass + counts.fail + counts.skip === 0) process.stderr.write(other.join('\n') + '\n');  // build failure
console.log(counts.pass, counts.fail, counts.skip);
JS
)
if [ $((passed + failed + skipped)) -eq 0 ] && [ "$rc" -ne 0 ]; then failed=1; fi   # did not build
record go-consumer "$passed" "$failed" "$skipped"
[ "$rc" -eq 0 ] && [ "$passed" -gt 0 ] || { echo "go-consumer: go test failed (rc=$rc)" >&2; exit 1; }
