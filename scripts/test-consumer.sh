#!/usr/bin/env bash
# Installs the library as a user does and uses it: packs it (npm pack), creates a fresh CDK app
# outside the repository (mktemp, its own package.json, no way to reach the repo's node_modules),
# and for the NEWEST aws-cdk-lib on the registry and for the oldest supported one (the peer
# range's minimum, 2.257.0):
#   - plain `npm install` of aws-cdk-lib@V, constructs, cdk-nag and the tarball (no
#     --legacy-peer-deps, no --force), failing on any ERESOLVE / peer-dependency warning;
#   - checks that exactly aws-cdk-lib V is installed (no second copy, no downgrade);
#   - compiles the example apps (examples/*.ts, imports rewritten from '../src' to
#     'cdk-ecs-blue-green') against the installed package and synthesizes them at every migration
#     phase with the context `cdk init` writes into a new app's cdk.json: every recommended feature
#     flag of the installed aws-cdk-lib (its recommended-feature-flags.json, the list the CLI's
#     `cdk init` copies; FEATURE_FLAGS.md "Currently recommended cdk.json"), so on the newest
#     aws-cdk-lib @aws-cdk/core:validateAgainstDefaultRules is on;
#   - checks each synthesis with cdk-nag 2.x (an aspect, its findings are errors) and, on the newest
#     aws-cdk-lib, cdk-nag 3.x in the same synthesis (a policy validation plugin, installed as the
#     alias cdk-nag3 beside 2.x in the same app: one install, no second synthesis). aws-cdk-lib's
#     validation report (validation-report.json) must hold no CloudFormation Validate finding (error
#     or warning: they count like cfn-lint's) and no cdk-nag 3 finding on a resource the library
#     creates (its creation stack trace passes through cdk-ecs-blue-green; the examples' own
#     resources carry cdk-nag 2 suppressions only, their cdk-nag 3 findings are counted, not failed);
#   - compiles the README's cdk-nag 3 setup (```ts nag3 blocks, scripts/readme-nag3-snippets.js) with
#     the examples against cdk-nag 3 (test/readme.test.ts compiles the ```ts blocks against the
#     repository's cdk-nag 2);
#   - runs cfn-lint and the cdk-nag report check over the templates;
#   - runs the installed `ecs-blue-green --help`.
# Each check is one junit testcase in test-reports/consumer.xml (counted by .ci/run).
# CONSUMER_CDK_VERSIONS overrides the versions ("2.276.0 2.257.0"); KEEP_CONSUMER=1 keeps the app.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
REPORT="$ROOT/test-reports/consumer.xml"
mkdir -p "$ROOT/test-reports"
MIN_CDK=$(node -p "require('./package.json').peerDependencies['aws-cdk-lib'].replace(/^\^/, '')")
CONSTRUCTS_RANGE=$(node -p "require('./package.json').peerDependencies.constructs")
CDK_NAG_RANGE=$(node -p "require('./package.json').devDependencies['cdk-nag']")
CDK_NAG3_RANGE=^3
TYPESCRIPT_RANGE=$(node -p "require('./package.json').devDependencies.typescript")
NODE_TYPES_RANGE=$(node -p "require('./package.json').devDependencies['@types/node']")
T0=$(date +%s)

CASES=()
FAILED=0
# record NAME SECONDS [FAILURE MESSAGE]
record() {
  local msg=${3:-}
  if [ -n "$msg" ]; then
    FAILED=$((FAILED + 1))
    echo "test:consumer: FAILED $1: $msg"
    CASES+=("<testcase classname=\"consumer\" name=\"$1\" time=\"$2\"><failure message=\"$(printf '%s' "$msg" | head -c 2000 | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g')\"/></testcase>")
  else
    echo "test:consumer: ok $1 (${2}s)"
    CASES+=("<testcase classname=\"consumer\" name=\"$1\" time=\"$2\"/>")
  fi
}
write_report() {
  {
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    echo "<testsuites><testsuite name=\"consumer\" tests=\"${#CASES[@]}\" failures=\"$FAILED\">"
    printf '%s\n' "${CASES[@]}"
    echo '</testsuite></testsuites>'
  } > "$REPORT"
}
# check NAME COMMAND...: runs the command, records it with its time and, on failure, its output's tail.
check() {
  local name=$1; shift
  local t=$(date +%s) out
  if out=$("$@" 2>&1); then
    record "$name" $(( $(date +%s) - t ))
  else
    echo "$out" | tail -40
    record "$name" $(( $(date +%s) - t )) "$(echo "$out" | tail -5 | tr '\n' ' ')"
    return 1
  fi
}

WORK=$(mktemp -d -t cdk-ecs-blue-green-consumer.XXXXXX)
[ "${KEEP_CONSUMER:-}" = 1 ] || trap 'rm -rf "$WORK"' EXIT
echo "test:consumer: scratch folder $WORK"

