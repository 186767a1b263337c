#!/usr/bin/env bash
# Releases a new image to an ECS service on the ECS deployment controller (BLUE_GREEN, LINEAR or
# CANARY) from any CI job, and fails the job unless the deployment succeeds.
#
#   deploy-image.sh <cluster> <service> <container> <image-uri> [wait-timeout, default 60m]
#
# 1. Reads the task definition the service runs now (not the family's newest revision: a revision
#    registered but never deployed must not be released by accident) and replaces the image of
#    <container>, everything else unchanged.
# 2. Registers that as a new revision and calls UpdateService with it: on a service whose strategy
#    is BLUE_GREEN, LINEAR or CANARY this starts the blue/green deployment (there is no AppSpec and
#    no CodeDeploy deployment any more).
# 3. Runs `ecs-blue-green wait` on exactly that service deployment and exits with its code:
#    0 succeeded; 1 failed or rolled back (after the rollback finished); 3 timeout or AWS error
#    (the deployment goes on: `ecs-blue-green status <cluster> <service>`). 2 is a usage error of
#    this script or of the CLI.
#
# Needs the AWS CLI v2, Node.js 20+ and `ecs-blue-green` on the PATH (npm package
# cdk-ecs-blue-green). IAM: see ReleasedWebService.grantReleaseImage in examples/pipeline-service.ts.
set -euo pipefail

if [ "$#" -lt 4 ] || [ "$#" -gt 5 ]; then
  echo "usage: deploy-image.sh <cluster> <service> <container> <image-uri> [wait-timeout]" >&2
  exit 2
fi
cluster=$1 service=$2 container=$3 image=$4 timeout=${5:-60m}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

current=$(aws ecs describe-services --cluster "$cluster" --services "$service" \
  --query 'services[0].taskDefinition' --output text)
if [ -z "$current" ] || [ "$current" = "None" ]; then
  echo "deploy-image.sh: service $service not found in cluster $cluster" >&2
  exit 2
fi
echo "Service $service runs $current"

aws ecs describe-task-definition --task-definition "$current" --query taskDefinition --output json > "$work/current.json"
# The registration input is the running revision minus the fields ECS sets itself, with the image
# of one container replaced. Fails (exit 2) when the container is not in the task definition.
node - "$work/current.json" "$work/next.json" "$container" "$image" <<'EOF'
const fs = require('fs');
const [from, to, container, image] = process.argv.slice(2);
const td = JSON.parse(fs.readFileSync(from, 'utf-8'));
const target = (td.containerDefinitions || []).find((c) => c.name === container);
if (!target) {
  const names = (td.containerDefinitions || []).map((c) => c.name).join(', ');
  console.error(`deploy-image.sh: no container ${container} in ${td.taskDefinitionArn} (containers: ${names})`);
  process.exit(2);
}
target.image = image;
for (const key of ['taskDefinitionArn', 'revision', 'status', 'requiresAttributes', 'compatibilities',
  'registeredAt', 'registeredBy', 'deregisteredAt']) {
  delete td[key];
}
fs.writeFileSync(to, JSON.stringify(td));
EOF

next=$(aws ecs register-task-definition --cli-input-json "file://$work/next.json" \
  --query 'taskDefinition.taskDefinitionArn' --output text)
echo "Registered $next ($container: $image)"

deployment=$(aws ecs update-service --cluster "$cluster" --service "$service" --task-definition "$next" \
  --query 'service.currentServiceDeployment' --output text)
wait_args=(wait "$cluster" "$service" --timeout "$timeout")
if [ -z "$deployment" ] || [ "$deployment" = "None" ]; then
  echo "UpdateService named no service deployment; waiting for the service's current one"
else
  echo "Started $deployment"
  wait_args+=(--deployment "$deployment")
fi
# Last command: with `set -e` its exit code is the script's.
ecs-blue-green "${wait_args[@]}"
