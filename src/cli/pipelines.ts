// Finds the CodePipeline actions that deploy a CodeDeploy deployment group: ListPipelines, then
// GetPipeline of each (a few at a time), keeping the CodeDeployToECS / CodeDeploy actions whose
// ApplicationName and DeploymentGroupName are the group's. CodeDeploy's own records cannot tell
// (a pipeline's deployment is created by `user`), so the pipeline side is read. Pipelines of other
// Regions are not seen.
import { CodePipelineClient, GetPipelineCommand, ListPipelinesCommand } from '@aws-sdk/client-codepipeline';
import { PipelineDeployAction, deployActionOf } from './release-mapping';

/** GetPipeline calls in flight at once. */
const CONCURRENCY = 4;

/** Names of the Region's pipelines. */
async function pipelineNames(client: CodePipelineClient): Promise<string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const res = await client.send(new ListPipelinesCommand({ nextToken }));
    names.push(...(res?.pipelines ?? []).map((p) => p.name).filter((n): n is string => !!n));
    nextToken = res?.nextToken;
  } while (nextToken);
  return names;
}

/**
 * The actions deploying `group` of `app`, in the named pipeline only or in all of the Region's.
 * Errors (access denied, a pipeline that does not exist) are thrown to the caller.
 */
export async function findDeployActions(client: CodePipelineClient, app: string, group: string, only?: string): Promise<PipelineDeployAction[]> {
  const names = only ? [only] : await pipelineNames(client);
  const found: PipelineDeployAction[] = [];
  for (let i = 0; i < names.length; i += CONCURRENCY) {
    const batch = await Promise.all(names.slice(i, i + CONCURRENCY).map((name) => client.send(new GetPipelineCommand({ name }))));
    for (const res of batch) {
      const pipeline = res?.pipeline;
      for (const stage of pipeline?.stages ?? []) {
        for (const action of stage.actions ?? []) {
          const use = deployActionOf(pipeline?.name ?? '', stage.name ?? '', action, app, group);
          if (use) found.push(use);
        }
      }
    }
  }
  return found;
}
