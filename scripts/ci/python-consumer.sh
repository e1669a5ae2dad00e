#!/usr/bin/env bash
# The Python consumer: installs the built wheel (dist/python) into a fresh venv with aws-cdk-lib from PyPI and pytest,
# then runs test/consumers/python/test_app.py (assertions on the synthesized template, and the comparison with the
# TypeScript twin's template) and test_signing.py (the backend's signed cookies and URLs, checked with
# test/signing/verify-cli.ts). Needs dist/python (scripts/ci/package-bindings.sh), python3 with venv, and node with the
# repository's node_modules (the verifier).
# Prints pytest's summary and 'python-consumer: N passed, N failed'.
source "$(dirname "$0")/lib.sh"

wheel=$(ls dist/python/*.whl 2>/dev/null | head -n 1 || true)
[ -n "$wheel" ] || { echo "python-consumer: no wheel in dist/python: run scripts/ci/package-bindings.sh first" >&2; exit 1; }
ensure_reference_template

# The same aws-cdk-lib as the TypeScript build (it satisfies the wheel's 'aws-cdk-lib>=<peer minimum>'); override with
# CDK_PYTHON_VERSION to try another one, e.g. the peer minimum (its counts are recorded as python-consumer-cdk-<version>).
cdk_version="${CDK_PYTHON_VERSION:-$(cdk_dev_version)}"
name=python-consumer
[ "$cdk_version" = "$(cdk_dev_version)" ] || name="python-consumer-cdk-$cdk_version"
venv="$CACHE_DIR/venv-python-consumer"
python3 -m venv --clear "$venv"
# botocore (CloudFrontSigner) and cryptography (its RSA signer): the backend signing code of test_signing.py.
"$venv/bin/pip" install --quiet --disable-pip-version-check "$wheel" "aws-cdk-lib==$cdk_version" "pytest>=8,<10" \
  "botocore>=1.34,<2" "cryptography>=42,<51"
echo "$name: $(basename "$wheel") with aws-cdk-lib $cdk_version, $("$venv/bin/python" --version)"

report="$COUNTS_DIR/$name.junit.xml"
set +e
(cd test/consumers/python && PYTHONDONTWRITEBYTECODE=1 CONSUMER_REFERENCE_TEMPLATE="$REFERENCE_TEMPLATE" \
  "$venv/bin/python" -m pytest -p no:cacheprovider -q --junitxml="$report" test_app.py test_signing.py)
rc=$?
set -e
read -r tests failures errors skipped < <(python3 - "$report" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else list(root)
t = sum(int(s.get("tests", 0)) for s in suites)
f = sum(int(s.get("failures", 0)) for s in suites)
e = sum(int(s.get("errors", 0)) for s in suites)
k = sum(int(s.get("skipped", 0)) for s in suites)
print(t, f, e, k)
PY
) || { tests=0; failures=0; errors=1; skipped=0; }
record "$name" $((tests - failures - errors - skipped)) $((failures + errors)) "$skipped"
[ "$rc" -eq 0 ] && [ "$tests" -gt 0 ] || { echo "$name: pytest failed (rc=$rc)" >&2; exit 1; }
