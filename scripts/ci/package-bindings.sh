#!/usr/bin/env bash
# Builds the Python wheel (dist/python/*.whl), the Java jar (dist/java/<maven layout>) and the Go module
# (dist/go/cdkmediapackagevod, which pacmak also compiles with `go build`) with jsii-pacmak.
# Needs the compiled assembly (.jsii, lib/): run `npx projen compile` (or build) first. With CI=true projen's
# `package` task only does js, so the language targets are called here explicitly. Go modules and builds are cached
# where Go keeps them by default (GOMODCACHE, GOCACHE).
source "$(dirname "$0")/lib.sh"
[ -f .jsii ] || { echo "package-bindings: no .jsii: run 'npx projen compile' first" >&2; exit 1; }
rm -rf dist/python dist/java dist/go
for target in python java go; do
  start=$(date +%s)
  npx projen "package:$target" > "test-reports/ci/package-$target.log" 2>&1 \
    || { cat "test-reports/ci/package-$target.log"; echo "package-bindings: package:$target failed" >&2; exit 1; }
  echo "package-bindings: package:$target took $(( $(date +%s) - start ))s"
done
ls -1 dist/python/*.whl
find dist/java -name '*.jar' ! -name '*-sources.jar' ! -name '*-javadoc.jar'
ls -1d dist/go/*/go.mod
