// The rest of the ECS service: props passed through to aws-cdk-lib's Fargate/EC2 service, the
// circuit breaker's threshold, and what ECS rejects under blue/green.
import { Duration, Size, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { NagSuppressions } from 'cdk-nag';
import { BlueGreenEcsService, BlueGreenEcsServiceProps, CircuitBreakerThreshold, TrafficRouting } from '../../src';
import { AlbFixture, albFixture, checkStack, newStack } from '../support';
import { errorOf } from '../support/errors';

function build(props: Partial<BlueGreenEcsServiceProps> = {}, stack = newStack(), f: AlbFixture = albFixture(stack)) {
  const api = new BlueGreenEcsService(stack, 'Api', {
    cluster: f.cluster,
    taskDefinition: f.taskDefinition,
    routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener, testListener: f.testListener }),
    ...props,
  });
  return { stack, f, api };
}

function ec2Fixture() {
  const stack = newStack();
  const f = albFixture(stack);
  // Template.fromStack only: aws-cdk-lib's capacity renders a LaunchConfiguration (cfn-lint W3697).
  f.cluster.addCapacity('Capacity', { instanceType: new ec2.InstanceType('t3.small'), minCapacity: 1 });
  const taskDefinition = new ecs.Ec2TaskDefinition(stack, 'Ec2Task', { networkMode: ecs.NetworkMode.AWS_VPC });
  taskDefinition.addContainer('web', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
    memoryLimitMiB: 256,
    portMappings: [{ containerPort: 80 }],
  });
  return { stack, f, taskDefinition };
}

function serviceProps(stack: Stack): any {
  return (Object.values(Template.fromStack(stack).findResources('AWS::ECS::Service'))[0] as any).Properties;
}

