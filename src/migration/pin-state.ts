// Which task definition the in-place migration's service names, decided at deploy time by the
// migration's custom resource (pure logic, shared by the construct's docs and the handler).
//
// The resource's properties are { Running, Template, Frozen }: the revision the service ran when
// the controller switched (runningTaskDefinitionArn), the app's task definition (a Ref: a new
// revision whenever the app changes it) and, in ROLLBACK, 'true'. Its state, kept in the physical
// ID, is the template revision at the switch, the revision the switch kept, and its last answer.
//
// - The switch (CUTOVER's create, or the first CUTOVER after a ROLLBACK) answers the revision
//   that runs: the controller change deploys no task definition.
// - After it, the answer is the kept revision while the template's revision is the one of the
//   switch, and the template's revision as soon as it differs: the first change of the task
//   definition is an ordinary ECS blue/green deployment. The rule depends on the properties only,
//   so CloudFormation's rollback of that release (the old properties) answers the kept revision.
// - In ROLLBACK (CODE_DEPLOY again) the answer is the last one, whatever the template does, as
//   CloudFormation cannot change the task definition of a CODE_DEPLOY service.

/** The properties of the pin resource. */
export interface PinProperties {
  readonly Running: string;
  readonly Template: string;
  /** 'true' in ROLLBACK. */
  readonly Frozen?: string;
}

/** What the pin resource remembers between deploys. */
export interface PinState {
  /** The template's revision at the switch. */
  readonly switchTemplate: string;
  /** The revision the switch kept. */
  readonly kept: string;
  /** The last answer. */
  readonly last: string;
}

const PREFIX = 'ecs-blue-green-task-definition-pin';

export function encodePinState(state: PinState): string {
  return `${PREFIX}|${state.switchTemplate}|${state.kept}|${state.last}`;
}

export function decodePinState(physicalId: string | undefined): PinState | undefined {
  const parts = (physicalId ?? '').split('|');
  if (parts.length !== 4 || parts[0] !== PREFIX) return undefined;
  return { switchTemplate: parts[1], kept: parts[2], last: parts[3] };
}

/** The next state; its `last` is the task definition the service names after this deploy. */
export function nextPinState(props: PinProperties, old: { props?: PinProperties; state?: PinState }): PinState {
  const frozen = props.Frozen === 'true';
  if (!old.state) {
    // Create (or a state this handler cannot read): the revision that runs.
    return { switchTemplate: props.Template, kept: props.Running, last: props.Running };
  }
  if (frozen) return { ...old.state };
  if (old.props?.Frozen === 'true') {
    // CUTOVER again after a ROLLBACK: a new switch, keeping what runs.
    return { switchTemplate: props.Template, kept: old.state.last, last: old.state.last };
  }
  const last = props.Template === old.state.switchTemplate ? old.state.kept : props.Template;
  return { ...old.state, last };
}

/** The revision number at the end of a task definition ARN (`family:42`), if any. */
function revisionName(arn: string): string {
  return arn.split('/').pop() ?? arn;
}

/** A line for the log: what this deploy names and why. */
export function describePin(props: PinProperties, state: PinState, created: boolean): string {
  if (props.Frozen === 'true') return `ROLLBACK keeps ${revisionName(state.last)}: a CODE_DEPLOY service's task definition does not change`;
  if (state.last === state.kept && props.Template === state.switchTemplate) {
    const differs = state.kept !== props.Template;
    return `${created ? 'the switch keeps' : 'keeps'} ${revisionName(state.kept)}, the revision that ran at the switch` +
      (differs ? `; WARNING: the template's revision ${revisionName(props.Template)} differs: the next change of the task definition deploys the template's revision` : '');
  }
  return `the template's revision changed since the switch: the service deploys ${revisionName(state.last)}`;
}