# 1. The package as npm publishes it (compiled library, bundled handlers and CLI, .jsii).
pack() {
  if [ ! -f .jsii ] || [ -n "$(find src -newer .jsii -name '*.ts' -print -quit)" ] || [ ! -f assets/cli/ecs-blue-green/index.js ]; then
    npx projen pre-compile && npx projen compile || return 1
  fi
  npm pack --silent --pack-destination "$WORK" >/dev/null
}
check "npm pack" pack || { write_report; exit 1; }
TARBALL=$(ls "$WORK"/cdk-ecs-blue-green-*.tgz)

LATEST=$(npm view aws-cdk-lib version 2>/dev/null)
if [ -z "$LATEST" ]; then record "newest aws-cdk-lib from the registry" 0 "npm view aws-cdk-lib version answered nothing"; write_report; exit 1; fi
VERSIONS=${CONSUMER_CDK_VERSIONS:-"$LATEST $MIN_CDK"}
echo "test:consumer: aws-cdk-lib versions: $VERSIONS (newest on the registry: $LATEST, minimum of the peer range: $MIN_CDK)"

for V in $VERSIONS; do
  APP="$WORK/app-$V"
  # cdk-nag 3 needs the construct tree on the validation context (IPolicyValidationContext.appConstruct),
  # which the newest aws-cdk-lib has and 2.257.0 does not: it runs on the newest only.
  NAG3=0; NAG3_PACKAGE=""
  if [ "$V" = "$LATEST" ]; then NAG3=1; NAG3_PACKAGE="cdk-nag3@npm:cdk-nag@$CDK_NAG3_RANGE"; fi
  mkdir -p "$APP/examples"
  cat > "$APP/package.json" <<EOF
{ "name": "consumer-of-cdk-ecs-blue-green", "version": "1.0.0", "private": true }
EOF
  # With cdk-nag 3, the README's cdk-nag 3 setup (```ts nag3 blocks) compiles with the examples (one tsc run).
  README_NAG3=""; [ "$NAG3" = 1 ] && README_NAG3=', "readme/*.ts"'
  cat > "$APP/tsconfig.json" <<EOF
{ "compilerOptions": { "target": "ES2022", "module": "commonjs", "lib": ["es2022"], "types": ["node"], "strict": true,
  "esModuleInterop": true, "skipLibCheck": true, "outDir": "build", "rootDir": "." }, "include": ["examples/*.ts", "synth.ts"$README_NAG3] }
