// What a CodeDeploy ECS deployment group becomes on the ECS deployment controller: strategy, bake
// time, hooks, wait-before-reroute, alarms, auto-rollback, triggers. Pure functions over the
// GetDeploymentGroup / GetDeploymentConfig responses (and the AppSpec), so they are testable and
// the `plan` command only fetches and prints.
//
// The facts and decisions (configurations, hook stages, limits, AppSpec reading, the wait before
// re-routing, triggers) come from src/private/codedeploy/, which the construct library uses too
// and which imports no aws-cdk-lib, so the bundled CLI stays small.
import type { DeploymentConfigInfo, DeploymentGroupInfo } from '@aws-sdk/client-codedeploy';
import { AppSpecFacts } from '../private/codedeploy/app-spec-facts';
import { AppSpecHookEntry } from '../private/codedeploy/app-spec-reader';
import { EcsStrategy, describeStrategy, predefinedConfig, strategyOfTrafficRouting } from '../private/codedeploy/deployment-configs';
import { ApprovalWait, mapDeploymentReadyOption, mapTerminationWait } from '../private/codedeploy/deployment-group-settings';
import { MAX_BAKE_MINUTES, MIN_LINEAR_STEP_PERCENT } from '../private/codedeploy/ecs-limits';
import { mapTriggerEvents } from '../private/codedeploy/trigger-events';

/** The migration mapping of one deployment group (also the JSON output of `plan`). */
export interface MigrationPlan {
  readonly application: string;
  readonly deploymentGroup: string;
  readonly services: Array<{ cluster?: string; service?: string }>;
  readonly strategy: EcsStrategy & { readonly codeDeployConfig: string; readonly source: 'predefined' | 'custom' | 'default'; readonly description: string };
  readonly bakeTimeInMinutes: number;
  readonly terminationWaitTimeInMinutes?: number;
  readonly hooks: AppSpecHookEntry[];
  readonly hooksSource: string;
  readonly container?: { name?: string; port?: number };
  /** The wait before re-routing production traffic, as a PAUSE hook (the construct library's DeploymentGroupMapping.approvalHook). */
  readonly approvalGate?: ApprovalWait;
  readonly alarms: { readonly names: string[]; readonly enabled: boolean };
  readonly autoRollback: { readonly enabled: boolean; readonly events: string[]; readonly mapping: string[] };
  readonly triggers: Array<{
    readonly name?: string;
    readonly targetArn?: string;
    readonly events: string[];
    /** The ECS deployment events (EventBridge `detail.eventName`) closest to `events`. */
    readonly ecsEvents: string[];
    /** What to do instead (triggers cannot be mapped). */
    readonly suggestion: string;
  }>;
  readonly loadBalancer: { readonly productionListenerArns: string[]; readonly testListenerArns: string[]; readonly targetGroups: string[] };
  readonly warnings: string[];
  readonly notes: string[];
  readonly snippet: string;
}

/** Inputs of `mapDeploymentGroup`. */
export interface MappingInput {
  readonly group: DeploymentGroupInfo;
  readonly config?: DeploymentConfigInfo;
  readonly appSpec?: AppSpecFacts;
  /** Where the AppSpec came from, for the output. */
  readonly appSpecSource?: string;
}

