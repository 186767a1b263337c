// Releasing from GitHub Actions (or any CI): the service, and the role the workflow
// examples/github-actions/deploy.yml assumes through GitHub's OIDC provider. The workflow builds
// and pushes the image, then runs examples/ci/deploy-image.sh, which registers a task definition
// revision with the new image, updates the service (starting the ECS blue/green deployment) and
// gates the job on `ecs-blue-green wait`.
//
// The names the workflow uses are fixed here (cluster, service, container, repository, role):
// test/pipelines/github-actions-example.test.ts checks that the workflow and this stack agree,
// and that the role's session outlasts the wait.
import { App, CfnOutput, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { ReleasedWebService, WEB_CONTAINER } from './pipeline-service';

/** The names the workflow refers to. */
export const GITHUB_RELEASE = {
  cluster: 'shop',
  service: 'web',
  family: 'shop-web',
  repository: 'shop-web',
  role: 'shop-web-github-deploy',
  container: WEB_CONTAINER,
  /** The GitHub environment whose jobs may assume the role. */
  environment: 'production',
} as const;

/** GitHub's OIDC issuer for Actions. */
export const GITHUB_OIDC_URL = 'https://token.actions.githubusercontent.com';

/** Props of `GitHubActionsReleaseStack`. */
export interface GitHubActionsReleaseStackProps extends StackProps {
  /** owner/repository whose workflow deploys. @default 'example-org/shop' */
  readonly repository?: string;
  /** The account's existing GitHub OIDC provider (there can be one per account). @default - a new one */
  readonly oidcProviderArn?: string;
  /** The image tag the template renders; the workflow replaces it at each release. @default 'bootstrap' */
  readonly imageTag?: string;
}

/** The service and the role a GitHub Actions job in the production environment assumes. */
export class GitHubActionsReleaseStack extends Stack {
  public readonly shop: ReleasedWebService;
  public readonly deployRole: iam.Role;

  constructor(scope: Construct, id: string, props: GitHubActionsReleaseStackProps = {}) {
    super(scope, id, props);
    this.shop = new ReleasedWebService(this, 'Shop', {
      imageTag: props.imageTag ?? 'bootstrap',
      repositoryName: GITHUB_RELEASE.repository,
      clusterName: GITHUB_RELEASE.cluster,
      serviceName: GITHUB_RELEASE.service,
      family: GITHUB_RELEASE.family,
    });

    const providerArn = props.oidcProviderArn ?? new iam.OidcProviderNative(this, 'GitHubOidc', {
      url: GITHUB_OIDC_URL, clientIds: ['sts.amazonaws.com'],
    }).oidcProviderArn;
    const issuer = GITHUB_OIDC_URL.replace('https://', '');
    this.deployRole = new iam.Role(this, 'DeployRole', {
      roleName: GITHUB_RELEASE.role,
      description: `Assumed by GitHub Actions jobs of ${props.repository ?? 'example-org/shop'} in the ${GITHUB_RELEASE.environment} environment`,
      // Only jobs of this repository that run in the protected environment.
      assumedBy: new iam.WebIdentityPrincipal(providerArn, {
        StringEquals: {
          [`${issuer}:aud`]: 'sts.amazonaws.com',
          [`${issuer}:sub`]: `repo:${props.repository ?? 'example-org/shop'}:environment:${GITHUB_RELEASE.environment}`,
        },
      }),
      // The job waits for the whole deployment: its credentials must last as long.
      maxSessionDuration: Duration.hours(2),
    });
    this.shop.repository.grantPullPush(this.deployRole);
    this.shop.grantReleaseImage(this.deployRole);

    NagSuppressions.addResourceSuppressions(this.deployRole, [{
      id: 'AwsSolutions-IAM5', reason: 'ecr:GetAuthorizationToken and ecs:DescribeTaskDefinition have no resource type (*).', appliesTo: ['Resource::*'],
    }], true);

    new CfnOutput(this, 'DeployRoleArn', { value: this.deployRole.roleArn, description: 'role-to-assume of the deploy workflow' });
  }
}

if (require.main === module) {
  const app = new App();
  new GitHubActionsReleaseStack(app, 'ShopReleaseGitHubActions');
  app.synth();
}
