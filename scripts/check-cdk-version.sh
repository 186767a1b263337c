#!/usr/bin/env bash
# Says which aws-cdk-lib a binding test runs on, next to npm's newest release and the peer
# minimum in package.json, and fails when it is older than that minimum (each registry publishes
# aws-cdk-lib on its own schedule, so "the newest" differs between npm, PyPI, Maven Central and
# the Go module proxy). Usage: check-cdk-version.sh <language> <version> <where it came from>
set -euo pipefail
cd "$(dirname "$0")/.."
LANGUAGE=$1 VERSION=${2#v} SOURCE=$3
MINIMUM=$(node -p 'require("./package.json").peerDependencies["aws-cdk-lib"].replace(/^[\^~>=\s]+/, "")')
NPM_NEWEST=$(npm view aws-cdk-lib version 2>/dev/null || echo unknown)
echo "test:$LANGUAGE: aws-cdk-lib $VERSION from $SOURCE (npm's newest: $NPM_NEWEST; peer minimum: $MINIMUM)"
if [ "$(printf '%s\n%s\n' "$MINIMUM" "$VERSION" | sort -V | head -1)" != "$MINIMUM" ]; then
  echo "test:$LANGUAGE: aws-cdk-lib $VERSION is older than the peer minimum $MINIMUM" >&2
  exit 1
fi
