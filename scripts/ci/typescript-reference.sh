#!/usr/bin/env bash
# Synthesizes the TypeScript twin of the Python and Java consumer apps (test/consumers/typescript-reference/app.ts,
# built from src/) and writes its template to test/consumers/typescript-reference/cdk.out/ConsumerVod.template.json,
# which python-consumer.sh and java-consumer.sh compare with. Prints one line.
source "$(dirname "$0")/lib.sh"
npx ts-node --transpile-only --project tsconfig.dev.json test/consumers/typescript-reference/app.ts "$REFERENCE_TEMPLATE"