describe('props passed through to the ECS service', () => {
  test('platformVersion (Fargate)', () => {
    const { stack } = build({ platformVersion: ecs.FargatePlatformVersion.VERSION1_4 });
    checkStack(stack).hasResourceProperties('AWS::ECS::Service', { PlatformVersion: '1.4.0' });
  });

  test('healthCheckGracePeriod, whole seconds', () => {
    const { stack } = build({ healthCheckGracePeriod: Duration.minutes(2) });
    checkStack(stack).hasResourceProperties('AWS::ECS::Service', { HealthCheckGracePeriodSeconds: 120 });
    expect(errorOf(() => build({ healthCheckGracePeriod: Duration.millis(1500) })).message)
      .toMatch(/invalid healthCheckGracePeriod: must be a whole number of seconds/);
  });

  test('enableExecuteCommand grants the task role the SSM channels', () => {
    const { stack } = build({ enableExecuteCommand: true });
    const template = checkStack(stack);
    template.hasResourceProperties('AWS::ECS::Service', { EnableExecuteCommand: true });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['ssmmessages:CreateControlChannel']) })]) },
    });
  });

  test('propagateTags and enableECSManagedTags', () => {
    const { stack } = build({ propagateTags: ecs.PropagatedTagSource.SERVICE, enableECSManagedTags: true });
    checkStack(stack).hasResourceProperties('AWS::ECS::Service', { PropagateTags: 'SERVICE', EnableECSManagedTags: true });
  });

  test('taskDefinitionRevision LATEST renders the family', () => {
    const { stack, f } = build({ taskDefinitionRevision: ecs.TaskDefinitionRevision.LATEST });
    // ECS runs the newest ACTIVE revision of the family (no Ref to this stack's revision).
    expect(serviceProps(stack).TaskDefinition).toEqual(stack.resolve(f.taskDefinition.family));
    checkStack(stack);
  });

  test('availabilityZoneRebalancing, which needs room above 100 %', () => {
    const { stack } = build({ availabilityZoneRebalancing: ecs.AvailabilityZoneRebalancing.ENABLED });
    checkStack(stack).hasResourceProperties('AWS::ECS::Service', { AvailabilityZoneRebalancing: 'ENABLED' });
    const enabled = ecs.AvailabilityZoneRebalancing.ENABLED;
    expect(errorOf(() => build({ availabilityZoneRebalancing: enabled, minHealthyPercent: 50, maxHealthyPercent: 100 })).message)
      .toMatch(/invalid availabilityZoneRebalancing: ENABLED needs maxHealthyPercent above 100, got 100/);
  });

  test('placement constraints and strategies (EC2)', () => {
    const { stack, f, taskDefinition } = ec2Fixture();
    build({
      taskDefinition,
      placementConstraints: [ecs.PlacementConstraint.memberOf('attribute:ecs.instance-type =~ t3.*')],
      placementStrategies: [
        ecs.PlacementStrategy.spreadAcross(ecs.BuiltInAttributes.AVAILABILITY_ZONE),
        ecs.PlacementStrategy.spreadAcrossInstances(),
      ],
      availabilityZoneRebalancing: ecs.AvailabilityZoneRebalancing.ENABLED,
    }, stack, f);
    Template.fromStack(stack).hasResourceProperties('AWS::ECS::Service', {
      PlacementConstraints: [{ Type: 'memberOf', Expression: 'attribute:ecs.instance-type =~ t3.*' }],
      PlacementStrategies: [{ Type: 'spread', Field: 'attribute:ecs.availability-zone' }, { Type: 'spread', Field: 'instanceId' }],
      AvailabilityZoneRebalancing: 'ENABLED',
    });
  });

  test('an EBS volume configured at deployment', () => {
    const stack = newStack();
    const f = albFixture(stack);
    const volume = new ecs.ServiceManagedVolume(stack, 'Data', {
      name: 'data',
      managedEBSVolume: { size: Size.gibibytes(20), encrypted: true, fileSystemType: ecs.FileSystemType.EXT4 },
    });
    NagSuppressions.addResourceSuppressions(volume, [
      { id: 'AwsSolutions-IAM4', reason: 'aws-cdk-lib\'s EBS role for ECS uses AmazonECSInfrastructureRolePolicyForVolumes.' },
    ], true);
    f.taskDefinition.addVolume(volume);
    volume.mountIn(f.taskDefinition.defaultContainer!, { containerPath: '/data', readOnly: false });
    build({ volumeConfigurations: [volume] }, stack, f);
    checkStack(stack, { nag: true }).hasResourceProperties('AWS::ECS::Service', {
      VolumeConfigurations: [{
        Name: 'data',
        ManagedEBSVolume: Match.objectLike({ SizeInGiB: 20, Encrypted: true, FilesystemType: 'ext4', RoleArn: Match.anyValue() }),
      }],
    });
  });

  test('serviceConnect with several services and client aliases, test traffic on each', () => {
    const stack = newStack();
    const f = albFixture(stack);
    f.taskDefinition.defaultContainer!.addPortMappings({ containerPort: 9090, name: 'admin' });
    f.cluster.addDefaultCloudMapNamespace({ name: 'internal.local', useForServiceConnect: true, type: servicediscovery.NamespaceType.HTTP });
    build({
      routing: TrafficRouting.serviceConnect({
        portMappingName: 'web',
        dnsName: 'api',
        testTrafficHeader: { name: 'x-canary', value: 'yes' },
        additionalServices: [{ portMappingName: 'admin', dnsName: 'api-admin', port: 9090 }],
      }),
    }, stack, f);
    const rules = { Header: { Name: 'x-canary', Value: { Exact: 'yes' } } };
    checkStack(stack).hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: {
        Enabled: true,
        Services: [
          { PortName: 'web', ClientAliases: [{ DnsName: 'api', Port: 80, TestTrafficRules: rules }] },
          { PortName: 'admin', ClientAliases: [{ DnsName: 'api-admin', Port: 9090, TestTrafficRules: rules }] },
        ],
      },
    });
  });
});

