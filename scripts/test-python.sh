#!/usr/bin/env bash
# Python binding smoke test: jsii-pacmak builds the Python package from the compiled jsii
# assembly, a virtualenv installs it with aws-cdk-lib from PyPI, and pytest runs a small Python
# CDK app that synthesizes the library's constructs and asserts on the template.
# Results: test-reports/python.xml (junit, counted by .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

CDK_VERSION=$(node -p "require('./package.json').devDependencies['aws-cdk-lib'].replace(/^[^0-9]*/, '')")
CONSTRUCTS_VERSION=$(node -p "require('./package.json').devDependencies['constructs'].replace(/^[^0-9]*/, '')")
VENV=.venv-python
PY=${PYTHON:-python3}

[ -f .jsii ] || npx projen compile
rm -rf dist/python
npx jsii-pacmak --target python
WHEEL=$(ls dist/python/*.whl)

if [ ! -x "$VENV/bin/pytest" ]; then
  "$PY" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check pytest==8.4.2
fi
"$VENV/bin/pip" install --quiet --disable-pip-version-check "aws-cdk-lib==$CDK_VERSION" "constructs==$CONSTRUCTS_VERSION" "$WHEEL"
# The wheel's version stays 0.0.0 between builds: always replace it with the one just built.
"$VENV/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps "$WHEEL"

mkdir -p test-reports
"$VENV/bin/pytest" -q test/python --junitxml=test-reports/python.xml -o junit_suite_name=python
