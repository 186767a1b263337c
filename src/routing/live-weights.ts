import * as crypto from 'crypto';
import * as path from 'path';
import { CfnResource, CustomResource, Lazy, Stack, Token } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { libraryProvider } from '../private/provider';

const ID = 'EcsBlueGreenLiveWeights';
const PROVIDER_ID = 'EcsBlueGreenLiveWeightsProvider';
const CODE_DIR = path.join(__dirname, '..', '..', 'assets', 'routing', 'live-weights.lambda');

/** Where a weighted forward lives: an ALB listener rule or an NLB listener's default action. */
export interface WeightedForwardSpec {
  readonly kind: 'rule' | 'listener';
  /** The rule or listener resource whose rendered properties trigger a re-read when they change. */
  readonly resource: CfnResource;
  /** The rule's listener (kind 'rule'). */
  readonly listenerArn?: string;
  /** The rule's priority (kind 'rule'). */
  readonly priority?: number;
  /** The listener's load balancer (kind 'listener': a listener cannot name itself). */
  readonly loadBalancerArn?: string;
  /** The listener's port (kind 'listener'). */
  readonly port?: number;
  readonly blueTargetGroupArn: string;
  readonly greenTargetGroupArn: string;
}

/** The live weights of one registered rule or listener, as deploy-time values. */
export interface LiveWeightValues {
  readonly blue: number;
  readonly green: number;
}

/**
 * One custom resource per stack that reads, at deploy time, the forward weights live on every
 * registered rule/listener (ECS may have flipped them), so the templates' weights are those.
 *
 * CloudFormation re-runs it exactly when one of the registered resources would be written: its
 * properties carry, per entry, a hash of that resource's rendered properties (a change of
 * conditions, priority, tags, or a different rendering after a CDK upgrade changes the hash). The
 * hash is computed from the template itself, so synthesis stays deterministic. The entry's weights
 * are references to the custom resource, which makes CloudFormation update it before the rules.
 * @internal
 */
export class LiveWeights extends Construct {
  static of(scope: IConstruct): LiveWeights {
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild(ID) as LiveWeights | undefined) ?? new LiveWeights(stack, ID);
  }

  private readonly entries: WeightedForwardSpec[] = [];
  private readonly resource: CustomResource;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    const provider = libraryProvider(this, PROVIDER_ID, {
      codeDirectory: CODE_DIR,
      description: 'Reads the live forward weights of ECS blue/green listener rules and listeners',
      what: 'the reader',
      policyStatements: [{
        Effect: 'Allow',
        Action: ['elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeListeners'],
        Resource: '*',
      }],
      roleExemptions: [{
        id: 'AwsSolutions-IAM5',
        reason: 'elasticloadbalancing:DescribeRules and DescribeListeners do not support resource-level permissions; the reader has no other permission.',
        appliesTo: ['Resource::*'],
      }],
    });
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::EcsBlueGreenLiveWeights',
      properties: {
        Rules: Lazy.any({ produce: () => this.entries.map((e) => this.render(e)) }),
      },
    });
  }

  /** Registers a weighted forward; returns its weights as deploy-time values. */
  register(spec: WeightedForwardSpec): LiveWeightValues {
    const index = this.entries.length;
    this.entries.push(spec);
    return {
      blue: Token.asNumber(this.resource.getAtt(`W${index}B`)),
      green: Token.asNumber(this.resource.getAtt(`W${index}G`)),
    };
  }

  private render(e: WeightedForwardSpec) {
    return {
      Id: e.resource.node.path,
      Kind: e.kind,
      ListenerArn: e.listenerArn,
      Priority: e.priority,
      LoadBalancerArn: e.loadBalancerArn,
      Port: e.port,
      Blue: e.blueTargetGroupArn,
      Green: e.greenTargetGroupArn,
      Hash: Lazy.string({ produce: () => renderedHash(e.resource) }),
    };
  }
}

/** Hash of a resource's properties as rendered in the template (weights are stable references). */
function renderedHash(resource: CfnResource): string {
  const stack = Stack.of(resource);
  const rendered = stack.resolve((resource as any)._toCloudFormation());
  const properties = Object.values<any>(rendered.Resources ?? {})[0]?.Properties ?? {};
  return crypto.createHash('sha256').update(JSON.stringify(properties)).digest('hex').slice(0, 16);
}
