#!/usr/bin/env bash
# Go binding smoke test (`npm run test:go`): `package:go` generates the Go module into dist/go and
# tidies it against the NEWEST aws-cdk-go the Go module proxy lists; the Go app in test/go is
# copied into .tmp/go-smoke, requires that aws-cdk-go with a replace to dist/go, builds, and its
# `go test` synthesizes one BlueGreenEcsService (canary, one hook) and asserts the rendered
# service and the aws-cdk-go version in the binary. Results: test-reports/go.xml (junit, counted
# by .ci/run). Go's module and build caches are Go's defaults under $HOME (GOMODCACHE, GOCACHE),
# so a second run (or stage) reuses them. GO_CDK_VERSION overrides the aws-cdk-go version.
set -euo pipefail
cd "$(dirname "$0")/.."
# The generated module and the app live inside this repository's git work tree: no VCS stamping.
case " ${GOFLAGS:-} " in *" -buildvcs="*) ;; *) export GOFLAGS="${GOFLAGS:+$GOFLAGS }-buildvcs=false" ;; esac
ROOT=$(pwd)
T0=$(date +%s)
APP=.tmp/go-smoke
newest() { go list -m -versions "$1" | tr ' ' '\n' | grep -E '^v[0-9]+\.[0-9]+\.[0-9]+$' | sort -V | tail -1 | sed 's/^v//'; }

command -v go >/dev/null || { echo "test:go: go is not on the PATH" >&2; exit 1; }
export GO_CDK_VERSION=${GO_CDK_VERSION:-$(newest github.com/aws/aws-cdk-go/awscdk/v2)}
bash scripts/check-cdk-version.sh go "$GO_CDK_VERSION" "Go module proxy (aws-cdk-go)"
bash scripts/package-go.sh
T_PACKAGE=$(( $(date +%s) - T0 ))

rm -rf "$APP" && mkdir -p "$APP"
cp test/go/go.mod test/go/*.go "$APP/"
MODULE=$(cd dist/go/cdkecsbluegreen && go list -m)
(
  cd "$APP"
  go mod edit -require="$MODULE@v0.0.0" -replace="$MODULE=$ROOT/dist/go/cdkecsbluegreen" \
    -require="github.com/aws/aws-cdk-go/awscdk/v2@v$GO_CDK_VERSION"
  go mod tidy
  SELECTED=$(go list -m -f '{{.Version}}' github.com/aws/aws-cdk-go/awscdk/v2)
  [ "$SELECTED" = "v$GO_CDK_VERSION" ] || { echo "test:go: go mod tidy selected aws-cdk-go $SELECTED, not v$GO_CDK_VERSION" >&2; exit 1; }
  go build -o go-smoke .
  mkdir -p "$ROOT/test-reports"
  set +e
  EXPECTED_AWS_CDK_GO_VERSION="$GO_CDK_VERSION" go test -count=1 -json . > go-test.json
  STATUS=$?
  set -e
  node "$ROOT/scripts/go-junit.js" go-test.json "$ROOT/test-reports/go.xml"
  exit $STATUS
)
echo "test:go: packaging ${T_PACKAGE}s, total $(( $(date +%s) - T0 ))s"
