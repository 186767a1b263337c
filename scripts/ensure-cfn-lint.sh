#!/usr/bin/env bash
# Installs cfn-lint (AWS CloudFormation Linter, PyPI) into the project's .venv, once.
# The version is pinned so that findings are reproducible; bump it deliberately.
set -euo pipefail
CFN_LINT_VERSION="1.58.0"
cd "$(dirname "$0")/.."
VENV=.venv
if [ -x "$VENV/bin/cfn-lint" ] && "$VENV/bin/cfn-lint" --version 2>/dev/null | grep -q "$CFN_LINT_VERSION"; then
  exit 0
fi
PY=${PYTHON:-python3}
command -v "$PY" >/dev/null || { echo "ensure-cfn-lint: python3 is required (>= 3.9)" >&2; exit 1; }
"$PY" -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "cfn-lint==$CFN_LINT_VERSION"
"$VENV/bin/cfn-lint" --version
