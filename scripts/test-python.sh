#!/usr/bin/env bash
# Python binding smoke test: jsii-pacmak builds the Python package from the compiled jsii
# assembly, a FRESH virtualenv gets the NEWEST aws-cdk-lib on PyPI first and then the built wheel
# (pip must keep that aws-cdk-lib: the wheel's requirement is a range, not a pin), and pytest runs
# a small Python CDK app that synthesizes the library's constructs (a service with hooks included)
# and asserts on the template and on the installed aws-cdk-lib version.
# PYTHON_CDK_VERSION overrides the aws-cdk-lib version (e.g. the minimum, 2.257.0).
# Results: test-reports/python.xml (junit, counted by .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv-python
PY=${PYTHON:-python3}
T0=$(date +%s)

# The handler and CLI bundles (assets/, not tracked) go into the package: a clean clone has none.
[ -d assets ] || npx projen bundle
[ -f .jsii ] || npx projen compile
rm -rf dist/python
npx jsii-pacmak --target python
WHEEL=$(ls dist/python/*.whl)
# What jsii-pacmak wrote must be a range for every peer (no exact pin).
npx ts-node --transpile-only scripts/peer-ranges.ts

rm -rf "$VENV"
"$PY" -m venv "$VENV"
PIP=("$VENV/bin/pip" --disable-pip-version-check)
# The newest release PyPI serves (pip's own index query: "aws-cdk-lib (X.Y.Z)").
CDK_VERSION=${PYTHON_CDK_VERSION:-$("${PIP[@]}" index versions aws-cdk-lib 2>/dev/null | sed -n 's/^aws-cdk-lib (\([0-9.]*\)).*/\1/p' | head -1)}
[ -n "$CDK_VERSION" ] || { echo "test:python: pip index versions aws-cdk-lib answered nothing" >&2; exit 1; }
bash scripts/check-cdk-version.sh python "$CDK_VERSION" "$([ -n "${PYTHON_CDK_VERSION:-}" ] && echo PYTHON_CDK_VERSION || echo "PyPI (newest)")"
"${PIP[@]}" install --quiet pytest==8.4.2 "aws-cdk-lib==$CDK_VERSION"
# The wheel with its dependencies resolved by pip, as a user installs it.
"${PIP[@]}" install --quiet "$WHEEL"
INSTALLED=$("$VENV/bin/python" -c "from importlib.metadata import version; print(version('aws-cdk-lib'))")
if [ "$INSTALLED" != "$CDK_VERSION" ]; then
  echo "test:python: installing the wheel changed aws-cdk-lib from $CDK_VERSION to $INSTALLED" >&2
  exit 1
fi

mkdir -p test-reports
EXPECTED_AWS_CDK_LIB_VERSION="$CDK_VERSION" "$VENV/bin/pytest" -q test/python --junitxml=test-reports/python.xml -o junit_suite_name=python
echo "test:python: $(( $(date +%s) - T0 ))s"
