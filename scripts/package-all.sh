#!/usr/bin/env bash
# Packages every jsii target into dist/: npm and Python always; Java (Maven), Go and .NET when
# their toolchains are on the PATH (missing ones are reported and skipped). Not part of CI, which
# builds and tests the Python package only (`npm run test:python`).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f .jsii ] || npx projen compile
targets=(js python)
command -v mvn >/dev/null && targets+=(java) || echo "package:all: mvn not found, skipping Java"
command -v go >/dev/null && targets+=(go) || echo "package:all: go not found, skipping Go"
command -v dotnet >/dev/null && targets+=(dotnet) || echo "package:all: dotnet not found, skipping .NET"
for t in "${targets[@]}"; do
  echo "package:all: $t"
  npx jsii-pacmak --target "$t"
done
ls -R dist | head -50
