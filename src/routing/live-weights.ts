import * as crypto from 'crypto';
import * as path from 'path';
import { CfnResource, CustomResource, Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct, IConstruct } from 'constructs';
import { BlueGreenValidationError } from '../errors';
import { exemptFromNag } from '../private/nag';
import { pathInStack } from '../private/path';
import { libraryProvider } from '../private/provider';
import { addValidation } from '../private/validation';

const ID = 'EcsBlueGreenLiveWeights';
const PROVIDER_ID = 'EcsBlueGreenLiveWeightsProvider';
const CODE_DIR = path.join(__dirname, '..', '..', 'assets', 'routing', 'live-weights.lambda');

/**
 * A custom resource's response to CloudFormation is at most 4,096 bytes (CloudFormation User
 * Guide, custom resource response objects). Each entry (ALB rule, NLB listener or VPC Lattice rule)
 * adds two attributes of about 16 bytes (`"W1a2b3c4B":100,`); the rest of the response (stack ID,
 * request ID, logical ID, status) takes up to about 700.
 */
export const MAX_LIVE_WEIGHT_ENTRIES = 100;

/** The forward properties of each kind: everything else of the resource goes into `RuleProperties`. */
const FORWARD_PROPERTY: Record<WeightedForwardSpec['kind'], string> = { rule: 'Actions', listener: 'DefaultActions', lattice: 'Action' };

/** Where a weighted forward lives: an ALB listener rule, an NLB listener's default action, or a VPC Lattice rule. */
export interface WeightedForwardSpec {
  readonly kind: 'rule' | 'listener' | 'lattice';
  /** The rule or listener resource whose rendered properties trigger a re-read when they change. */
  readonly resource: CfnResource;
  /** The rule's listener (kinds 'rule' and 'lattice'; for 'lattice' it scopes the reader's Lattice reads). */
  readonly listenerArn?: string;
  /** The Lattice rule's service (kind 'lattice'). */
  readonly serviceIdentifier?: string;
  /** The Lattice rule's listener ID (kind 'lattice'). */
  readonly listenerIdentifier?: string;
  /** The rule's priority (kinds 'rule' and 'lattice'). */
  readonly priority?: number;
  /** The listener's load balancer (kind 'listener': a listener cannot name itself). */
  readonly loadBalancerArn?: string;
  /** The listener's port (kind 'listener'). */
  readonly port?: number;
  /** The blue target group (an ARN; for kind 'lattice' a VPC Lattice target group ARN). */
  readonly blueTargetGroupArn: string;
  /** The green target group, like blue. */
  readonly greenTargetGroupArn: string;
  /**
   * The cluster of the ECS services that deploy through this forward: the reader refuses to report
   * weights while one of them is mid-deployment. Without it, nothing is checked.
   */
  readonly cluster?: ecs.ICluster;
}

/** The live weights of one registered rule or listener, as deploy-time values. */
export interface LiveWeightValues {
  readonly blue: number;
  readonly green: number;
}

/**
 * The attribute key of an entry: `W` and 7 hex digits of a hash of the resource's path in its
 * stack. It depends on that resource alone, so adding or removing another rule never changes which
 * attributes this rule's weights come from.
 */
export function liveWeightsKey(resource: IConstruct): string {
  return `W${crypto.createHash('sha256').update(pathInStack(resource)).digest('hex').slice(0, 7)}`;
}

/**
 * One custom resource per stack that reads, at deploy time, the forward weights live on every
 * registered rule/listener (ECS may have flipped them), so the templates' weights are those.
 *
 * CloudFormation re-runs it exactly when one of the registered resources would be written: its
 * properties carry, per entry, a hash of that resource's rendered properties (a change of
 * conditions, priority, tags, or a different rendering after a CDK upgrade changes the hash), and
 * a copy of those properties except the forward action (`RuleProperties`), which CloudFormation
 * resolves like the resource's own: a rule whose priority or conditions come from a CfnParameter
 * (an SSM parameter type included) changes at deploy time with an unchanged template, and the
 * reader then re-runs with it (aws/aws-cdk#36649 otherwise: the rule written with the reader's old
 * weights). The hash is computed from the template itself, so synthesis stays deterministic. The entry's weights
 * are references to the custom resource's attributes `<Key>B` / `<Key>G`, named by the entry's own
 * key (never by position), which makes CloudFormation update it before the rules. Entries are
 * rendered in key order, so the order constructs are written in does not matter either.
 * @internal
 */
