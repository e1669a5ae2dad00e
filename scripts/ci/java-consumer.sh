#!/usr/bin/env bash
# The Java consumer: installs the jar jsii-pacmak built (dist/java) into the local Maven repository, then runs the
# JUnit 5 tests of test/consumers/java (assertions on the synthesized template, and the comparison with the TypeScript
# twin's template) against aws-cdk-lib from Maven Central. Needs dist/java (scripts/ci/package-bindings.sh), a JDK 17+
# and mvn. MAVEN_OFFLINE=1 runs Maven offline (-o), which works once a first run has resolved everything.
# Prints the Surefire summary and 'java-consumer: N passed, N failed'.
source "$(dirname "$0")/lib.sh"

pom=$(find dist/java -name 'cdk-mediapackage-vod-*.pom' 2>/dev/null | head -n 1 || true)
[ -n "$pom" ] || { echo "java-consumer: no jar in dist/java: run scripts/ci/package-bindings.sh first" >&2; exit 1; }
pom="$ROOT/$pom"
jar="${pom%.pom}.jar"
library_version=$(basename "$(dirname "$pom")")
ensure_reference_template

# The same aws-cdk-lib as the TypeScript build; CDK_JAVA_VERSION tries another one, e.g. the peer minimum (its counts are
# recorded as java-consumer-cdk-<version>).
cdk_version="${CDK_JAVA_VERSION:-$(cdk_dev_version)}"
name=java-consumer
[ "$cdk_version" = "$(cdk_dev_version)" ] || name="java-consumer-cdk-$cdk_version"
mvn_args=(-B -q -f test/consumers/java/pom.xml)
[ "${MAVEN_OFFLINE:-}" = 1 ] && mvn_args+=(-o)
# Debian's Maven 3.8 writes bare color resets (ESC[0m) even with -B -q: strip them.
run_mvn() { mvn "${mvn_args[@]}" "$@" 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g'; return "${PIPESTATUS[0]}"; }
echo "$name: $(basename "$jar") with aws-cdk-lib $cdk_version, $(java -version 2>&1 | head -n 1)"

# Reinstall every time: a rebuilt 0.0.0 jar must replace the one a previous run left in ~/.m2.
run_mvn install:install-file -Dfile="$jar" -DpomFile="$pom"

rm -rf test/consumers/java/target
set +e
run_mvn test -Dlibrary.version="$library_version" -Dcdk.version="$cdk_version" \
  -Dconsumer.reference.template="$REFERENCE_TEMPLATE"
rc=$?
set -e
reports=(test/consumers/java/target/surefire-reports/TEST-*.xml)
read -r tests failures errors skipped < <(python3 - "${reports[@]}" <<'PY'
import sys, xml.etree.ElementTree as ET
t = f = e = k = 0
for path in sys.argv[1:]:
    try:
        s = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        continue
    t += int(s.get("tests", 0)); f += int(s.get("failures", 0)); e += int(s.get("errors", 0)); k += int(s.get("skipped", 0))
print(t, f, e, k)
PY
)
# Surefire's own summary line (mvn -q hides it).
echo "Tests run: $tests, Failures: $failures, Errors: $errors, Skipped: $skipped"
record "$name" $((tests - failures - errors - skipped)) $((failures + errors)) "$skipped"
[ "$rc" -eq 0 ] && [ "$tests" -gt 0 ] || { echo "$name: mvn test failed (rc=$rc)" >&2; exit 1; }
