// The AWS SDK v3 clients the CLI uses, created on first use with --region / --profile so that
// `--help` and usage errors never need credentials.
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { VPCLatticeClient } from '@aws-sdk/client-vpc-lattice';

/** The clients a command may call. */
export interface Clients {
  readonly ecs: ECSClient;
  readonly ssm: SSMClient;
  readonly codedeploy: CodeDeployClient;
  readonly codepipeline: CodePipelineClient;
  /** The production and test listener rules' current weights (status, wait). */
  readonly elbv2: ElasticLoadBalancingV2Client;
  /** VPC Lattice listener rules' current weights (status, wait). */
  readonly lattice: VPCLatticeClient;
}

/** Settings shared by every client. */
export interface ClientSettings {
  readonly region?: string;
  readonly profile?: string;
}

/** Clients created lazily with the given region and profile (SDK defaults otherwise). */
export function lazyClients(settings: ClientSettings): Clients {
  const config = {
    ...(settings.region ? { region: settings.region } : {}),
    ...(settings.profile ? { profile: settings.profile } : {}),
  };
  let ecs: ECSClient | undefined;
  let ssm: SSMClient | undefined;
  let codedeploy: CodeDeployClient | undefined;
  let codepipeline: CodePipelineClient | undefined;
  let elbv2: ElasticLoadBalancingV2Client | undefined;
  let lattice: VPCLatticeClient | undefined;
  return {
    get ecs() { return ecs ??= new ECSClient(config); },
    get ssm() { return ssm ??= new SSMClient(config); },
    get codedeploy() { return codedeploy ??= new CodeDeployClient(config); },
    get codepipeline() { return codepipeline ??= new CodePipelineClient(config); },
    get elbv2() { return elbv2 ??= new ElasticLoadBalancingV2Client(config); },
    get lattice() { return lattice ??= new VPCLatticeClient(config); },
  };
}
