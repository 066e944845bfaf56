import { BadRequestException, Injectable } from '@nestjs/common';
import { ActionRepository } from '@tempest/db';
import { effectiveSpecs, findRunnerType, type ParameterSpecs } from '@tempest/domain';
import { inspectWorkflow } from '@tempest/packs';
import { parse } from 'yaml';
import { WORKFLOW_RUNNER_TYPES, type WorkflowInspectionErrorDto } from './workflow-inspection.dto';

const FIELDS = ['definition', 'runner_type'];

@Injectable()
export class WorkflowInspectionService {
  constructor(private readonly actions: ActionRepository) {}

  /** st2's WorkflowInspectionController.post: the definition's problems, task actions checked against the registry. */
  async inspect(body: unknown): Promise<WorkflowInspectionErrorDto[]> {
    const { definition, runnerType } = this.request(body);
    refuseWhatIsNoDefinition(definition);
    // One lookup per ref, whatever the number of tasks calling it.
    const looked = new Map<string, Promise<ParameterSpecs | undefined>>();
    const actionParameters = (ref: string) => {
      if (!looked.has(ref)) looked.set(ref, this.parametersOf(ref));
      return looked.get(ref)!;
    };
    return inspectWorkflow(definition, { runnerType, actionParameters });
  }

  /** The text/plain body is the definition (StackStorm's form); a JSON body is {definition, runner_type?}. */
  private request(body: unknown): { definition: string; runnerType?: string } {
    if (body === undefined || body === null || typeof body === 'string') return { definition: body ?? '' };
    if (typeof body !== 'object' || Array.isArray(body)) throw new BadRequestException(['body: must be the workflow definition (text/plain) or {"definition": ..., "runner_type": ...} (application/json)']);
    const fields = body as Record<string, unknown>;
    const problems = Object.keys(fields)
      .filter((key) => !FIELDS.includes(key))
      .map((key) => `${key}: is not a field of the body (${FIELDS.join(', ')})`);
    if (typeof fields['definition'] !== 'string') problems.push('definition: must be the workflow definition, YAML text');
    const runnerType = fields['runner_type'];
    if (runnerType !== undefined && !(WORKFLOW_RUNNER_TYPES as readonly unknown[]).includes(runnerType)) problems.push(`runner_type: must be one of ${WORKFLOW_RUNNER_TYPES.join(', ')}`);
    if (problems.length) throw new BadRequestException(problems);
    return { definition: fields['definition'] as string, runnerType: runnerType as string | undefined };
  }

  private async parametersOf(ref: string): Promise<ParameterSpecs | undefined> {
    const action = await this.actions.getByRef(ref);
    if (!action) return undefined;
    return effectiveSpecs(findRunnerType(action.runner_type)?.parameters ?? {}, action.parameters as ParameterSpecs);
  }
}

/**
 * What st2 refuses with 400 before inspecting (orquesta's Spec: "The spec cannot be type of None.",
 * "The spec is not type of json or yaml."). YAML that does not parse is left to the inspection,
 * which names its line (st2 answers 500 there).
 */
function refuseWhatIsNoDefinition(definition: string): void {
  let data: unknown;
  try {
    data = parse(definition);
  } catch {
    return;
  }
  if (data === null || data === undefined || data === '') throw new BadRequestException(['body: no workflow definition: send its YAML as text/plain, or {"definition": ...} as application/json']);
  if (typeof data !== 'object' || Array.isArray(data)) throw new BadRequestException([`the workflow definition is not a YAML mapping (got ${Array.isArray(data) ? 'a list' : `a ${typeof data}`})`]);
}