export class LiveWeights extends Construct {
  static of(scope: IConstruct): LiveWeights {
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild(ID) as LiveWeights | undefined) ?? new LiveWeights(stack, ID);
  }

  private readonly entries = new Map<string, WeightedForwardSpec>();
  private readonly clusters = new Map<string, ecs.ICluster>();
  private readonly latticeListeners = new Map<string, string>();
  private readonly resource: CustomResource;
  private readonly provider: ReturnType<typeof libraryProvider>;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.provider = libraryProvider(this, PROVIDER_ID, {
      codeDirectory: CODE_DIR,
      description: 'Reads the live forward weights of ECS blue/green listener rules and listeners',
      what: 'the reader',
      // On a rollback the reader waits up to 10 minutes for ECS deployments moving traffic, then
      // reads (live-weights-handler/rollback-wait.ts): 15 minutes is Lambda's maximum.
      timeout: Duration.minutes(15),
      policyStatements: [
        // Only with an ALB rule or NLB listener among the entries (a stack of VPC Lattice rules
        // only has none); first, where it has always been, so those stacks' roles stay as they were.
        Lazy.any({
          produce: () => ([...this.entries.values()].some((e) => e.kind !== 'lattice') ? {
            Effect: 'Allow',
            Action: ['elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeListeners'],
            Resource: '*',
          } : undefined),
        }),
        // Tells a rollback (stack UPDATE_ROLLBACK_IN_PROGRESS) from an update: this stack only.
        { Effect: 'Allow', Action: 'cloudformation:DescribeStacks', Resource: Stack.of(this).stackId },
      ],
      roleExemptions: [{
        id: 'AwsSolutions-IAM5',
        reason: 'elasticloadbalancing:DescribeRules and DescribeListeners do not support resource-level permissions; the reader changes nothing.',
        appliesTo: ['Resource::*'],
      }],
    });
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.provider.serviceToken,
      resourceType: 'Custom::EcsBlueGreenLiveWeights',
      properties: {
        Rules: Lazy.any({ produce: () => [...this.entries.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, e]) => this.render(key, e)) }),
      },
    });
    addValidation(this, () => this.validateSize());
  }

  /** Registers a weighted forward; returns its weights as deploy-time values. */
  register(spec: WeightedForwardSpec): LiveWeightValues {
    const key = liveWeightsKey(spec.resource);
    const holder = this.entries.get(key);
    if (holder) {
      throw new BlueGreenValidationError(spec.resource.node.scope ?? spec.resource, 'id',
        `its live-weights key ${key} (a hash of its path) is the key of ${holder.resource.node.path} too; give one of the two constructs another ID`);
    }
    this.entries.set(key, spec);
    if (spec.cluster) this.allowDeploymentReads(spec.cluster);
    return {
      blue: Token.asNumber(this.resource.getAtt(`${key}B`)),
      green: Token.asNumber(this.resource.getAtt(`${key}G`)),
    };
  }

  /**
   * Registers a VPC Lattice rule; returns its weights as deploy-time values, like `register`. The
   * rule forwards to both target groups as an ALB rule does: a Lattice forward takes weights 0–999
   * and at most two target groups (VPC Lattice User Guide, "Listener rules for your VPC Lattice
   * service"; VPC Lattice API Reference, ForwardAction; the AWS::VpcLattice::Rule schema of
   * cfn-lint 1.58 allows 0–999, that of 1.51 said 1–999).
   */
  registerLattice(spec: WeightedForwardSpec): LiveWeightValues {
    const weights = this.register(spec);
    if (this.latticeListeners.size === 0) this.allowLatticeReads();
    const arn = spec.listenerArn!;
    this.latticeListeners.set(JSON.stringify(Stack.of(this).resolve(arn)), arn);
    return weights;
  }

  /**
   * Lets the reader find the Lattice rules on their listeners (Service Authorization Reference,
   * VPC Lattice): ListRules on the listeners, GetRule on those listeners' rules (the rules
   * themselves cannot be named: each rule waits for the reader).
   */
  private allowLatticeReads(): void {
    const listeners = () => [...this.latticeListeners.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, arn]) => arn);
    this.provider.addToRolePolicy({
      Effect: 'Allow',
      Action: 'vpc-lattice:ListRules',
      Resource: Lazy.list({ produce: () => listeners() }),
    });
    this.provider.addToRolePolicy({
      Effect: 'Allow',
      Action: 'vpc-lattice:GetRule',
      Resource: Lazy.list({ produce: () => listeners().map((arn) => `${arn}/rule/*`) }),
    });
    exemptFromNag(this.provider.node.findChild('Role'), [{
      id: 'AwsSolutions-IAM5',
      reason: 'vpc-lattice:GetRule (read-only) on the rules of the listeners that hold the blue/green rules: naming the rules would be a dependency cycle, as each rule waits for the reader.',
      appliesTo: [{ regex: '/^Resource::.+\\/rule\\/\\*$/' }],
    }]);
  }

  private render(key: string, e: WeightedForwardSpec) {
    return {
      Key: key,
      Id: e.resource.node.path,
      Kind: e.kind,
      ListenerArn: e.kind === 'lattice' ? undefined : e.listenerArn,
      Priority: e.priority,
      LoadBalancerArn: e.loadBalancerArn,
      Port: e.port,
      ServiceIdentifier: e.kind === 'lattice' ? e.serviceIdentifier : undefined,
      ListenerIdentifier: e.kind === 'lattice' ? e.listenerIdentifier : undefined,
      Blue: e.blueTargetGroupArn,
      Green: e.greenTargetGroupArn,
      Cluster: e.cluster?.clusterArn,
      // Lattice rules of earlier templates forwarded to one target group (<Key>T): see the handler.
      Forward: e.kind === 'lattice' ? 'weighted' : undefined,
      Hash: Lazy.string({ produce: () => renderedHash(e.resource) }),
      RuleProperties: Lazy.any({ produce: () => ruleProperties(e) }),
    };
  }

  /**
   * Lets the reader find the services of `cluster` behind its rules and their deployments under
   * way (ECS Service Authorization Reference): ListServices has no resource-level permissions and
   * is limited by the ecs:cluster condition; DescribeServices and ListServiceDeployments are
   * scoped to the cluster's services (long ARN format, `service/<cluster>/<service>`).
   */
  private allowDeploymentReads(cluster: ecs.ICluster): void {
    if (this.clusters.size === 0) {
      const ordered = () => [...this.clusters.values()].sort((a, b) => (a.node.path < b.node.path ? -1 : 1));
      const stack = Stack.of(this);
      this.provider.addToRolePolicy({
        Effect: 'Allow',
        Action: 'ecs:ListServices',
        Resource: '*',
        Condition: { ArnEquals: { 'ecs:cluster': Lazy.list({ produce: () => ordered().map((c) => c.clusterArn) }) } },
      });
      this.provider.addToRolePolicy({
        Effect: 'Allow',
        Action: ['ecs:DescribeServices', 'ecs:ListServiceDeployments'],
        Resource: Lazy.list({
          produce: () => ordered().map((c) => stack.formatArn({ service: 'ecs', resource: 'service', resourceName: `${c.clusterName}/*` })),
        }),
      });
      exemptFromNag(this.provider.node.findChild('Role'), [
        {
          id: 'AwsSolutions-IAM5',
          reason: 'ecs:ListServices does not support resource-level permissions; the ecs:cluster condition limits it to the clusters of the services behind the rules.',
          appliesTo: ['Resource::*'],
        },
        {
          id: 'AwsSolutions-IAM5',
          reason: 'ecs:DescribeServices and ListServiceDeployments (read-only) on the services of the clusters behind the rules: naming the services would be a dependency cycle, as each service waits for its rules, which wait for the reader.',
          appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:service\\/.+\\/\\*$/' }],
        },
      ]);
    }
    this.clusters.set(cluster.node.path, cluster);
  }

  private validateSize(): BlueGreenValidationError[] {
    if (this.entries.size <= MAX_LIVE_WEIGHT_ENTRIES) return [];
    return [new BlueGreenValidationError(this, 'Rules', `the live-weights reader of this stack keeps the weights of ${this.entries.size} rules and listeners; ` +
      `its answer to CloudFormation (at most 4,096 bytes) holds at most ${MAX_LIVE_WEIGHT_ENTRIES}. Spread the services over more stacks (e.g. nested stacks)`)];
  }
}

