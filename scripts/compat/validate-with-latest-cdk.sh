#!/usr/bin/env bash
# aws-cdk-lib's own template validation on our templates: the dev aws-cdk-lib (2.257) has none; 2.276 checks every
# template against the CloudFormation registry schemas at synth ('@aws-cdk/core:validateAgainstDefaultRules' makes
# findings errors). Installs the packed library (dist/js, from `npx projen build`) with aws-cdk-lib $CDK_VALIDATE_VERSION
# into a temporary folder, synthesizes the example app and an access-logs stack there, and fails on any message.
set -euo pipefail
cd "$(dirname "$0")/../.."
version="${CDK_VALIDATE_VERSION:-2.276.0}"
tarball=$(ls dist/js/cdk-mediapackage-vod@*.jsii.tgz 2>/dev/null | head -n 1 || true)
[ -n "$tarball" ] || { echo "no dist/js tarball: run 'npx projen build' (or package:js) first" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "validating with aws-cdk-lib@$version: $tarball"
npm install --prefix "$work" --no-save --no-audit --no-fund --silent "$PWD/$tarball" "aws-cdk-lib@$version" \
  "constructs@$(node -p 'require("./package.json").devDependencies.constructs')" >/dev/null
# The example app, as plain JavaScript that imports the installed package instead of ../src.
npx esbuild examples/app.ts --format=cjs --platform=node --log-level=warning --outfile="$work/example-app.js"
sed -i 's#require("../src")#require("cdk-mediapackage-vod")#' "$work/example-app.js"
cp scripts/compat/validate-app.js "$work/"
(cd "$work" && node validate-app.js --self-check && node validate-app.js)
