import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as vpclattice from 'aws-cdk-lib/aws-vpclattice';
import { BlueGreenEcsService, TrafficRouting, VpcLatticeRoutingOptions } from '../../src';
import { fargateTask, newStack } from '../support';
import { errorOf } from '../support/errors';

/**
 * Conflicts between VPC Lattice routings and the Lattice resources around them, which each routing
 * alone cannot see: two rules with one priority on one listener (CreateRule refuses a priority the
 * listener already has), a test listener of another Lattice service, and a latticeService that is
 * not the listener's.
 */

const ARN = (svc: string, listener: string) => `arn:aws:vpc-lattice:us-east-1:123456789012:service/${svc}/listener/${listener}`;
const LISTENER_ARN = ARN('svc-0123456789abcdef0', 'listener-0123456789abcdef0');

function setup() {
  const stack = newStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const latticeService = new vpclattice.CfnService(stack, 'Lattice', { authType: 'NONE' });
  const listener = (id: string, svc: vpclattice.CfnService, port: number) => new vpclattice.CfnListener(stack, id, {
    serviceIdentifier: svc.attrId, protocol: 'HTTP', port, defaultAction: { fixedResponse: { statusCode: 404 } },
  });
  const service = (id: string, options: VpcLatticeRoutingOptions) => new BlueGreenEcsService(stack, id, {
    cluster, taskDefinition: fargateTask(stack, `${id}Task`), routing: TrafficRouting.vpcLattice(options),
  });
  return { stack, latticeService, listener, service, production: listener('Listener', latticeService, 80), test: listener('TestListener', latticeService, 8080) };
}

describe('two VPC Lattice routings on one listener', () => {
  test('fails when a second service takes the default priority 100 on the same listener', () => {
    const f = setup();
    f.service('One', { listener: f.production });

    const e = errorOf(() => f.service('Two', { listener: f.production }));

    expect(e.prop).toBe('routing.priority');
    expect(e.constructPath).toBe('TestStack/Two');
    expect(e.message).toMatch(/invalid routing.priority: 100 is already used on this listener by TestStack\/One\/ProductionRule; each rule of a VPC Lattice listener needs its own priority \(1–100\)/);
  });

  test('fails for the same listener given by ARN', () => {
    const f = setup();
    f.service('One', { listenerArn: LISTENER_ARN, priority: 20 });

    const e = errorOf(() => f.service('Two', { listenerArn: LISTENER_ARN, priority: 20 }));

    expect(e.prop).toBe('routing.priority');
    expect(e.message).toMatch(/20 is already used on this listener by TestStack\/One\/ProductionRule/);
  });

  test('fails for a listener given as the L1 in one service and by its ARN attribute in another', () => {
    const f = setup();
    f.service('One', { listener: f.production, priority: 30 });

    const e = errorOf(() => f.service('Two', { listenerArn: f.production.attrArn, latticeService: f.latticeService, priority: 30 }));

    expect(e.message).toMatch(/30 is already used on this listener by TestStack\/One\/ProductionRule/);
  });

  test('fails when the priority collides with the other service\'s test header rule', () => {
    const f = setup();
    f.service('One', { listener: f.production, priority: 50, testHeader: { name: 'x-green', value: '1' } });

    const e = errorOf(() => f.service('Two', { listener: f.production, priority: 49 }));

    expect(e.message).toMatch(/49 is already used on this listener by TestStack\/One\/TestRule/);
  });

  test('fails when the test rule collides with another service\'s rule on the test listener', () => {
    const f = setup();
    f.service('One', { listener: f.production, testListener: f.test, priority: 10 });

    const e = errorOf(() => f.service('Two', { listener: f.production, testListener: f.test, priority: 11, testPriority: 10 }));

    expect(e.prop).toBe('routing.testPriority');
    expect(e.message).toMatch(/10 is already used on this listener by TestStack\/One\/TestRule/);
  });

  test('fails when a rule of the user\'s holds the priority', () => {
    const f = setup();
    new vpclattice.CfnRule(f.stack, 'Legacy', {
      serviceIdentifier: f.latticeService.attrId,
      listenerIdentifier: f.production.attrId,
      priority: 100,
      match: { httpMatch: { pathMatch: { match: { prefix: '/legacy' } } } },
      action: { fixedResponse: { statusCode: 410 } },
    });

    const e = errorOf(() => f.service('One', { listener: f.production }));

    expect(e.message).toMatch(/100 is already used on this listener by TestStack\/Legacy/);
  });

  test('distinct priorities on one listener synthesize, and a rejected service leaves its priority free', () => {
    const f = setup();
    f.service('One', { listener: f.production, testListener: f.test, priority: 10 });
    errorOf(() => f.service('Bad', { listener: f.production, priority: 20, protocolVersion: 'HTTP3' }));
    f.service('Two', { listener: f.production, testListener: f.test, priority: 20 });

    const rules = Object.values<any>(Template.fromStack(f.stack).findResources('AWS::VpcLattice::Rule')).map((r) => r.Properties.Priority);
    expect(rules.sort()).toEqual([10, 10, 20, 20]);
  });

  test('the same priority on two stacks\' imports of one ARN is each stack\'s own business (one app per registry)', () => {
    const one = setup();
    one.service('One', { listenerArn: LISTENER_ARN });
    const two = setup();
    expect(() => two.service('One', { listenerArn: LISTENER_ARN })).not.toThrow();
  });
});

