#!/usr/bin/env bash
# The README's (and the API docs') TypeScript examples compile, and translate to Python, Java and Go: jsii-rosetta extract
# in strict mode over the compiled assembly (.jsii, whose readme is README.md as of the last compile), with the fixture
# rosetta/default.ts-fixture. Writes the tablet .jsii.tabl.json next to .jsii, which jsii-pacmak then uses for the
# READMEs of the Python, Java and Go packages: run it after compile and before package-bindings.sh. (Rosetta's Go is
# approximate, not always compilable Go: the README's own Go example is compiled and run by go-consumer.sh.)
# Prints rosetta's diagnostics and 'rosetta: N passed, N failed' (N = snippets).
source "$(dirname "$0")/lib.sh"
[ -f .jsii ] || { echo "rosetta: no .jsii: run 'npx projen compile' first" >&2; exit 1; }

log="$COUNTS_DIR/rosetta.log"
rm -f .jsii.tabl.json
set +e
npx jsii-rosetta extract --strict 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e

# Every snippet compiled, and has a Python, a Java and a Go translation.
read -r total good < <(node -e '
  const fs = require("fs");
  if (!fs.existsSync(".jsii.tabl.json")) { console.log("0 0"); process.exit(0); }
  const snippets = Object.values(require("./.jsii.tabl.json").snippets);
  const good = snippets.filter(s => s.didCompile && s.translations.python && s.translations.java && s.translations.go);
  for (const s of snippets.filter(x => !good.includes(x))) {
    console.error(`rosetta: not compiled or not translated: ${JSON.stringify(s.location)}`);
  }
  console.log(snippets.length, good.length);
')
if [ "$total" -eq 0 ] && [ "$rc" -ne 0 ]; then total=1; fi   # rosetta failed before writing the tablet
record rosetta "$good" $((total - good))
if [ "$rc" -ne 0 ]; then
  echo "rosetta: an example does not compile (diagnostics above; the fixture is rosetta/default.ts-fixture)" >&2
  exit 1
fi
[ "$total" -gt 0 ] && [ "$good" -eq "$total" ] || { echo "rosetta: no snippet, or one without Python/Java/Go" >&2; exit 1; }
