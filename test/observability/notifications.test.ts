// `notifications` on BlueGreenEcsService: EventBridge rules on the service's documented ECS events,
// matched here against sample events (test/observability/ecs-sample-events.ts) with EventBridge
// pattern semantics, and their messages rendered through the rules' input transformers.
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { NagSuppressions } from 'cdk-nag';
import * as samples from './ecs-sample-events';
import { BlueGreenEcsService, DeploymentEvent, DeploymentEventRule, DeploymentNotifications, TrafficRouting } from '../../src';
import { BlueGreenValidationError } from '../../src/errors';
import { albFixture, checkStack, newStack } from '../support';
import { deployedValue, matchesEventPattern, renderInputTransformer } from '../support/event-pattern';

const TOPIC_ARN = `arn:aws:sns:${samples.REGION}:${samples.ACCOUNT}:deployments`;

interface Built {
  readonly stack: Stack;
  readonly service: BlueGreenEcsService;
  readonly template: Template;
  /** The deployed values of the service's and cluster's tokens (the samples' names and ARNs). */
  readonly deployed: Record<string, string>;
}

function build(notifications?: Partial<DeploymentNotifications>, more?: (stack: Stack, service: BlueGreenEcsService) => void): Built {
  const stack = newStack();
  const f = albFixture(stack);
  const topic = new sns.Topic(stack, 'Topic', { enforceSSL: true });
  NagSuppressions.addResourceSuppressions(topic, [{ id: 'AwsSolutions-SNS2', reason: 'Test fixture topic: encryption is the user\'s choice.' }]);
  const service = new BlueGreenEcsService(stack, 'Api', {
    cluster: f.cluster,
    taskDefinition: f.taskDefinition,
    serviceName: samples.SERVICE,
    routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener, testListener: f.testListener }),
    notifications: { target: new targets.SnsTopic(topic), ...notifications } as DeploymentNotifications,
  });
  more?.(stack, service);
  const template = checkStack(stack, { nag: true });
  const serviceId = stack.getLogicalId(service.service.node.defaultChild as any);
  const deployed = {
    [serviceId]: samples.SERVICE_ARN,
    [`${serviceId}.Name`]: samples.SERVICE,
    [stack.getLogicalId(f.cluster.node.defaultChild as any)]: samples.CLUSTER,
    [stack.getLogicalId(topic.node.defaultChild as any)]: TOPIC_ARN,
  };
  return { stack, service, template, deployed };
}

/** Each rule of the stack by its construct ID (Deployment, ServiceAction, Hook, Pause), as deployed. */
function deployedRules(b: Built): Record<string, any> {
  return Object.fromEntries(b.service.notificationRules.map((r) => {
    const resource = b.template.toJSON().Resources[b.stack.getLogicalId(r.node.defaultChild as any)];
    return [r.node.id, deployedValue(resource.Properties, b.deployed)];
  }));
}

/** The IDs of the rules an event matches. */
function matching(rules: Record<string, any>, event: object): string[] {
  return Object.entries(rules).filter(([, r]) => matchesEventPattern(r.EventPattern, event)).map(([id]) => id);
}

function message(rule: any, event: object): string {
  return renderInputTransformer(rule.Targets[0].InputTransformer, event);
}

