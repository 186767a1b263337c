import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { CleanupPrecondition } from './cleanup-precondition';
import { attachedTo, checkForeignRules, listenerSettings } from './listener-copy';
import { codeDeployResources, MigrationContext, MigrationOptionResult, portOf, serviceRef } from './migration-context';
import { MigrationPhase } from './migration-option';
import { buildNewService } from './new-service';
import { BlueGreenValidationError } from '../errors';
import { removeFromApp } from '../private/remove';
import { integerInRange } from '../private/validate';
import { TrafficRouting } from '../service/traffic-routing';

/** The ports option 2 uses; the test ones are 0 / undefined without a test listener. */
interface Ports {
  readonly tempProd: number;
  readonly parkProd: number;
  readonly tempTest: number;
  readonly parkTest: number;
  readonly prodPort: number;
  readonly testPort?: number;
  readonly test: boolean;
}

/** The ports of option 2, each checked to be free of the others. */
function checkedPorts(ctx: MigrationContext): Ports {
  const p = ctx.props;
  const o = p.option.existingLoadBalancer!;
  const scope = ctx.scope;
  const tempProd = integerInRange(scope, 'option.temporaryProductionPort', o.temporaryProductionPort, 1, 65535);
  const oldProd = p.productionListener.node.defaultChild as elbv2.CfnListener;
  const oldTest = p.testListener?.node.defaultChild as elbv2.CfnListener | undefined;
  // A port left to its default (temporaryProductionPort + n) is named with its default in errors.
  const checkedPort = (name: string, value: number | undefined, offset: number) => value !== undefined
    ? integerInRange(scope, `option.${name}`, value, 1, 65535)
    : integerInRange(scope, `option.${name}`, tempProd + offset, 1, 65535, `(its default, temporaryProductionPort + ${offset}); set it or lower temporaryProductionPort`);
  const parkProd = checkedPort('parkingProductionPort', o.parkingProductionPort, 2);
  const tempTest = oldTest ? checkedPort('temporaryTestPort', o.temporaryTestPort, 1) : 0;
  const parkTest = oldTest ? checkedPort('parkingTestPort', o.parkingTestPort, 3) : 0;
  const prodPort = portOf(ctx, oldProd, 'productionListener');
  const testPort = oldTest ? portOf(ctx, oldTest, 'testListener') : undefined;
  const taken = [prodPort, ...(testPort !== undefined ? [testPort] : [])];
  const ours: Array<[string, number]> = [['temporaryProductionPort', tempProd], ['parkingProductionPort', parkProd],
    ...(oldTest ? [['temporaryTestPort', tempTest], ['parkingTestPort', parkTest]] as Array<[string, number]> : [])];
  for (const [name, port] of ours) {
    if (taken.includes(port) || ours.filter(([, other]) => other === port).length > 1) {
      throw new BlueGreenValidationError(scope, `option.${name}`,
        `${port} collides with another port of the migration (listeners on ${taken.join(', ')}; ${ours.map(([n, v]) => `${n} ${v}`).join(', ')}); each needs its own free port`);
    }
  }
  return { tempProd, parkProd, tempTest, parkTest, prodPort, testPort, test: oldTest !== undefined };
}

/**
 * Option 2, a new service on the existing load balancer: new listeners on temporary ports in
 * PREPARE, which take the old listeners' ports at CUTOVER (the old ones park elsewhere).
 * @internal
 */
