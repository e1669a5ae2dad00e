#!/usr/bin/env bash
# Type-checks src/ against the oldest aws-cdk-lib the package accepts (the peer minimum in package.json), so that the
# library never uses an aws-cdk-lib API newer than what it promises to users. Tests run against the dev version.
set -euo pipefail
cd "$(dirname "$0")/../.."
min=$(node -p 'require("./package.json").peerDependencies["aws-cdk-lib"].replace(/^[^0-9]*/, "")')
constructs=$(node -p 'require("./package.json").devDependencies["constructs"]')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "type-checking src/ against aws-cdk-lib@$min (peer minimum), constructs@$constructs"
(cd "$work" && npm install --no-save --no-audit --no-fund --silent "aws-cdk-lib@$min" "constructs@$constructs" >/dev/null)
cat > "$work/tsconfig.json" <<JSON
{
  "extends": "$PWD/tsconfig.json",
  "compilerOptions": {
    "noEmit": true,
    "rootDir": "$PWD/src",
    "ignoreDeprecations": "6.0",
    "baseUrl": "$work",
    "paths": {
      "aws-cdk-lib": ["node_modules/aws-cdk-lib"],
      "aws-cdk-lib/*": ["node_modules/aws-cdk-lib/*"],
      "constructs": ["node_modules/constructs"]
    },
    "typeRoots": ["$PWD/node_modules/@types"]
  },
  "include": ["$PWD/src/**/*.ts"],
  "exclude": ["$PWD/src/access-logs/handler/**"]
}
JSON
npx tsc -p "$work/tsconfig.json"
echo "src/ compiles against aws-cdk-lib@$min"