describe('notifications', () => {
  test('by default: 4 rules (one per kind of message) on the service\'s documented ECS events, all to the target', () => {
    const b = build();
    const rules = deployedRules(b);
    expect(Object.keys(rules)).toEqual(['Deployment', 'ServiceAction', 'Hook', 'Pause']);
    b.template.resourceCountIs('AWS::Events::Rule', 4);
    expect(Object.fromEntries(Object.entries(rules).map(([id, r]) => [id, r.EventPattern]))).toEqual({
      Deployment: {
        'source': ['aws.ecs'],
        'detail-type': ['ECS Deployment State Change'],
        'resources': [samples.SERVICE_ARN],
        'detail': { eventName: ['SERVICE_DEPLOYMENT_COMPLETED', 'SERVICE_DEPLOYMENT_FAILED', 'SERVICE_DEPLOYMENT_IN_PROGRESS'] },
      },
      ServiceAction: {
        'source': ['aws.ecs'],
        'detail-type': ['ECS Service Action'],
        'resources': [samples.SERVICE_ARN],
        'detail': { eventName: ['SERVICE_DEPLOYMENT_FAILED'] },
      },
      Hook: {
        'source': ['aws.ecs'],
        'detail-type': ['ECS Hook State Change'],
        'detail': { serviceArn: [samples.SERVICE_ARN], eventName: ['HOOK_FAILED', 'HOOK_TIMED_OUT'] },
      },
      Pause: {
        'source': ['aws.ecs'],
        'detail-type': ['ECS Hook State Change'],
        'detail': { serviceArn: [samples.SERVICE_ARN], eventName: ['HOOK_AWAITING_ACTION'] },
      },
    });
    const topicId = b.stack.getLogicalId(b.stack.node.findChild('Topic').node.defaultChild as any);
    for (const resource of Object.values(b.template.findResources('AWS::Events::Rule'))) {
      expect(resource.Properties.Targets).toHaveLength(1);
      expect(resource.Properties.Targets[0].Arn).toEqual({ Ref: topicId });
    }
    // EventBridge may publish to the topic (one topic policy, whatever the number of rules).
    b.template.resourceCountIs('AWS::SNS::TopicPolicy', 1);
    b.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([{ Action: 'sns:Publish', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Resource: { Ref: topicId }, Sid: '1' }]) },
    });
  });

  test('each documented sample event matches exactly the rule meant for it; events of another service and other events match none', () => {
    const rules = deployedRules(build());
    expect(matching(rules, samples.deploymentInProgress)).toEqual(['Deployment']);
    expect(matching(rules, samples.rollbackInProgress)).toEqual(['Deployment']);
    expect(matching(rules, samples.deploymentCompleted)).toEqual(['Deployment']);
    expect(matching(rules, samples.deploymentFailed)).toEqual(['Deployment']);
    expect(matching(rules, samples.serviceDeploymentFailed)).toEqual(['ServiceAction']);
    expect(matching(rules, samples.hookFailed)).toEqual(['Hook']);
    expect(matching(rules, samples.hookTimedOut)).toEqual(['Hook']);
    expect(matching(rules, samples.hookAwaitingAction)).toEqual(['Pause']);
    expect(matching(rules, samples.hookSucceeded)).toEqual([]);
    expect(matching(rules, samples.serviceSteadyState)).toEqual([]);
    for (const other of samples.otherService) expect(matching(rules, other)).toEqual([]);
  });

  test('the messages: input transformer paths and templates, rendered from the sample events', () => {
    const rules = deployedRules(build());
    const who = 'ECS service web (cluster prod)';
    expect(rules.Deployment.Targets[0].InputTransformer).toEqual({
      InputPathsMap: { 'detail-eventName': '$.detail.eventName', 'time': '$.time', 'detail-reason': '$.detail.reason', 'detail-deploymentId': '$.detail.deploymentId' },
      InputTemplate: `"${who}: <detail-eventName> at <time>. <detail-reason> (deployment <detail-deploymentId>)"`,
    });
    expect(message(rules.Deployment, samples.rollbackInProgress)).toBe(`${who}: SERVICE_DEPLOYMENT_IN_PROGRESS at 2026-12-02T10:15:00Z. ` +
      'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1207394862103958217. (deployment ecs-svc/4519938317385245386)');
    expect(message(rules.Deployment, samples.deploymentFailed)).toBe(`${who}: SERVICE_DEPLOYMENT_FAILED at 2026-12-02T10:15:00Z. ` +
      'ECS deployment circuit breaker: task failed to start. (deployment ecs-svc/4519938317385245386)');

    expect(rules.ServiceAction.Targets[0].InputTransformer.InputPathsMap).toEqual({ 'detail-eventName': '$.detail.eventName', 'time': '$.time' });
    expect(message(rules.ServiceAction, samples.serviceDeploymentFailed)).toBe(`${who}: SERVICE_DEPLOYMENT_FAILED at 2026-12-02T10:21:07Z: ` +
      'a rollback alarm went into ALARM or the deployment circuit breaker tripped. ECS rolls the service back to its last completed deployment.');

    expect(message(rules.Hook, samples.hookTimedOut)).toBe(`${who}: lifecycle hook ${samples.HOOK_ID} (PAUSE) at POST_TEST_TRAFFIC_SHIFT: ` +
      'HOOK_TIMED_OUT at 2026-12-02T10:30:00Z. After HOOK_FAILED ECS rolls the deployment back; after HOOK_TIMED_OUT it takes the hook\'s ' +
      `timeout action (ROLLBACK unless set to CONTINUE). Deployment: ${samples.DEPLOYMENT_ARN}`);

    expect(rules.Pause.Targets[0].InputTransformer.InputPathsMap).toEqual({
      'detail-lifecycleStage': '$.detail.lifecycleStage',
      'detail-hookId': '$.detail.hookId',
      'detail-expiresAt': '$.detail.expiresAt',
      'detail-serviceDeploymentArn': '$.detail.serviceDeploymentArn',
    });
    expect(message(rules.Pause, samples.hookAwaitingAction).split('\n')).toEqual([
      `${who} is paused at POST_TEST_TRAFFIC_SHIFT: PAUSE hook ${samples.HOOK_ID} awaits action until 2026-12-03T10:30:00Z, ` +
        'then ECS takes the hook\'s timeout action.',
      `Continue:  ecs-blue-green continue prod web --hook-id ${samples.HOOK_ID} --deployment ${samples.DEPLOYMENT_ARN}`,
      `       or: aws ecs continue-service-deployment --service-deployment-arn ${samples.DEPLOYMENT_ARN} --hook-id ${samples.HOOK_ID} --action CONTINUE`,
      `Roll back: ecs-blue-green rollback prod web --deployment ${samples.DEPLOYMENT_ARN}`,
      `       or: aws ecs continue-service-deployment --service-deployment-arn ${samples.DEPLOYMENT_ARN} --hook-id ${samples.HOOK_ID} --action ROLLBACK`,
    ]);
  });

  test('a selection makes only the rules it needs; adding events leaves the existing rules\' IDs as they were', () => {
    const pauseOnly = build({ events: [DeploymentEvent.PAUSE_AWAITING_ACTION] });
    expect(Object.keys(deployedRules(pauseOnly))).toEqual(['Pause']);
    const attention = build({ events: DeploymentEvent.needingAttention() });
    const rules = deployedRules(attention);
    expect(Object.keys(rules)).toEqual(['Deployment', 'ServiceAction', 'Hook', 'Pause']);
    expect(rules.Deployment.EventPattern.detail).toEqual({ eventName: ['SERVICE_DEPLOYMENT_FAILED'] });
    expect(matching(rules, samples.deploymentInProgress)).toEqual([]);
    expect(matching(rules, samples.deploymentCompleted)).toEqual([]);
    const ids = (b: Built) => b.service.notificationRules.map((r) => b.stack.getLogicalId(r.node.defaultChild as any));
    expect(ids(attention)).toContain(ids(pauseOnly)[0]);
  });

  test('any rule target: a Lambda function gets the same message and an invoke permission for EventBridge', () => {
    const stack = newStack();
    const f = albFixture(stack);
    const fn = new lambda.Function(stack, 'Chat', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {};') });
    const service = new BlueGreenEcsService(stack, 'Api', {
      cluster: f.cluster,
      taskDefinition: f.taskDefinition,
      routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener }),
      notifications: { target: new targets.LambdaFunction(fn), events: [DeploymentEvent.PAUSE_AWAITING_ACTION] },
    });
    const template = checkStack(stack);
    const rule = template.toJSON().Resources[stack.getLogicalId(service.notificationRules[0].node.defaultChild as any)];
    expect(rule.Properties.Targets[0].Arn).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(fn.node.defaultChild as any), 'Arn'] });
    expect(rule.Properties.Targets[0].InputTransformer.InputPathsMap['detail-hookId']).toBe('$.detail.hookId');
    template.hasResourceProperties('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com' });
  });

  test('without notifications: no rule', () => {
    const stack = newStack();
    const f = albFixture(stack);
    const service = new BlueGreenEcsService(stack, 'Api', {
      cluster: f.cluster, taskDefinition: f.taskDefinition, routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener }),
    });
    Template.fromStack(stack).resourceCountIs('AWS::Events::Rule', 0);
    expect(service.notificationRules).toEqual([]);
  });

  test.each([
    ['no target', { target: undefined }, /invalid notifications.target: must be an EventBridge rule target .*got undefined/],
    ['an empty event list', { events: [] }, /invalid notifications.events: must list at least one DeploymentEvent .*got \[0 items\]/],
    ['an event name instead of a DeploymentEvent', { events: [DeploymentEvent.FAILED, 'SERVICE_DEPLOYMENT_FAILED'] },
      /\[TestStack\/Api\] invalid notifications.events\[1\]: must be a DeploymentEvent \(STARTED, .*PAUSE_AWAITING_ACTION\), got "SERVICE_DEPLOYMENT_FAILED"/],
  ])('fails when notifications have %s', (_name, notifications, error) => {
    const stack = newStack();
    const f = albFixture(stack);
    expect(() => new BlueGreenEcsService(stack, 'Api', {
      cluster: f.cluster,
      taskDefinition: f.taskDefinition,
      routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener }),
      notifications: { target: new targets.SnsTopic(new sns.Topic(stack, 'T')), ...notifications } as any,
    })).toThrow(error);
  });
});

