import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export const WORKFLOW_RUNNER_TYPES = ['orquesta', 'orchestra', 'action-chain'] as const;

/** The JSON form of the request; the text/plain form is the definition itself, as StackStorm's client sends it. */
export class WorkflowInspectionRequestDto {
  @ApiProperty({ description: 'The workflow definition, YAML text', example: 'version: 1.0\ntasks:\n  t1:\n    action: core.noop\n' })
  definition!: string;

  @ApiPropertyOptional({ enum: WORKFLOW_RUNNER_TYPES, description: 'The dialect; without it, ActionChain for a definition with `chain` (and neither `version` nor `tasks`), else Orquesta' })
  runner_type?: (typeof WORKFLOW_RUNNER_TYPES)[number];
}

/** One problem, in StackStorm's shape (its WorkflowInspectionError), with the task and line where known. */
export class WorkflowInspectionErrorDto {
  @ApiProperty({ enum: ['content', 'context', 'expression', 'semantic', 'syntax'], description: 'content: an action or its input (checked against the registry); context: a variable used before assignment; expression: YAQL or Jinja; semantic: the task graph; syntax: the schema or YAML' })
  type!: 'content' | 'context' | 'expression' | 'semantic' | 'syntax';

  @ApiProperty({ example: 'The action "core.echoz" is not registered in the database.' })
  message!: string;

  @ApiProperty({ description: 'Where in the definition schema', example: 'properties.tasks.patternProperties.^\\w+$.properties.action' })
  schema_path!: string;

  @ApiProperty({ description: 'Where in the definition', example: 'tasks.task2.action' })
  spec_path!: string;

  @ApiPropertyOptional({ enum: ['yaql', 'jinja'], description: 'For context and expression errors' })
  language?: 'yaql' | 'jinja';

  @ApiPropertyOptional({ description: 'For context and expression errors: the expression as written', example: '<% ctx().foobar %>' })
  expression?: string;

  @ApiPropertyOptional({ description: 'The task (Orquesta) or chain node (ActionChain) it is about', example: 'task2' })
  task?: string;

  @ApiPropertyOptional({ description: '1-based line in the definition', example: 22 })
  line?: number;
}
