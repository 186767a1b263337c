#!/usr/bin/env bash
# Go bindings (`npx projen package:go`): jsii-pacmak generates the Go module into
# dist/go/cdkecsbluegreen (code only), then its go.mod is tidied against versions the Go module
# proxy serves and the module is built. jsii-pacmak's own build step runs `go mod tidy` on the
# go.mod it wrote (aws-cdk-go v2.257.0, the peer minimum), which pulls in
# cloud-assembly-schema-go/v53@v53.28.0, a version the proxy may refuse; the run then fails and
# leaves dist/go/local.go.mod behind. Here the direct requirements are raised to the newest
# release the proxy lists (or GO_CDK_VERSION, GO_CONSTRUCTS_VERSION, GO_JSII_RUNTIME_VERSION) and
# the indirect ones are left to `go mod tidy`.
set -euo pipefail
cd "$(dirname "$0")/.."
MOD_DIR=dist/go/cdkecsbluegreen

# The newest release (no pre-release) the Go module proxy lists for a module.
newest() { go list -m -versions "$1" | tr ' ' '\n' | grep -E '^v[0-9]+\.[0-9]+\.[0-9]+$' | sort -V | tail -1 | sed 's/^v//'; }

[ -f .jsii ] || npx projen compile
rm -rf dist/go
npx jsii-pacmak --target go --code-only
[ -f "$MOD_DIR/go.mod" ] || { echo "package:go: jsii-pacmak wrote no $MOD_DIR/go.mod" >&2; exit 1; }

GO_CDK_VERSION=${GO_CDK_VERSION:-$(newest github.com/aws/aws-cdk-go/awscdk/v2)}
GO_CONSTRUCTS_VERSION=${GO_CONSTRUCTS_VERSION:-$(newest github.com/aws/constructs-go/constructs/v10)}
GO_JSII_RUNTIME_VERSION=${GO_JSII_RUNTIME_VERSION:-$(newest github.com/aws/jsii-runtime-go)}
for v in GO_CDK_VERSION GO_CONSTRUCTS_VERSION GO_JSII_RUNTIME_VERSION; do
  [ -n "${!v}" ] || { echo "package:go: no version for $v (go list -m -versions answered nothing)" >&2; exit 1; }
done
echo "package:go: aws-cdk-go $GO_CDK_VERSION, constructs-go $GO_CONSTRUCTS_VERSION, jsii-runtime-go $GO_JSII_RUNTIME_VERSION"

(
  cd "$MOD_DIR"
  # Indirect requirements follow from the direct ones: drop those jsii-pacmak pinned.
  for m in $(go mod edit -json | node -e 'const m = JSON.parse(require("fs").readFileSync(0, "utf8")); for (const r of m.Require ?? []) if (r.Indirect) console.log(r.Path);'); do
    go mod edit -droprequire="$m"
  done
  go mod edit \
    -require="github.com/aws/aws-cdk-go/awscdk/v2@v$GO_CDK_VERSION" \
    -require="github.com/aws/constructs-go/constructs/v10@v$GO_CONSTRUCTS_VERSION" \
    -require="github.com/aws/jsii-runtime-go@v$GO_JSII_RUNTIME_VERSION"
  go mod tidy
  go build ./...
)
# Nothing but the module itself.
stray=$(find dist/go -mindepth 1 -maxdepth 1 ! -name cdkecsbluegreen)
[ -z "$stray" ] || { echo "package:go: stray files in dist/go: $stray" >&2; exit 1; }
echo "dist/go: $(cd "$MOD_DIR" && go list -m)"
