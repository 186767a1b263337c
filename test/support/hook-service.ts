import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { albFixture } from './fixtures';
import { BlueGreenEcsService, LifecycleHook, TrafficRouting } from '../../src';

/** A BlueGreenEcsService `id` behind the ALB fixture (production and test listener) with `hooks`. */
export function albServiceWithHooks(stack: Stack, id: string, hooks: LifecycleHook[] = []): BlueGreenEcsService {
  const f = albFixture(stack);
  return new BlueGreenEcsService(stack, id, {
    cluster: f.cluster,
    taskDefinition: f.taskDefinition,
    routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener, testListener: f.testListener }),
    hooks,
  });
}

/** The template's only AWS::ECS::Service (DependsOn, Properties). */
export function ecsServiceOf(template: Template): { DependsOn?: string[]; Properties: any } {
  const services = Object.values(template.findResources('AWS::ECS::Service')) as any[];
  if (services.length !== 1) throw new Error(`expected one AWS::ECS::Service, found ${services.length}`);
  return services[0];
}
