import { CleanupPrecondition } from './cleanup-precondition';
import { loadBalancerEntry, switchToEcsController, weightedRules } from './ecs-controller-switch';
import { LiveTargetGroupCheck } from './live-target-group';
import { codeDeployResources, MigrationContext, MigrationOptionResult, serviceRef } from './migration-context';
import { MigrationPhase } from './migration-option';
import { snsTriggerRules } from './sns-trigger-rules';
import { checkRunningTaskDefinition, TaskDefinitionPin, warnNotPinned } from './task-definition-pin';
import { removeFromApp } from '../private/remove';
import { integerInRange } from '../private/validate';
import { WeightedListenerRule } from '../routing/weighted-listener-rule';
import { DeploymentStrategyConfig } from '../service/deployment-strategy';

/**
 * Option 1, in place: the existing service switches to the ECS controller at CUTOVER, with
 * weighted rules on its listeners to its blue and green target groups; ROLLBACK switches it back.
 * @internal
 */
export function inPlace(ctx: MigrationContext): MigrationOptionResult {
  const p = ctx.props;
  const scope = ctx.scope;
  const phase = p.phase;
  const pinned = p.runningTaskDefinitionArn;
  if (pinned !== undefined) checkRunningTaskDefinition(scope, pinned, p.service.taskDefinition);
  if (pinned !== undefined && phase !== MigrationPhase.PREPARE) {
    // Neither switch sends a task definition; releases after CUTOVER do (task-definition-pin.ts).
    ctx.cfnService.taskDefinition = new TaskDefinitionPin(scope, 'TaskDefinitionPin', {
      runningTaskDefinitionArn: pinned, taskDefinition: p.service.taskDefinition, frozen: phase === MigrationPhase.ROLLBACK,
    }).taskDefinitionArn;
  }
  if (phase === MigrationPhase.PREPARE) {
    if (pinned === undefined) warnNotPinned(scope, 'the CUTOVER deploy');
    return { plan: PLAN[MigrationPhase.PREPARE]({ blueTargetGroup: p.blueTargetGroup.node.path }) };
  }
  const priority = integerInRange(scope, 'rulePriority', p.rulePriority ?? WeightedListenerRule.DEFAULT_PRIORITY, 1, 50000);
  if (phase === MigrationPhase.ROLLBACK) {
    // Before the service switches back: production must fall back to the live target group.
    p.service.node.addDependency(new LiveTargetGroupCheck(scope, 'LiveTargetGroupCheck', {
      phase: 'ROLLBACK', listener: p.productionListener, blueTargetGroup: p.blueTargetGroup, greenTargetGroup: p.greenTargetGroup, rulePriority: priority,
    }));
    return { plan: PLAN[MigrationPhase.ROLLBACK]({ pinned }) };
  }

  // CUTOVER and CLEANUP: the switch.
  const rules = weightedRules(scope, p, priority);
  if (phase === MigrationPhase.CUTOVER) {
    // Before the weighted rules exist (blue 1 / green 0): blue must be the live target group.
    const live = new LiveTargetGroupCheck(scope, 'LiveTargetGroupCheck', {
      phase: 'CUTOVER', listener: p.productionListener, blueTargetGroup: p.blueTargetGroup, greenTargetGroup: p.greenTargetGroup,
    });
    rules.production.node.addDependency(live);
    rules.test?.node.addDependency(live);
  }
  const alarmNames = p.alarms ? p.alarms.map((a) => a.alarmName) : ctx.mapping?.alarmNames ?? [];
  const { hookCount } = switchToEcsController(scope, p, {
    entry: loadBalancerEntry(scope, ctx.cfnService, 'attach it to blueTargetGroup as CodeDeploy requires'),
    rules,
    strategy: ctx.strategyConfig,
    alarms: { names: alarmNames, rollback: p.alarms ? true : ctx.mapping?.rollbackOnAlarm ?? true },
    hooks: ctx.hooks,
  });
  snsTriggerRules(scope, ctx.mapping, p.service);
  if (pinned === undefined) {
    // Under CODE_DEPLOY aws-cdk-lib names the family, which would never change again: the app's revision, so releases deploy.
    ctx.cfnService.taskDefinition = p.service.taskDefinition.taskDefinitionArn;
    warnNotPinned(scope, 'this deploy');
  }

  if (phase === MigrationPhase.CLEANUP) {
    new CleanupPrecondition(scope, 'CleanupPrecondition', {
      service: { ...serviceRef(p.service), clusterWide: true },
      rule: {
        listenerArn: p.productionListener.listenerArn,
        ruleArn: rules.production.ruleArn,
        targetGroupArns: [p.blueTargetGroup.targetGroupArn, p.greenTargetGroup.targetGroupArn],
      },
    });
    removeFromApp(scope, 'phase', codeDeployResources(ctx));
    return { productionRule: rules.production, plan: PLAN[MigrationPhase.CLEANUP]() };
  }
  return {
    productionRule: rules.production,
    plan: PLAN[MigrationPhase.CUTOVER]({
      blueTargetGroup: p.blueTargetGroup.node.path,
      priority,
      testListener: p.testListener !== undefined,
      strategy: ctx.strategyConfig,
      alarmCount: alarmNames.length,
      hookCount,
      pinned,
    }),
  };
}

