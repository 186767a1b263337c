#!/usr/bin/env bash
# `npm run rosetta:extract`: jsii-rosetta compiles every README and @example snippet of the
# assembly (.jsii) with rosetta/default.ts-fixture and translates it to Python, Java, C# and Go
# (the implicit tablet .jsii.tabl.json, gitignored). --strict fails on any diagnostic, so every
# TypeScript example shown on Construct Hub translates.
# The compilation directory resolves `cdk-ecs-blue-green` to this package and everything else
# (aws-cdk-lib, constructs, cdk-nag for the README's cdk-nag examples) from node_modules; without
# one, jsii-rosetta runs `npm install` into a scratch directory and knows only the assembly's
# dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f .jsii ] || npx projen compile
DIR=.tmp/rosetta
rm -rf "$DIR" && mkdir -p "$DIR/node_modules"
trap 'rm -rf "$DIR"' EXIT
ln -s ../../.. "$DIR/node_modules/cdk-ecs-blue-green"
npx jsii-rosetta extract --strict --directory "$DIR" .jsii
