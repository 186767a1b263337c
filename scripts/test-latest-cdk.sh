#!/usr/bin/env bash
# Forward-compatibility pass: the jest suite against the newest aws-cdk-lib on the registry (the
# peer range is ^2.257.0, so users get newer versions). Integ snapshots are not involved: the newest
# integ-runner cannot read newer cloud assemblies. Runs in a scratch copy (.tmp/latest-cdk) so the
# project's own node_modules keeps the pinned 2.257.0.
# Jest snapshots are of the pinned version: tests skip them here (CDK_LATEST_PASS), not their
# assertions, and the scratch copy drops the snapshot files (jest fails on unused ones).
# Results: test-reports/latest-cdk.xml (junit, counted by .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SCRATCH=.tmp/latest-cdk
LATEST=${CDK_LATEST_VERSION:-$(npm view aws-cdk-lib version)}
echo "test:latest-cdk: aws-cdk-lib $LATEST"

rm -rf "$SCRATCH"
mkdir -p "$SCRATCH"
tar --exclude=./node_modules --exclude=./.tmp --exclude=./.venv --exclude=./.venv-python \
    --exclude=./test-reports --exclude=./.git --exclude=./dist --exclude='./test/*.snapshot' -cf - . | tar -xf - -C "$SCRATCH"
cd "$SCRATCH"
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
npm install --no-save --ignore-scripts --no-audit --no-fund --loglevel=error "aws-cdk-lib@$LATEST"
node -e "const v=require('aws-cdk-lib/package.json').version; if (v !== process.argv[1]) { console.error('expected aws-cdk-lib ' + process.argv[1] + ', got ' + v); process.exit(1); }" "$LATEST"
npx projen pre-compile
find test -type d -name __snapshots__ -prune -exec rm -rf {} +
mkdir -p "$ROOT/test-reports"
CDK_LATEST_PASS=1 CFN_LINT="$ROOT/.venv/bin/cfn-lint" JEST_JUNIT_OUTPUT_DIR="$ROOT/test-reports" JEST_JUNIT_OUTPUT_NAME=latest-cdk.xml \
  JEST_JUNIT_SUITE_NAME="latest aws-cdk-lib $LATEST" \
  npx jest --ci --coverage=false --reporters=default --reporters=jest-junit