/** Maps a CodeDeploy ECS deployment group to ECS deployment controller settings. */
export function mapDeploymentGroup(input: MappingInput): MigrationPlan {
  const { group, config } = input;
  const warnings: string[] = [];
  const notes: string[] = [];
  const configName = group.deploymentConfigName ?? config?.deploymentConfigName ?? 'CodeDeployDefault.ECSAllAtOnce';

  if (group.computePlatform && group.computePlatform !== 'ECS') {
    warnings.push(`deployment group ${group.deploymentGroupName} is for ${group.computePlatform}, not ECS: the mapping below does not apply`);
  }

  // Strategy.
  let strategy: EcsStrategy;
  let source: 'predefined' | 'custom' | 'default';
  const predefined = configName.startsWith('CodeDeployDefault.') ? predefinedConfig(configName) : undefined;
  const routing = config?.trafficRoutingConfig;
  const custom = predefined ? undefined : strategyOfTrafficRouting(routing);
  if (predefined) {
    strategy = predefined;
    source = 'predefined';
  } else if (custom) {
    strategy = custom;
    source = 'custom';
  } else {
    strategy = { strategy: 'BLUE_GREEN' };
    source = 'default';
    warnings.push(`deployment configuration ${configName} has no ECS traffic routing (type ${routing?.type ?? 'unknown'}): BLUE_GREEN assumed`);
  }
  if (strategy.strategy === 'LINEAR' && strategy.stepPercent !== undefined && strategy.stepPercent < MIN_LINEAR_STEP_PERCENT) {
    warnings.push(`ECS LINEAR steps are at least ${MIN_LINEAR_STEP_PERCENT}%: ${configName} shifts ${strategy.stepPercent}% per step, mapped to ${MIN_LINEAR_STEP_PERCENT}%`);
    strategy = { ...strategy, stepPercent: MIN_LINEAR_STEP_PERCENT };
  }
  for (const key of ['stepBakeTimeInMinutes', 'canaryBakeTimeInMinutes'] as const) {
    const v = strategy[key];
    if (v !== undefined && v > MAX_BAKE_MINUTES) {
      warnings.push(`ECS allows at most ${MAX_BAKE_MINUTES} minutes between traffic shifts; ${configName} waits ${v}: mapped to ${MAX_BAKE_MINUTES}`);
      strategy = { ...strategy, [key]: MAX_BAKE_MINUTES };
    }
  }

  // Bake time: how long CodeDeploy keeps the original task set.
  const termination = group.blueGreenDeploymentConfiguration?.terminateBlueInstancesOnDeploymentSuccess;
  const terminationWait = termination?.terminationWaitTimeInMinutes;
  const mappedBake = mapTerminationWait(terminationWait);
  const bake = mappedBake.minutes;
  if (mappedBake.capped) {
    warnings.push(`terminationWaitTimeInMinutes ${terminationWait} exceeds ECS's maximum bake time of ${MAX_BAKE_MINUTES} minutes: mapped to ${MAX_BAKE_MINUTES}`);
  }
  if (termination?.action === 'KEEP_ALIVE') {
    warnings.push('the deployment group keeps the original task set alive (KEEP_ALIVE); ECS always scales the blue revision down after the bake time');
  }
  if (bake === 0) notes.push('bake time 0: ECS scales blue down right after the traffic shift, leaving no window for an instant rollback');

  // Hooks from the AppSpec.
  // The AppSpec reader accepts only the five ECS hook events, so each hook has its stage.
  const hooks = [...input.appSpec?.hooks ?? []];
  if (hooks.length > 0) {
    notes.push('hook functions must be adapted: CodeDeploy hooks report with PutLifecycleEventHookExecutionStatus, ECS hooks ' +
      'return { hookStatus: SUCCEEDED | FAILED | IN_PROGRESS } (see hookHandler in cdk-ecs-blue-green/lib/hooks/runtime); ' +
      'BeforeAllowTraffic becomes PRE_PRODUCTION_TRAFFIC_SHIFT, which runs once before production traffic moves as in CodeDeploy ' +
      '(PRODUCTION_TRAFFIC_SHIFT would run at every traffic step and again on rollback)');
  }

  // Wait before re-routing production traffic.
  const approvalGate = mapDeploymentReadyOption(group.blueGreenDeploymentConfiguration?.deploymentReadyOption);

  // Alarms and auto-rollback.
  const alarmNames = (group.alarmConfiguration?.alarms ?? []).map((a) => a.name).filter((n): n is string => !!n);
  const alarmsEnabled = group.alarmConfiguration?.enabled === true && alarmNames.length > 0;
  if (alarmNames.length > 0 && !alarmsEnabled) notes.push('the deployment group lists alarms but alarm monitoring is disabled: they are not mapped');
  if (group.alarmConfiguration?.ignorePollAlarmFailure) {
    notes.push('ignorePollAlarmFailure has no ECS equivalent: ECS deployment alarms always count');
  }
  const rollbackEvents = group.autoRollbackConfiguration?.enabled ? [...(group.autoRollbackConfiguration.events ?? [])] : [];
  const rollbackMapping: string[] = [];
  for (const e of rollbackEvents) {
    if (e === 'DEPLOYMENT_FAILURE') rollbackMapping.push('DEPLOYMENT_FAILURE → deployment circuit breaker with rollback (on by default in BlueGreenEcsService)');
    else if (e === 'DEPLOYMENT_STOP_ON_ALARM') rollbackMapping.push('DEPLOYMENT_STOP_ON_ALARM → deployment alarms with rollback (the alarms above)');
    else if (e === 'DEPLOYMENT_STOP_ON_REQUEST') rollbackMapping.push('DEPLOYMENT_STOP_ON_REQUEST → `ecs-blue-green rollback` (StopServiceDeployment, stopType ROLLBACK)');
    else rollbackMapping.push(`${e} → no ECS equivalent`);
  }
  if (!group.autoRollbackConfiguration?.enabled) {
    notes.push('auto-rollback is off in CodeDeploy; BlueGreenEcsService turns the circuit breaker with rollback on by default (secure default)');
  }

  // Triggers: not mappable.
  const triggers = (group.triggerConfigurations ?? []).map((t) => {
    const events = [...(t.triggerEvents ?? [])];
    const { ecsEvents } = mapTriggerEvents(events);
    const suggestion = 'cannot be mapped: ECS has no deployment triggers. Create an EventBridge rule (source aws.ecs, detail-type ' +
      `"ECS Deployment State Change"${ecsEvents.length ? `, detail.eventName ${ecsEvents.join(' | ')}` : ''}) ` +
      `with the SNS topic${t.triggerTargetArn ? ` ${t.triggerTargetArn}` : ''} as target`;
    return { name: t.triggerName, targetArn: t.triggerTargetArn, events, ecsEvents, suggestion };
  });
  for (const t of triggers) {
    const { unmapped } = mapTriggerEvents(t.events);
    if (unmapped.length) notes.push(`trigger ${t.name ?? ''} events ${unmapped.join(', ')} have no ECS deployment event (task events are "ECS Task State Change")`);
  }

  const pairs = group.loadBalancerInfo?.targetGroupPairInfoList ?? [];
  const loadBalancer = {
    productionListenerArns: pairs.flatMap((p) => p.prodTrafficRoute?.listenerArns ?? []),
    testListenerArns: pairs.flatMap((p) => p.testTrafficRoute?.listenerArns ?? []),
    targetGroups: pairs.flatMap((p) => (p.targetGroups ?? []).map((t) => t.name ?? '')).filter((n) => n),
  };
  if (loadBalancer.testListenerArns.length === 0) notes.push('no test listener: ECS shifts test traffic only when a test listener (or header rule) is configured');

  notes.push('in place (MigrationOption.inPlace()), ECS re-routes traffic as soon as it has created the first service revision, ' +
    'with no chance to test that revision first (its tasks match the CodeDeploy task set)');

  const services = (group.ecsServices ?? []).map((s) => ({ cluster: s.clusterName, service: s.serviceName }));
  const plan = {
    application: group.applicationName ?? '',
    deploymentGroup: group.deploymentGroupName ?? '',
    services,
    strategy: { ...strategy, codeDeployConfig: configName, source, description: describeStrategy(strategy) },
    bakeTimeInMinutes: bake,
    terminationWaitTimeInMinutes: terminationWait,
    hooks,
    hooksSource: input.appSpecSource ?? 'none',
    container: input.appSpec?.containerName ? { name: input.appSpec.containerName, port: input.appSpec.containerPort } : undefined,
    approvalGate,
    alarms: { names: alarmNames, enabled: alarmsEnabled },
    autoRollback: { enabled: group.autoRollbackConfiguration?.enabled === true, events: rollbackEvents, mapping: rollbackMapping },
    triggers,
    loadBalancer,
    warnings,
    notes,
  };
  return { ...plan, snippet: cdkSnippet(plan) };
}