/** What the CUTOVER plan of option 1 names. */
interface CutoverFacts {
  readonly blueTargetGroup: string;
  readonly priority: number;
  readonly testListener: boolean;
  readonly strategy: DeploymentStrategyConfig;
  readonly alarmCount: number;
  readonly hookCount: number;
  readonly pinned?: string;
}

/** The steps of each phase of option 1. */
const PLAN = {
  [MigrationPhase.PREPARE]: (f: { blueTargetGroup: string }) => [
    'This deploy changes nothing: it checks the mapping at synth time (see the warnings of cdk synth).',
    'Make sure no CodeDeploy deployment is in progress and pause the pipelines that start them (aws deploy list-deployments --include-only-statuses InProgress Ready).',
    `Confirm that ${f.blueTargetGroup} serves production now: aws elbv2 describe-listeners --listener-arns <production listener ARN> shows it in the default action.`,
    'Record the task definition the service runs (aws ecs describe-services --query services[0].taskDefinition) and set runningTaskDefinitionArn to it.',
    'Next: deploy CUTOVER.',
  ],
  [MigrationPhase.CUTOVER]: (f: CutoverFacts) => [
    `This deploy adds a weighted rule (blue ${f.blueTargetGroup} 1 / green 0, priority ${f.priority}) to the production` +
    `${f.testListener ? ' and test listeners' : ' listener'}, and switches the service to the ECS controller with ${f.strategy.strategy} ` +
    `(bake ${f.strategy.bakeTimeInMinutes} min), the circuit breaker, ${f.alarmCount} alarm(s) and ${f.hookCount} hook(s).`,
    'A check runs first: the deploy fails before the rules exist unless the production listener forwards to blueTargetGroup (CodeDeploy alternates the two; the error names the live one).',
    'No new tasks start; ECS takes over the running ones. In place, the first ECS deployment shifts traffic with no parallel setup tested first: rehearse in a staging account.',
    ...(f.pinned ? [`The service keeps the revision it runs (${f.pinned}); the first change of the app's task definition after this deploy is an ordinary ECS blue/green deployment of the app's revision. ` +
      'If CodeDeploy ran a revision registered outside this app, bring the app\'s task definition up to date before that release.'] : []),
    'Verify: aws ecs describe-services shows deploymentController ECS and the strategy; aws elbv2 describe-rules shows the weighted rule; the production URL answers.',
    'Then run one ECS deployment (a new task definition revision) and watch it: ecs-blue-green wait <cluster> <service>.',
    'Rollback: deploy ROLLBACK (controller back to CODE_DEPLOY, rules removed). Next: deploy CLEANUP once satisfied.',
  ],
  [MigrationPhase.ROLLBACK]: (f: { pinned?: string }) => [
    'This deploy puts the service back on the CODE_DEPLOY controller and deletes the weighted rules: traffic falls back to the listeners\' default actions, as before the migration.',
    'A check runs first: the deploy fails before anything moves unless the target group the weighted rule sends production to (ECS deployments flip it) is the one the production listener\'s default action forwards to; the error names both.',
    ...(f.pinned ? [] : ['runningTaskDefinitionArn is not set: the task definition reference changes with the controller, which ECS may reject ("Unable to update task definition on services with a CODE_DEPLOY deployment controller").']),
    'Verify: aws ecs describe-services shows deploymentController CODE_DEPLOY; the production URL answers from the original tasks.',
  ],
  [MigrationPhase.CLEANUP]: () => [
    'This deploy deletes the CodeDeploy deployment group, its application and its service role; the service stays on the ECS controller.',
    'A check runs first: the deploy fails, and CloudFormation rolls it back deleting nothing, unless the service is on the ECS controller with running tasks and the production rule forwards only to the blue and green target groups.',
    'Before: confirm a successful ECS deployment (aws ecs list-service-deployments) and that the production rule forwards to the live target group.',
    'Verify: aws deploy list-deployment-groups no longer lists the group.',
    'Rollback after CLEANUP means recreating the deployment group: revert the app to its pre-migration code and deploy ROLLBACK.',
    'Then graduate: replace this construct with MigratedEcsService under the same ID and delete the deployment group\'s code (README, "After CLEANUP: graduate"), ' +
      'after at least one release since CUTOVER so that the service runs the app\'s own task definition revision.',
  ],
};
