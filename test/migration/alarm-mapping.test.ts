import { Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { CodeDeployToEcsMigration, CodeDeployToEcsMigrationProps, MigrationOption, MigrationPhase, RoutingLayer } from '../../src';
import { checkStack, newStack } from '../support';
import { CodeDeployFixture, codeDeployFixture, codeDeployPathOf } from '../support/codedeploy-fixture';

const RUNNING = 'arn:aws:ecs:us-east-1:123456789012:task-definition/shop-web:42';
type Opt = 'existing-lb' | 'new-lb';

/**
 * The fixture's deployment group with, besides the fixture's application alarm, two alarms on the
 * old path: target 5xx of the blue target group (named, with an SNS action) and ELB 5xx of the
 * load balancer.
 */
function withOldPathAlarms(stack: Stack): CodeDeployFixture & { tgAlarm: cloudwatch.Alarm; lbAlarm: cloudwatch.Alarm } {
  const f = codeDeployFixture(stack);
  const tgAlarm = new cloudwatch.Alarm(stack, 'BlueErrors', {
    alarmName: 'shop-blue-5xx',
    metric: f.blueTargetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT),
    threshold: 5,
    evaluationPeriods: 2,
  });
  tgAlarm.addAlarmAction(new actions.SnsAction(f.topic));
  const lbAlarm = new cloudwatch.Alarm(stack, 'ElbErrors', {
    metric: f.alb.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT), threshold: 20, evaluationPeriods: 1,
  });
  f.deploymentGroup.addAlarm(tgAlarm);
  f.deploymentGroup.addAlarm(lbAlarm);
  return { ...f, tgAlarm, lbAlarm };
}

function optionOf(name: Opt, stack: Stack): MigrationOption {
  if (name === 'existing-lb') return MigrationOption.newServiceExistingLoadBalancer({ temporaryProductionPort: 8080 });
  const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
  return MigrationOption.newServiceNewLoadBalancer({ routing: RoutingLayer.route53Weighted({ zone, recordName: 'shop' }) });
}

function build(name: Opt, phase: MigrationPhase, extra: Partial<CodeDeployToEcsMigrationProps> = {}, prepare?: (stack: Stack) => void) {
  const stack = newStack('Shop');
  const f = withOldPathAlarms(stack);
  prepare?.(stack);
  const migration = new CodeDeployToEcsMigration(stack, 'Migration', {
    ...codeDeployPathOf(f), option: optionOf(name, stack), phase, ...extra,
  });
  return { stack, f, migration };
}

const idMatching = (template: any, re: RegExp) => Object.keys(template.Resources).filter((id) => re.test(id));
const newService = (template: any) => template.Resources[idMatching(template, /^MigrationService[0-9A-F]{8}$/)[0]].Properties;
const alarmRefs = (template: any): string[] => newService(template).DeploymentConfiguration.Alarms.AlarmNames.map((n: any) => n.Ref ?? n);
const copies = (template: any) => idMatching(template, /^MigrationNewPathAlarm/);