function strategyCode(s: EcsStrategy, bake: number): string {
  const bakeTime = `bakeTime: Duration.minutes(${bake})`;
  switch (s.strategy) {
    case 'LINEAR':
      return `DeploymentStrategy.linear({ stepPercent: ${s.stepPercent}, stepBakeTime: Duration.minutes(${s.stepBakeTimeInMinutes}), ${bakeTime} })`;
    case 'CANARY':
      return `DeploymentStrategy.canary({ canaryPercent: ${s.canaryPercent}, canaryBakeTime: Duration.minutes(${s.canaryBakeTimeInMinutes}), ${bakeTime} })`;
    default:
      return `DeploymentStrategy.blueGreen({ ${bakeTime} })`;
  }
}

function identifier(text: string, suffix: string): string {
  const words = text.replace(/[^A-Za-z0-9]+/g, ' ').trim().split(' ').filter((w) => w);
  const id = words.map((w) => w[0].toUpperCase() + w.slice(1)).join('') || 'Item';
  return /^[0-9]/.test(id) ? `X${id}${suffix}` : `${id}${suffix}`;
}

function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The CDK (TypeScript) code for the migration, using CodeDeployToEcsMigration. */
function cdkSnippet(p: Omit<MigrationPlan, 'snippet'>): string {
  const imports = ['CodeDeployToEcsMigration', 'DeploymentStrategy', 'MigrationOption', 'MigrationPhase'];
  const cdkImports = ['Duration'];
  const hookLines: string[] = [];
  const ids = new Set<string>();
  p.hooks.filter((h) => h.stage).forEach((h) => {
    let id = identifier(h.event, 'Function');
    for (let n = 2; ids.has(id); n++) id = identifier(h.event, `Function${n}`);
    ids.add(id);
    const fn = h.functionName.startsWith('arn:')
      ? `lambda.Function.fromFunctionArn(this, ${quote(id)}, ${quote(h.functionName)})`
      : `lambda.Function.fromFunctionName(this, ${quote(id)}, ${quote(h.functionName)})`;
    hookLines.push(`  LifecycleHook.lambda(${fn}, { stages: [LifecycleStage.${h.stage}] }),`);
  });
  if (p.approvalGate) {
    hookLines.push(`  LifecycleHook.pause({ stages: [LifecycleStage.${p.approvalGate.stage}], timeout: Duration.minutes(${p.approvalGate.timeoutInMinutes}), ` +
      `onTimeout: HookTimeoutAction.${p.approvalGate.onTimeout} }),`);
  }
  if (hookLines.length) imports.push('LifecycleHook', 'LifecycleStage');
  if (p.approvalGate) imports.push('HookTimeoutAction');
  const svc = p.services[0];
  const lines: string[] = [];
  lines.push(`import { ${cdkImports.join(', ')} } from 'aws-cdk-lib';`);
  if (p.alarms.enabled) lines.push("import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';");
  lines.push("import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';");
  lines.push("import * as ecs from 'aws-cdk-lib/aws-ecs';");
  lines.push("import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';");
  if (p.hooks.some((h) => h.stage)) lines.push("import * as lambda from 'aws-cdk-lib/aws-lambda';");
  lines.push(`import { ${[...new Set(imports)].sort().join(', ')} } from 'cdk-ecs-blue-green';`);
  lines.push('');
  lines.push(`// The service CodeDeploy deploys today${svc ? ` (${svc.service} in cluster ${svc.cluster})` : ''}, its listeners and target groups:`);
  lines.push('declare const service: ecs.FargateService;');
  lines.push(`declare const productionListener: elbv2.ApplicationListener;${p.loadBalancer.productionListenerArns[0] ? ` // ${p.loadBalancer.productionListenerArns[0]}` : ''}`);
  if (p.loadBalancer.testListenerArns.length) {
    lines.push(`declare const testListener: elbv2.ApplicationListener; // ${p.loadBalancer.testListenerArns[0]}`);
  }
  lines.push(`declare const blueTargetGroup: elbv2.ApplicationTargetGroup;${p.loadBalancer.targetGroups[0] ? ` // ${p.loadBalancer.targetGroups[0]}` : ''}`);
  lines.push(`declare const greenTargetGroup: elbv2.ApplicationTargetGroup;${p.loadBalancer.targetGroups[1] ? ` // ${p.loadBalancer.targetGroups[1]}` : ''}`);
  lines.push('');
  lines.push("const deploymentGroup = codedeploy.EcsDeploymentGroup.fromEcsDeploymentGroupAttributes(this, 'DeploymentGroup', {");
  lines.push(`  application: codedeploy.EcsApplication.fromEcsApplicationName(this, 'Application', ${quote(p.application)}),`);
  lines.push(`  deploymentGroupName: ${quote(p.deploymentGroup)},`);
  lines.push('});');
  lines.push('');
  if (hookLines.length) {
    lines.push('const hooks: LifecycleHook[] = [');
    lines.push(...hookLines);
    lines.push('];');
  }
  if (p.alarms.enabled) {
    lines.push('const alarms = [');
    p.alarms.names.forEach((n, i) => lines.push(`  cloudwatch.Alarm.fromAlarmName(this, 'Alarm${i + 1}', ${quote(n)}),`));
    lines.push('];');
  }
  if (hookLines.length || p.alarms.enabled) lines.push('');
  lines.push("new CodeDeployToEcsMigration(this, 'Migration', {");
  lines.push('  service,');
  lines.push('  deploymentGroup,');
  lines.push('  productionListener,');
  if (p.loadBalancer.testListenerArns.length) lines.push('  testListener,');
  lines.push('  blueTargetGroup,');
  lines.push('  greenTargetGroup,');
  lines.push('  option: MigrationOption.inPlace(),');
  lines.push('  phase: MigrationPhase.PREPARE, // then CUTOVER, then CLEANUP: one `cdk deploy` each');
  lines.push(`  // ${p.strategy.codeDeployConfig}, terminationWaitTime ${p.terminationWaitTimeInMinutes ?? 0} min`);
  lines.push(`  strategy: ${strategyCode(p.strategy, p.bakeTimeInMinutes)},`);
  if (hookLines.length) lines.push('  hooks,');
  if (p.alarms.enabled) lines.push('  alarms,');
  lines.push('});');
  return lines.join('\n') + '\n';
}