EOF
  # The examples as a user would write them: importing the installed package, not ../src.
  for f in examples/*.ts; do
    sed -e "s#from '\.\./src'#from 'cdk-ecs-blue-green'#" "$f" > "$APP/$f"
  done
  cat > "$APP/synth.ts" <<'EOF'
// Synthesizes the example app into argv[2] with cdk init's context (every recommended feature flag
// of the installed aws-cdk-lib) and the migration phase given in CDK_CONTEXT_JSON. cdk-nag 2 runs
// as the examples' aspect; with NAG3=1, cdk-nag 3 runs as a validation plugin in the same synthesis.
import * as fs from 'fs';
import * as path from 'path';
import { Validations } from 'aws-cdk-lib';
import { buildExampleApp } from './examples/app';
process.env.CDK_CONTEXT_JSON = JSON.stringify({
  ...require('aws-cdk-lib/recommended-feature-flags.json'),
  // Synthesis writes aws-cdk-lib's validation report and returns (as under the CDK CLI): read below.
  '@aws-cdk/core:failSynthOnValidationErrors': false,
  ...JSON.parse(process.env.CDK_CONTEXT_JSON ?? '{}'),
});
const outdir = process.argv[2];
const app = buildExampleApp(outdir);
if (process.env.NAG3 === '1') Validations.of(app).addPlugins(new (require('cdk-nag3').AwsSolutionsChecks)(app));
const assembly = app.synth();
const errors = assembly.stacks.flatMap((s) => s.messages.filter((m) => m.entry.type === 'aws:cdk:error').map((m) => `${s.stackName}: ${m.entry.data}`));
// aws-cdk-lib's validation report: CloudFormation Validate counts like cfn-lint (any finding, any
// resource); cdk-nag 3 counts on the library's resources.
const reportFile = path.join(outdir, 'validation-report.json');
const report = fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(reportFile, 'utf-8')) : { pluginReports: [] };
let others = 0;
for (const plugin of report.pluginReports ?? []) {
  for (const v of plugin.violations ?? []) {
    for (const c of v.violatingConstructs ?? []) {
      // Frames of the installed package: '...aws-cdk-lib, cdk-ecs-blue-green...', 'new X in cdk-ecs-blue-green...'
      // or a path in node_modules (the scratch folder's name also holds the package name).
      const ours = (c.stackTraces ?? []).some((t: string) => /(^|[ ,.])cdk-ecs-blue-green(\.\.\.|,)|node_modules\/cdk-ecs-blue-green\//m.test(t));
      if (plugin.pluginName !== 'AwsSolutions' || ours) {
        errors.push(`${plugin.pluginName} ${v.severity} ${v.ruleName} on ${c.constructPath}: ${v.description}`);
      } else {
        others++;
      }
    }
  }
}
if (errors.length > 0) { console.error(errors.join('\n')); process.exit(1); }
const plugins = (report.pluginReports ?? []).map((p: any) => p.pluginName).join(', ') || 'none';
console.log(`${assembly.stacks.length} stacks synthesized into ${outdir}; validation plugins: ${plugins}; ` +
  `${others} cdk-nag 3 finding(s) on the examples' own resources (not counted)`);
EOF

  # 2. Plain npm install, as a user does, with the peer-dependency warnings it prints.
  install() {
    (cd "$APP" && npm install --no-audit --no-fund --loglevel=warn \
      "aws-cdk-lib@$V" "constructs@$CONSTRUCTS_RANGE" "cdk-nag@$CDK_NAG_RANGE" $NAG3_PACKAGE "$TARBALL" \
      "typescript@$TYPESCRIPT_RANGE" "@types/node@$NODE_TYPES_RANGE" > "$APP/npm-install.log" 2>&1)
    local rc=$?
    cat "$APP/npm-install.log"
    return $rc
  }
  check "aws-cdk-lib $V: npm install (no --legacy-peer-deps, no --force)" install || continue
  no_peer_warnings() {
    if grep -inE 'ERESOLVE|peer dep|overriding peer|conflicting peer|Could not resolve dependency|invalid: ' "$APP/npm-install.log"; then return 1; fi
    (cd "$APP" && npm ls --all >/dev/null) || { (cd "$APP" && npm ls --all 2>&1 | grep -iE 'invalid|missing|ERR' | head); return 1; }
  }
  check "aws-cdk-lib $V: no peer-dependency warning, npm ls clean" no_peer_warnings
  installed() {
    (cd "$APP" && node -e "
      const want = process.argv[1];
      const got = require('aws-cdk-lib/package.json').version;
      if (got !== want) { console.error('installed aws-cdk-lib ' + got + ', expected ' + want); process.exit(1); }
      const copies = require('child_process').execSync('npm ls aws-cdk-lib --all --parseable', { encoding: 'utf-8' }).trim().split('\n');
      if (copies.length !== 1) { console.error('aws-cdk-lib installed ' + copies.length + ' times: ' + copies.join(', ')); process.exit(1); }
      const lib = require('cdk-ecs-blue-green/package.json');
      console.log('aws-cdk-lib ' + got + ', cdk-ecs-blue-green ' + lib.version + ' (peer ' + lib.peerDependencies['aws-cdk-lib'] + ')');
    " "$V")
  }
  check "aws-cdk-lib $V: exactly that version installed, one copy" installed
  if [ "$NAG3" = 1 ]; then
    # The README's cdk-nag 3 setup as a user copies it (cdk-nag 3 is the alias cdk-nag3 here).
    check "README: the cdk-nag 3 setup blocks" node "$ROOT/scripts/readme-nag3-snippets.js" "$ROOT/README.md" "$APP/readme" cdk-nag3 || continue
    COMPILED="examples and the README's cdk-nag 3 setup compile against the installed packages"
  else
    COMPILED="examples compile against the installed package"
  fi
  check "aws-cdk-lib $V: $COMPILED" bash -c "cd '$APP' && npx --no-install tsc -p tsconfig.json" || continue
  NAGS="cdk-nag 2"; [ "$NAG3" = 1 ] && NAGS="cdk-nag 2 and 3"
  for PHASE in PREPARE CUTOVER CLEANUP ROLLBACK; do
    check "aws-cdk-lib $V: example app synthesizes with cdk init's flags and $NAGS, no validation finding (migration phase $PHASE)" \
      env NAG3="$NAG3" CDK_CONTEXT_JSON="{\"phase\":\"$PHASE\"}" node "$APP/build/synth.js" "$APP/cdk.out-$PHASE"
  done
  check "aws-cdk-lib $V: cfn-lint and cdk-nag reports clean" node "$ROOT/scripts/lint-templates.js" "$APP"/cdk.out-*
  help() {
    local out
    out=$(cd "$APP" && ./node_modules/.bin/ecs-blue-green --help) || return 1
    echo "$out" | head -3
    echo "$out" | grep -q 'ecs-blue-green' && echo "$out" | grep -qi 'usage'
  }
  check "aws-cdk-lib $V: installed ecs-blue-green --help" help
done

write_report
echo "test:consumer: ${#CASES[@]} checks, $FAILED failed, $(( $(date +%s) - T0 ))s"
[ "$FAILED" -eq 0 ]