describe('what ECS rejects among them', () => {
  test('fails on platformVersion for an EC2 task definition', () => {
    const { stack, f, taskDefinition } = ec2Fixture();
    expect(errorOf(() => build({ taskDefinition, platformVersion: ecs.FargatePlatformVersion.LATEST }, stack, f)).message)
      .toMatch(/invalid platformVersion: is a Fargate setting/);
  });

  test('fails on placement for a Fargate task definition, and on too many strategy rules', () => {
    expect(errorOf(() => build({ placementStrategies: [ecs.PlacementStrategy.randomly()] })).message)
      .toMatch(/placement constraints and strategies apply to EC2 only/);
    const { stack, f, taskDefinition } = ec2Fixture();
    const six = [1, 2, 3, 4, 5, 6].map(() => ecs.PlacementStrategy.randomly());
    expect(errorOf(() => build({ taskDefinition, placementStrategies: six }, stack, f)).message)
      .toMatch(/ECS allows at most 5 placement strategy rules per service, got 6/);
  });

  test('fails on AZ rebalancing without zone spread first (EC2)', () => {
    const { stack, f, taskDefinition } = ec2Fixture();
    expect(errorOf(() => build({
      taskDefinition,
      placementStrategies: [ecs.PlacementStrategy.packedByCpu()],
      availabilityZoneRebalancing: ecs.AvailabilityZoneRebalancing.ENABLED,
    }, stack, f)).message).toMatch(/ENABLED needs an Availability Zone spread as first placement strategy/);
  });

  test('fails on a volume the task definition does not configure at launch, at synth', () => {
    const stack = newStack();
    const f = albFixture(stack);
    const volume = new ecs.ServiceManagedVolume(stack, 'Data', { name: 'data', managedEBSVolume: { size: Size.gibibytes(20) } });
    build({ volumeConfigurations: [volume] }, stack, f);
    expect(() => Template.fromStack(stack)).toThrow(/invalid volumeConfigurations: 'data' is no volume of the task definition configured at launch/);
  });

  test.each([
    ['no managedEBSVolume', undefined],
    ['managedEBSVolume without size or snapshot', {}],
  ])('fails on an EBS volume with neither size nor snapshot (%s)', (_name, managedEBSVolume) => {
    // GIVEN a volume configured at launch whose EBS settings ECS cannot create a volume from
    const stack = newStack();
    const f = albFixture(stack);
    const volume = new ecs.ServiceManagedVolume(stack, 'Data', { name: 'data' });
    // aws-cdk-lib checks size/snapshot only when managedEBSVolume is given to its constructor.
    (volume as any).config = managedEBSVolume;
    f.taskDefinition.addVolume(volume);
    volume.mountIn(f.taskDefinition.defaultContainer!, { containerPath: '/data', readOnly: false });

    // THEN the service refuses it, naming the prop and what ECS needs
    const error = errorOf(() => build({ volumeConfigurations: [volume] }, stack, f));
    expect(error.prop).toBe('volumeConfigurations');
    expect(error.message).toMatch(/\[TestStack\/Api\] invalid volumeConfigurations: volume 'data' has neither a size nor a snapshot; .*managedEBSVolume: \{ size: Size.gibibytes\(n\) \} or snapShotId/);
  });

  test('fails on duplicate Service Connect discovery names', () => {
    const stack = newStack();
    const f = albFixture(stack);
    f.cluster.addDefaultCloudMapNamespace({ name: 'internal.local', useForServiceConnect: true, type: servicediscovery.NamespaceType.HTTP });
    expect(errorOf(() => build({
      routing: TrafficRouting.serviceConnect({ portMappingName: 'web', additionalServices: [{ portMappingName: 'web' }] }),
    }, stack, f)).message).toMatch(/discovery name 'web' is used by two Service Connect services/);
    const other = newStack();
    const g = albFixture(other);
    g.cluster.addDefaultCloudMapNamespace({ name: 'internal.local', useForServiceConnect: true, type: servicediscovery.NamespaceType.HTTP });
    expect(errorOf(() => build({
      routing: TrafficRouting.serviceConnect({ portMappingName: 'web', additionalServices: [{ portMappingName: 'nope', discoveryName: 'x' }] }),
    }, other, g)).message).toMatch(/additionalServices\[0\].portMappingName: 'nope' is not a named port mapping .*named mappings: web/);
  });
});

describe('circuit breaker, as the schema has it', () => {
  test.each([
    ['count', CircuitBreakerThreshold.count(3), { Type: 'COUNT', Value: 3 }],
    ['bounded percent', CircuitBreakerThreshold.boundedPercent(25), { Type: 'BOUNDED_PERCENT', Value: 25 }],
    ['unbounded percent', CircuitBreakerThreshold.unboundedPercent(10), { Type: 'UNBOUNDED_PERCENT', Value: 10 }],
  ])('%s threshold merges into the L2\'s circuit breaker', (_, threshold, rendered) => {
    const { stack } = build({ circuitBreakerThreshold: threshold, circuitBreakerResetOnHealthyTask: false });
    checkStack(stack).hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: Match.objectLike({
        DeploymentCircuitBreaker: { Enable: true, Rollback: true, ThresholdConfiguration: rendered, ResetOnHealthyTask: false },
      }),
    });
  });

  test('fails on a threshold that is no positive whole number, or with the circuit breaker off', () => {
    expect(errorOf(() => build({ circuitBreakerThreshold: CircuitBreakerThreshold.count(0) })).message)
      .toMatch(/invalid circuitBreakerThreshold: the number of failed tasks must be a whole number from 1/);
    expect(errorOf(() => build({ circuitBreakerThreshold: CircuitBreakerThreshold.boundedPercent(12.5) })).message)
      .toMatch(/the percentage must be a whole number/);
    expect(errorOf(() => build({ circuitBreaker: false, circuitBreakerResetOnHealthyTask: true })).message)
      .toMatch(/invalid circuitBreakerResetOnHealthyTask: configures the deployment circuit breaker, which circuitBreaker: false turns off/);
  });
});