describe.each<Opt>(['existing-lb', 'new-lb'])('%s: the deployment group\'s alarms on the new service', (name) => {
  test('alarms on the old target groups (and, option 3, the old load balancer) become copies on the new path; the rest are kept', () => {
    const { stack, migration } = build(name, MigrationPhase.PREPARE);
    const template = checkStack(stack, { nag: true }).toJSON();
    const [appAlarm] = idMatching(template, /^Errors5xx[0-9A-F]{8}$/);
    const [blueAlarm] = idMatching(template, /^BlueErrors[0-9A-F]{8}$/);
    const [elbAlarm] = idMatching(template, /^ElbErrors[0-9A-F]{8}$/);
    const [newBlue] = idMatching(template, /^MigrationServiceBlueTargetGroup[0-9A-F]{8}$/);
    const [newLb] = idMatching(template, /^MigrationLoadBalancer[0-9A-F]{8}$/);
    const refs = alarmRefs(template);
    // The old path's alarms judge the old path: the new service must not roll back on them.
    expect(refs).toContain(appAlarm);
    expect(refs).not.toContain(blueAlarm);
    const blueCopy = `MigrationNewPathAlarm${blueAlarm}`;
    const [blueCopyId] = idMatching(template, new RegExp(`^${blueCopy}`));
    expect(refs).toContain(blueCopyId);
    const copy = template.Resources[blueCopyId].Properties;
    const original = template.Resources[blueAlarm].Properties;
    expect(copy).toMatchObject({
      MetricName: original.MetricName,
      Namespace: 'AWS/ApplicationELB',
      Statistic: original.Statistic,
      Threshold: 5,
      EvaluationPeriods: 2,
      AlarmActions: original.AlarmActions,
    });
    expect(copy.AlarmName).toBeUndefined(); // the original keeps its name until CLEANUP
    const dims = Object.fromEntries(copy.Dimensions.map((d: any) => [d.Name, d.Value]));
    expect(dims.TargetGroup).toEqual({ 'Fn::GetAtt': [newBlue, 'TargetGroupFullName'] });
    // The load balancer as the new target group's metrics name it: read from the new listener's ARN.
    const [newListener] = idMatching(template, name === 'new-lb' ? /^MigrationLoadBalancerProduction[0-9A-F]{8}$/ : /^MigrationProductionListener[0-9A-F]{8}$/);
    expect(JSON.stringify(dims.LoadBalancer)).toContain(`{"Ref":"${newListener}"}`);
    expect(JSON.stringify(dims.LoadBalancer)).not.toMatch(/AlbProduction/);
    if (name === 'existing-lb') {
      // Option 2 keeps the load balancer: an alarm on it alone watches the new path too.
      expect(refs).toContain(elbAlarm);
      expect(copies(template)).toHaveLength(1);
    } else {
      const [elbCopyId] = idMatching(template, new RegExp(`^MigrationNewPathAlarm${elbAlarm}`));
      expect(refs).toContain(elbCopyId);
      expect(template.Resources[elbCopyId].Properties.Dimensions).toEqual([{ Name: 'LoadBalancer', Value: { 'Fn::GetAtt': [newLb, 'LoadBalancerFullName'] } }]);
    }
    expect(migration.plan.join('\n')).toMatch(/Alarm Shop\/BlueErrors watches the old path: the new service gets a copy .*CLEANUP deletes the original/);
    expect(migration.plan.join('\n')).toMatch(/Alarm Shop\/Errors5xx: kept/);
  });

  test('CLEANUP: cfn-lint clean, the originals on the old path deleted with it, every alarm the new service names exists', () => {
    const { stack } = build(name, MigrationPhase.CLEANUP);
    const template = checkStack(stack, { nag: true }).toJSON();
    expect(idMatching(template, /^BlueErrors/)).toEqual([]);
    expect(copies(template).length).toBeGreaterThan(0);
    for (const ref of alarmRefs(template)) expect(template.Resources[ref]?.Type).toBe('AWS::CloudWatch::Alarm');
  });

  test('CLEANUP after the user removed an old-path alarm from the app: dropped with a warning, no dangling reference', () => {
    const { stack } = build(name, MigrationPhase.CLEANUP, {}, (s) => s.node.tryRemoveChild('BlueErrors'));
    const template = checkStack(stack).toJSON();
    for (const ref of alarmRefs(template)) expect(template.Resources[ref]?.Type).toBe('AWS::CloudWatch::Alarm');
    Annotations.fromStack(stack).hasWarning('/Shop/Migration', Match.stringLikeRegexp('names the alarm BlueErrors[0-9A-F]{8}, which is no longer in the app'));
  });
});

test('option 3: addAlarm puts an alarm on the new load balancer on the new service', () => {
  const { stack, migration } = build('new-lb', MigrationPhase.PREPARE);
  const alarm = new cloudwatch.Alarm(stack, 'NewLbErrors', {
    metric: migration.newLoadBalancer!.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT), threshold: 10, evaluationPeriods: 1,
  });
  migration.addAlarm(alarm);
  const template = checkStack(stack).toJSON();
  expect(alarmRefs(template)).toContain(idMatching(template, /^NewLbErrors[0-9A-F]{8}$/)[0]);
});

test('addAlarm with option 1 fails, saying to pass alarms', () => {
  const stack = newStack('Shop');
  const f = codeDeployFixture(stack);
  const migration = new CodeDeployToEcsMigration(stack, 'Migration', {
    ...codeDeployPathOf(f), option: MigrationOption.inPlace(), phase: MigrationPhase.CUTOVER, runningTaskDefinitionArn: RUNNING,
  });
  expect(() => migration.addAlarm(f.alarm)).toThrow(/\[Shop\/Migration\] invalid addAlarm: is for options 2 and 3 .*pass the alarm in alarms/);
});

test('alarms given explicitly are kept as given, with a warning for one on the old path', () => {
  const stack = newStack('Shop');
  const f = withOldPathAlarms(stack);
  new CodeDeployToEcsMigration(stack, 'Migration', {
    ...codeDeployPathOf(f),
    option: optionOf('existing-lb', stack),
    phase: MigrationPhase.PREPARE,
    alarms: [f.tgAlarm, f.alarm],
  });
  const template = checkStack(stack).toJSON();
  expect(copies(template)).toEqual([]);
  expect(alarmRefs(template)).toEqual(expect.arrayContaining([idMatching(template, /^BlueErrors[0-9A-F]{8}$/)[0]]));
  Annotations.fromStack(stack).hasWarning('/Shop/Migration', Match.stringLikeRegexp('alarms: Shop/BlueErrors watches the old path'));
});
