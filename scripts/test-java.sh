#!/usr/bin/env bash
# Java binding smoke test: `npm run package:java` (jsii-pacmak, Maven) builds the Maven artifact
# into dist/java (a local Maven repository), and the tiny Maven app in test/java compiles against
# it with the NEWEST aws-cdk-lib that Maven Central serves and synthesizes one BlueGreenEcsService
# in a JUnit test. Results: test-reports/java.xml (junit, counted by .ci/run).
# JAVA_CDK_VERSION overrides the aws-cdk-lib version; MAVEN_REPO_LOCAL the local repository.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
T0=$(date +%s)
REPO=${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}
MVN=(mvn -B -q -Dstyle.color=never "-Dmaven.repo.local=$REPO" -f test/java/pom.xml)

# The handler and CLI bundles (assets/, not tracked) go into the package: a clean clone has none.
[ -d assets ] || npx projen bundle
[ -f .jsii ] || npx projen compile
rm -rf dist/java
npx projen package:java
# What jsii-pacmak wrote must not pin any peer.
npx ts-node --transpile-only scripts/peer-ranges.ts
T_PACKAGE=$(( $(date +%s) - T0 ))

# The library is always 0.0.0 between builds: never let Maven use a copy cached by an earlier run.
rm -rf "$REPO/io/github/cdkecsbluegreen"
# The newest aws-cdk-lib release on Maven Central: resolve the app's open range once, then read
# the release Maven Central's metadata names.
JAVA_CDK_VERSION_SET=${JAVA_CDK_VERSION:-}
if [ -z "${JAVA_CDK_VERSION:-}" ]; then
  "${MVN[@]}" dependency:resolve -DincludeArtifactIds=aws-cdk-lib >/dev/null
  METADATA=$(ls "$REPO"/software/amazon/awscdk/aws-cdk-lib/maven-metadata-*.xml | head -1)
  JAVA_CDK_VERSION=$(sed -n 's:.*<release>\(.*\)</release>.*:\1:p' "$METADATA")
fi
[ -n "$JAVA_CDK_VERSION" ] || { echo "test:java: no aws-cdk-lib release found on Maven Central" >&2; exit 1; }
bash scripts/check-cdk-version.sh java "$JAVA_CDK_VERSION" "$([ -n "${JAVA_CDK_VERSION_SET:-}" ] && echo JAVA_CDK_VERSION || echo "Maven Central (newest release)")"

rm -rf test/java/target
"${MVN[@]}" test "-Dcdk.version=$JAVA_CDK_VERSION" "-Dexpected.cdk.version=$JAVA_CDK_VERSION"
mkdir -p test-reports
cp test/java/target/surefire-reports/TEST-*.xml "$ROOT/test-reports/java.xml"
echo "test:java: packaging ${T_PACKAGE}s, total $(( $(date +%s) - T0 ))s"
