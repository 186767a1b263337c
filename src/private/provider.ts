import { CustomResourceProvider, CustomResourceProviderRuntime, Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { exemptFromNag, NagExemption } from './nag';

/** Options of {@link libraryProvider}. */
export interface LibraryProviderOptions {
  /** Folder of the bundled handler (assets/<path>.lambda). */
  readonly codeDirectory: string;
  /** Description of the Lambda function. */
  readonly description: string;
  /** What the function is, for the reasons of its cdk-nag exemptions (e.g. 'the reader'). */
  readonly what: string;
  /** Statements of the role, when known up front (more with `addToRolePolicy`). */
  readonly policyStatements?: any[];
  /** cdk-nag exemptions of the role beyond its log permissions (IAM5 for unscopable reads). */
  readonly roleExemptions?: NagExemption[];
  /** How long the function may run. @default Duration.minutes(2) */
  readonly timeout?: Duration;
}

/**
 * The custom resource provider of one of this library's deploy-time readers, shared per stack by
 * `id`: Node.js 22, a 2-minute timeout unless told otherwise (a few API calls with retries: minutes,
 * not the 15-minute default, if an API stalls), and the cdk-nag exemptions every such provider needs.
 * @internal
 */
export function libraryProvider(scope: Construct, id: string, options: LibraryProviderOptions): CustomResourceProvider {
  const provider = CustomResourceProvider.getOrCreateProvider(scope, id, {
    codeDirectory: options.codeDirectory,
    runtime: CustomResourceProviderRuntime.NODEJS_22_X,
    description: options.description,
    timeout: options.timeout ?? Duration.minutes(2),
    policyStatements: options.policyStatements,
  });
  exemptFromNag(provider.node.findChild('Role'), [
    {
      id: 'AwsSolutions-IAM4',
      reason: `AWSLambdaBasicExecutionRole lets ${options.what} write its own logs; aws-cdk-lib's CustomResourceProvider attaches it.`,
      appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
    },
    ...options.roleExemptions ?? [],
  ]);
  exemptFromNag(provider.node.findChild('Handler'), [
    { id: 'AwsSolutions-L1', reason: `${capitalize(options.what)} is built and tested for Node.js 22; the runtime is bumped together with it.` },
  ]);
  return provider;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
