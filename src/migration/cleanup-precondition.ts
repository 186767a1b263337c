import * as path from 'path';
import { Aws, CfnResource, CustomResource, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { exemptFromNag, NagExemption } from '../private/nag';
import { libraryProvider } from '../private/provider';

const PROVIDER_ID = 'EcsBlueGreenCleanupPreconditionProvider';
const CODE_DIR = path.join(__dirname, '..', '..', 'assets', 'migration', 'cleanup-precondition.lambda');

/**
 * The one Lambda function of a stack's migration custom resources (the CLEANUP check, the in-place
 * task definition pin, the live target group check), shared per stack. Each user adds the
 * permissions and exemptions of what it reads.
 * @internal
 */
export function migrationProvider(scope: Construct, roleExemptions: NagExemption[] = []) {
  return libraryProvider(scope, PROVIDER_ID, {
    codeDirectory: CODE_DIR,
    description: 'Checks the live state of a CodeDeploy to ECS migration before a phase moves or deletes anything',
    what: 'the check',
    roleExemptions,
  });
}

/** Option 3 with API Gateway: one integration that must already point at the new load balancer. @internal */
export interface IntegrationCheck {
  /** HTTP API (apigatewayv2) or REST API. */
  readonly api: 'HTTP' | 'REST';
  readonly apiId: string;
  /** HTTP API: the integration's ID. */
  readonly integrationId?: string;
  /** REST API: the method's resource path (as a stage's export names it) and verb. */
  readonly path?: string;
  readonly httpMethod?: string;
  /** The integration URI the live integration must have. */
  readonly expected: string;
}

/** What a CLEANUP deploy checks before it deletes the CodeDeploy path. @internal */
export interface CleanupChecks {
  /** The service carrying production traffic after the migration: on the ECS controller, running. */
  readonly service: {
    readonly cluster: string;
    readonly serviceName: string;
    readonly serviceArn: string;
    /**
     * Read the service through its cluster's services (`service/<cluster>/*`) instead of its ARN:
     * for a service that waits for this provider (the in-place migration's task definition pin),
     * naming it in the role would be a dependency cycle.
     */
    readonly clusterWide?: boolean;
  };
  /** Option 1: the production rule forwards only to these target groups. */
  readonly rule?: { readonly listenerArn: string; readonly ruleArn: string; readonly targetGroupArns: string[] };
  /** Option 2: the new production listener holds the production port. */
  readonly listener?: { readonly listenerArn: string; readonly port: number };
  /** Option 3 with CloudFront: the distribution's origin already points at the new load balancer. */
  readonly origin?: { readonly distribution: CfnResource; readonly originId: string; readonly domainName: string };
  /** Option 3: the old weighted record receives no traffic. */
  readonly record?: {
    readonly hostedZoneId: string;
    readonly hostedZoneArn: string;
    readonly recordName: string;
    readonly setIdentifier: string;
    /** The record types the layer writes under `setIdentifier`: each must be found and drained. */
    readonly recordTypes: string[];
  };
  /** Option 3 with API Gateway: the live integrations point at the new load balancer. */
  readonly integrations?: IntegrationCheck[];
}

/**
 * A custom resource created by the CLEANUP phase. It runs first (the resources that phase
 * updates depend on it) and fails the deploy, which CloudFormation then rolls back without
 * deleting anything, unless production traffic is on the new path.
 * @internal
 */
export class CleanupPrecondition extends Construct {
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, checks: CleanupChecks) {
    super(scope, id);
    const readsLoadBalancers = checks.rule !== undefined || checks.listener !== undefined;
    const provider = migrationProvider(this, [
      ...(readsLoadBalancers ? [{
        id: 'AwsSolutions-IAM5',
        reason: 'elasticloadbalancing:DescribeRules and DescribeListeners do not support resource-level permissions; ECS and Route 53 reads are scoped.',
        appliesTo: ['Resource::*'],
      }] : []),
      ...(checks.origin ? [{
        id: 'AwsSolutions-IAM5',
        reason: 'cloudfront:GetDistributionConfig (read-only) on the account\'s distributions: naming the distribution would be a dependency cycle, as the distribution waits for this check.',
        appliesTo: ['Resource::arn:<AWS::Partition>:cloudfront::<AWS::AccountId>:distribution/*'],
      }] : []),
    ]);
    if (checks.service.clusterWide) {
      provider.addToRolePolicy({
        Effect: 'Allow',
        Action: 'ecs:DescribeServices',
        Resource: Stack.of(this).formatArn({ service: 'ecs', resource: 'service', resourceName: `${checks.service.cluster}/*` }),
      });
      exemptFromNag(provider.node.findChild('Role'), [{
        id: 'AwsSolutions-IAM5',
        reason: 'ecs:DescribeServices (read-only) on the services of the migrated service\'s cluster: naming the service would be a dependency cycle, as its task definition comes from this provider.',
        appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:service\\/.+\\/\\*$/' }],
      }]);
    } else {
      provider.addToRolePolicy({ Effect: 'Allow', Action: 'ecs:DescribeServices', Resource: checks.service.serviceArn });
    }
    if (readsLoadBalancers) {
      provider.addToRolePolicy({ Effect: 'Allow', Action: ['elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeListeners'], Resource: '*' });
    }
    if (checks.origin) {
      // The distribution waits for the check (so the check reads the origin before this deploy
      // writes it). Referencing the distribution would close a cycle: the check finds it by its
      // logical ID in this stack, and the read covers the account's distributions.
      provider.addToRolePolicy({ Effect: 'Allow', Action: 'cloudformation:DescribeStackResource', Resource: Stack.of(this).stackId });
      provider.addToRolePolicy({
        Effect: 'Allow',
        Action: 'cloudfront:GetDistributionConfig',
        Resource: Stack.of(this).formatArn({ service: 'cloudfront', region: '', resource: 'distribution', resourceName: '*' }),
      });
    }
    if (checks.record) {
      provider.addToRolePolicy({ Effect: 'Allow', Action: 'route53:ListResourceRecordSets', Resource: checks.record.hostedZoneArn });
    }
    const integrations = checks.integrations ?? [];
    if (integrations.length > 0) {
      provider.addToRolePolicy({ Effect: 'Allow', Action: 'apigateway:GET', Resource: apiGatewayReads(this, integrations) });
    }
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::EcsBlueGreenCleanupPrecondition',
      properties: {
        Checks: [
          { Type: 'ServiceOnEcs', Cluster: checks.service.cluster, Service: checks.service.serviceName },
          ...(checks.rule ? [{ Type: 'RuleForwardsTo', ListenerArn: checks.rule.listenerArn, RuleArn: checks.rule.ruleArn, TargetGroups: checks.rule.targetGroupArns }] : []),
          ...(checks.listener ? [{ Type: 'ListenerOnPort', ListenerArn: checks.listener.listenerArn, Port: checks.listener.port }] : []),
          ...(checks.origin ? [{
            Type: 'OriginPointsTo',
            StackId: Stack.of(this).stackId,
            DistributionLogicalId: Stack.of(this).getLogicalId(checks.origin.distribution),
            OriginId: checks.origin.originId,
            DomainName: checks.origin.domainName,
          }] : []),
          ...integrations.map((i) => ({
            Type: 'IntegrationPointsTo',
            Api: i.api,
            ApiId: i.apiId,
            ...(i.api === 'HTTP' ? { IntegrationId: i.integrationId } : { Path: i.path, HttpMethod: i.httpMethod }),
            Uri: i.expected,
          })),
          ...(checks.record ? [{
            Type: 'RecordDrained',
            HostedZoneId: checks.record.hostedZoneId,
            RecordName: checks.record.recordName,
            SetIdentifier: checks.record.setIdentifier,
            RecordTypes: checks.record.recordTypes,
          }] : []),
        ],
      },
    });
  }
}

/**
 * What the API Gateway checks read (cleanup-precondition-handler/api-stages.ts), as apigateway:GET resources: an API
 * Gateway resource's ARN is its management API path ("API Gateway Amazon Resource Name (ARN)
 * reference", Amazon API Gateway Developer Guide). HTTP API: each integration and the API's stage
 * list (GetStages). REST API: the stage list and each stage's OpenAPI export (GetExport, oas30),
 * nothing of the API's working copy.
 */
function apiGatewayReads(scope: Construct, integrations: IntegrationCheck[]): string[] {
  const arn = (resource: string) => `arn:${Aws.PARTITION}:apigateway:${Aws.REGION}::${resource}`;
  const reads = integrations.flatMap((i) => (i.api === 'HTTP'
    ? [arn(`/apis/${i.apiId}/integrations/${i.integrationId}`), arn(`/apis/${i.apiId}/stages`)]
    : [arn(`/restapis/${i.apiId}/stages`), arn(`/restapis/${i.apiId}/stages/*/exports/oas30`)]));
  const stack = Stack.of(scope);
  const seen = new Set<string>();
  return reads.filter((r) => {
    const key = JSON.stringify(stack.resolve(r));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