/** Hash of a resource's properties as rendered in the template (weights are stable references). */
function renderedHash(resource: CfnResource): string {
  return crypto.createHash('sha256').update(JSON.stringify(renderedProperties(resource))).digest('hex').slice(0, 16);
}

/** A resource's properties as rendered in the template, property overrides included. */
function renderedProperties(resource: CfnResource): Record<string, unknown> {
  const rendered = Stack.of(resource).resolve((resource as any)._toCloudFormation());
  return Object.values<any>(rendered.Resources ?? {})[0]?.Properties ?? {};
}

/**
 * The entry's resource's properties except its forward action (that references the reader), with
 * dynamic references (`{{resolve:...}}`) replaced by a marker. CloudFormation resolves a dynamic
 * reference again only when its text changes ("Get a plaintext value from Systems Manager Parameter
 * Store", CloudFormation User Guide; AWS Knowledge Center on Secrets Manager references in stack
 * updates), and the hash covers the text; a copy would only put a secret's value in the reader's
 * event (and logs) if CloudFormation resolved it there.
 */
function ruleProperties(e: WeightedForwardSpec): Record<string, unknown> {
  const { [FORWARD_PROPERTY[e.kind]]: _forward, ...rest } = renderedProperties(e.resource);
  return withoutDynamicReferences(rest) as Record<string, unknown>;
}

function withoutDynamicReferences(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('{{resolve:') ? '(dynamic reference: see Hash)' : value;
  if (Array.isArray(value)) return value.map(withoutDynamicReferences);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutDynamicReferences(v)]));
  return value;
}
