#!/usr/bin/env bash
# Go bindings (`npx projen package:go`): jsii-pacmak generates the Go module into
# dist/go/cdkecsbluegreen (code only; its go.mod requires the peer minimums, aws-cdk-go v2.257.0
# and constructs-go v10.5.1, as every jsii target does), then a scratch copy in .tmp/go-package
# is tidied against the newest versions the Go module proxy lists and built, which proves the
# generated code compiles. jsii-pacmak's own build step runs `go mod tidy` on the minimums,
# which needs cloud-assembly-schema-go/v53@v53.28.0, a version the module proxy here refuses
# (403); that run fails and leaves dist/go/local.go.mod behind. dist/go holds the module only
# (no go.sum: a module's go.sum is not used by the apps that require it).
# GO_CDK_VERSION, GO_CONSTRUCTS_VERSION, GO_JSII_RUNTIME_VERSION override the versions built with.
set -euo pipefail
cd "$(dirname "$0")/.."
# The generated module and the app live inside this repository's git work tree: no VCS stamping.
case " ${GOFLAGS:-} " in *" -buildvcs="*) ;; *) export GOFLAGS="${GOFLAGS:+$GOFLAGS }-buildvcs=false" ;; esac
MOD_DIR=dist/go/cdkecsbluegreen

# The newest release (no pre-release) the Go module proxy lists for a module.
newest() { go list -m -versions "$1" | tr ' ' '\n' | grep -E '^v[0-9]+\.[0-9]+\.[0-9]+$' | sort -V | tail -1 | sed 's/^v//'; }

# The handler and CLI bundles (assets/, not tracked) go into the package: a clean clone has none.
[ -d assets ] || npx projen bundle
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

SCRATCH=.tmp/go-package
rm -rf "$SCRATCH" && mkdir -p "$(dirname "$SCRATCH")" && cp -r "$MOD_DIR" "$SCRATCH"
(
  cd "$SCRATCH"
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
rm -rf "$SCRATCH"
# Nothing but the module itself.
stray=$(find dist/go -mindepth 1 -maxdepth 1 ! -name cdkecsbluegreen)
[ -z "$stray" ] || { echo "package:go: stray files in dist/go: $stray" >&2; exit 1; }
# The published go.mod keeps the peer minimums (scripts/peer-ranges.ts checks them).
npx ts-node --transpile-only scripts/peer-ranges.ts
echo "dist/go: $(cd "$MOD_DIR" && go list -m), built with aws-cdk-go $GO_CDK_VERSION"