describe('DeploymentEventRule (what the migration\'s SNS triggers become)', () => {
  test('one service, one SNS topic, the given deployment event names; none given: every deployment state change', () => {
    let some!: events.Rule;
    let all!: events.Rule;
    const b = build(undefined, (stack, service) => {
      const topic = sns.Topic.fromTopicArn(stack, 'Triggers', TOPIC_ARN);
      some = new DeploymentEventRule(stack, 'Trigger0', {
        service: service.service,
        eventNames: ['SERVICE_DEPLOYMENT_FAILED', 'SERVICE_DEPLOYMENT_COMPLETED', 'SERVICE_DEPLOYMENT_FAILED'],
        target: new targets.SnsTopic(topic),
        description: 'was CodeDeploy trigger t0',
      });
      all = new DeploymentEventRule(stack, 'Trigger1', { service: service.service, target: new targets.SnsTopic(topic) });
    });
    const template = b.template.toJSON();
    const props = (r: events.Rule) => deployedValue(template.Resources[b.stack.getLogicalId(r.node.defaultChild as any)].Properties, b.deployed);
    expect(props(some)).toMatchObject({
      Description: 'was CodeDeploy trigger t0',
      EventPattern: { 'detail-type': ['ECS Deployment State Change'], 'resources': [samples.SERVICE_ARN], 'detail': { eventName: ['SERVICE_DEPLOYMENT_COMPLETED', 'SERVICE_DEPLOYMENT_FAILED'] } },
      Targets: [{ Arn: TOPIC_ARN }],
    });
    expect(props(all).EventPattern).toEqual({ 'source': ['aws.ecs'], 'detail-type': ['ECS Deployment State Change'], 'resources': [samples.SERVICE_ARN] });
    expect(matchesEventPattern(props(all).EventPattern, samples.deploymentInProgress)).toBe(true);
    expect(matchesEventPattern(props(some).EventPattern, samples.deploymentInProgress)).toBe(false);
    expect(message(props(all), samples.deploymentCompleted)).toBe('ECS service web (cluster prod): SERVICE_DEPLOYMENT_COMPLETED at 2026-12-02T10:15:00Z. ' +
      'ECS deployment ecs-svc/4519938317385245386 completed. (deployment ecs-svc/4519938317385245386)');
  });

  test('an event name that is not an ECS Deployment State Change event is refused, naming the prop and the allowed names', () => {
    const build_ = () => build(undefined, (stack, service) => new DeploymentEventRule(stack, 'Trigger0', {
      service: service.service,
      eventNames: ['SERVICE_DEPLOYMENT_COMPLETED', 'DeploymentSuccess'],
      target: new targets.SnsTopic(sns.Topic.fromTopicArn(stack, 'Triggers', TOPIC_ARN)),
    }));
    expect(build_).toThrow(BlueGreenValidationError);
    expect(build_).toThrow(/invalid eventNames\[1\]: must be one of SERVICE_DEPLOYMENT_IN_PROGRESS, SERVICE_DEPLOYMENT_COMPLETED, SERVICE_DEPLOYMENT_FAILED .*got "DeploymentSuccess"/);
  });
});