export function newServiceExistingLoadBalancer(ctx: MigrationContext): MigrationOptionResult {
  const p = ctx.props;
  const scope = ctx.scope;
  const ports = checkedPorts(ctx);
  const oldProd = p.productionListener.node.defaultChild as elbv2.CfnListener;
  const oldTest = p.testListener?.node.defaultChild as elbv2.CfnListener | undefined;

  const phase = p.phase;
  const swapped = phase === MigrationPhase.CUTOVER || phase === MigrationPhase.CLEANUP;
  const alb = p.productionListener.loadBalancer;
  const notFound = elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'not found' });
  // ROLLBACK gives the port back to the old listener and its rules, whatever they are.
  const own = [p.blueTargetGroup.targetGroupArn, p.greenTargetGroup.targetGroupArn];
  const oldListeners = [p.productionListener, ...(p.testListener ? [p.testListener] : [])];
  const attached = phase === MigrationPhase.ROLLBACK ? [] : oldListeners.flatMap((l) =>
    attachedTo(l, checkForeignRules(scope, l === p.testListener ? 'testListener' : 'productionListener', l, own)));
  // The new listeners take the old ones' ports at CUTOVER: same protocol, certificates, TLS policy, mutual TLS, attributes.
  const copy = (id: string, old: elbv2.ApplicationListener, port: number) => {
    const settings = listenerSettings(old);
    const listener = new elbv2.ApplicationListener(scope, id, {
      loadBalancer: alb,
      port,
      protocol: settings.protocol,
      defaultAction: notFound,
      open: false,
      certificates: settings.certificates,
    });
    settings.apply(listener);
    return listener;
  };
  const listener = copy('ProductionListener', p.productionListener, swapped ? ports.prodPort : ports.tempProd);
  const testListener = p.testListener ? copy('TestListener', p.testListener, swapped ? ports.testPort! : ports.tempTest) : undefined;
  const built = buildNewService(ctx, TrafficRouting.applicationLoadBalancer({ listener, testListener }), []);

  const newProd = listener.node.defaultChild as elbv2.CfnListener;
  const newTest = testListener?.node.defaultChild as elbv2.CfnListener | undefined;
  if (phase === MigrationPhase.CUTOVER) {
    // The old listeners leave the original ports first, then the new ones take them.
    oldProd.port = ports.parkProd;
    newProd.node.addDependency(oldProd);
    if (oldTest && newTest) {
      oldTest.port = ports.parkTest;
      newTest.node.addDependency(oldTest);
    }
  } else if (phase === MigrationPhase.ROLLBACK) {
    // The new listeners go back to the temporary ports first, then the old ones return.
    oldProd.node.addDependency(newProd);
    if (oldTest && newTest) oldTest.node.addDependency(newTest);
  } else if (phase === MigrationPhase.CLEANUP) {
    new CleanupPrecondition(scope, 'CleanupPrecondition', {
      service: serviceRef(built.service.service),
      listener: { listenerArn: listener.listenerArn, port: ports.prodPort },
    });
    removeFromApp(scope, 'phase', [p.service, ...oldListeners, ...attached, p.blueTargetGroup, p.greenTargetGroup,
      ...built.oldPathAlarms, ...codeDeployResources(ctx)]);
  }
  return { newService: built.service, newProductionListener: listener, plan: [...PLAN[phase](ports), ...built.alarmNotes] };
}

/** The steps of each phase of option 2. */
const PLAN: { readonly [phase in MigrationPhase]: (f: Ports) => string[] } = {
  [MigrationPhase.PREPARE]: (f) => [
    `This deploy adds a new ECS blue/green service with its own target groups behind new listeners on ports ${f.tempProd}` +
      `${f.test ? ` (production) and ${f.tempTest} (test)` : ''} of the same load balancer; the CodeDeploy path is untouched.`,
    'They copy the old listeners\' protocol, every certificate (SNI ones included), TLS policy, mutual TLS and attributes; rules ' +
      'of other applications on the old listeners are refused at synth (they would get 404 once the ports swap).',
    `The new listeners are closed: allow your testers in (migration.newProductionListener.connections.allowDefaultPortFrom(...)) and test on port ${f.tempProd}.`,
    'Verify: the new service reaches a steady state (aws ecs describe-services), both new target groups are healthy, and one ECS deployment succeeds on the temporary ports.',
    `Make sure ports ${f.parkProd}${f.test ? ` and ${f.parkTest}` : ''} are free: CUTOVER parks the old listeners there. Next: deploy CUTOVER.`,
  ],
  [MigrationPhase.CUTOVER]: (f) => [
    `This deploy swaps ports: the old production listener moves to ${f.parkProd}, then the new one takes ${f.prodPort}` +
      `${f.test ? `; the old test listener moves to ${f.parkTest}, then the new one takes ${f.testPort}` : ''}. Clients may see errors for the seconds between the two updates.`,
    'Verify: the production URL answers from the new service (aws elbv2 describe-listeners shows the new listener on the production port); watch error rates and alarms.',
    'Rollback: deploy ROLLBACK (the swap in reverse). Next: deploy CLEANUP once the new service has served long enough.',
  ],
  [MigrationPhase.ROLLBACK]: (f) => [
    `This deploy swaps the ports back: the new listeners return to ${f.tempProd}${f.test ? `/${f.tempTest}` : ''} first, then the old ones take ${f.prodPort}${f.test ? `/${f.testPort}` : ''} again.`,
    'Verify: the production URL answers from the CodeDeploy service; the new service keeps running on the temporary ports for another try.',
  ],
  [MigrationPhase.CLEANUP]: (f) => [
    'This deploy deletes the old service, its listeners and target groups, and the CodeDeploy deployment group, application and role.',
    `A check runs first: the deploy fails, and CloudFormation rolls it back deleting nothing, unless the new service runs on the ECS controller and its listener holds port ${f.prodPort}.`,
    'Before: point alarms, dashboards and scaling at the new service and its target groups (synthesis fails while something still references what is deleted).',
    'Verify: the production URL answers; aws deploy list-deployment-groups no longer lists the group. There is no rollback after CLEANUP other than rebuilding the old path.',
    'Then graduate: replace this construct with the BlueGreenEcsService it built, written out under a plain construct with the same ID and child IDs, ' +
      'and delete the old path\'s code (README, "After CLEANUP: graduate"). The old listeners\' `open` rules stay on the load balancer\'s security group: ' +
      'give each new listener the `open` of the old listener whose port it holds, or clients are cut off.',
  ],
};