describe('a VPC Lattice test listener and latticeService must belong to the production listener\'s service', () => {
  test('fails for a test listener of another Lattice service', () => {
    const f = setup();
    const other = new vpclattice.CfnService(f.stack, 'Other', {});

    const e = errorOf(() => f.service('Api', { listener: f.production, testListener: f.listener('OtherListener', other, 8080) }));

    expect(e.prop).toBe('routing.testListener');
    expect(e.message).toMatch(/belongs to another VPC Lattice service \(TestStack\/Other\) than the production listener \(TestStack\/Lattice\); ECS shifts the rules of one service/);
  });

  test('fails for a test listener ARN of another Lattice service', () => {
    const f = setup();
    const e = errorOf(() => f.service('Api', { listenerArn: LISTENER_ARN, testListenerArn: ARN('svc-0fedcba9876543210', 'listener-0123456789abcdef1') }));

    expect(e.prop).toBe('routing.testListenerArn');
    expect(e.message).toMatch(/belongs to another VPC Lattice service \(svc-0fedcba9876543210\) than the production listener \(svc-0123456789abcdef0\)/);
  });

  test('fails for a test listener next to a Lattice service created for you (it cannot be that service\'s)', () => {
    const f = setup();
    const e = errorOf(() => f.service('Api', { testListener: f.test }));

    expect(e.prop).toBe('routing.testListener');
    expect(e.message).toMatch(/needs listener or listenerArn: the Lattice service created for you has one listener/);
  });

  test('fails for a latticeService that is not the listener\'s service', () => {
    const f = setup();
    const other = new vpclattice.CfnService(f.stack, 'Other', {});

    const e = errorOf(() => f.service('Api', { listener: f.production, latticeService: other }));

    expect(e.prop).toBe('routing.latticeService');
    expect(e.message).toMatch(/is TestStack\/Other, but the production listener belongs to TestStack\/Lattice/);
  });

  test('the listener\'s own service, named by ID or ARN, is fine', () => {
    const f = setup();
    const byArn = new vpclattice.CfnListener(f.stack, 'ByArn', {
      serviceIdentifier: f.latticeService.attrArn, protocol: 'HTTP', port: 9000, defaultAction: { fixedResponse: { statusCode: 404 } },
    });
    expect(() => f.service('Api', { listener: f.production, testListener: byArn, latticeService: f.latticeService })).not.toThrow();
  });
});

describe('VPC Lattice gRPC target groups', () => {
  test('fail with the default target protocol (HTTP)', () => {
    const f = setup();
    const e = errorOf(() => f.service('Api', { listener: f.production, protocolVersion: 'GRPC' }));
    expect(e.prop).toBe('routing.protocolVersion');
    expect(e.message).toMatch(/GRPC needs targetProtocol HTTPS/);
  });
});

