import { z } from 'zod';
import type { ActionRecord } from '@tempest/db';
import { jsonSchemaPatternProblem, notifyProblems, PARAMETER_TYPES, RESOURCE_NAME, RUNNER_TYPES, type ParameterSpec, type ParameterSpecs } from '@tempest/domain';

const parameterType = z.enum(PARAMETER_TYPES, { error: `expected one of ${PARAMETER_TYPES.join(', ')}` });

export const parameterSpecSchema: z.ZodType<ParameterSpec> = z.lazy(() =>
  z.looseObject({
    type: z.union([parameterType, z.array(parameterType)]).optional(),
    description: z.string().optional(),
    required: z.boolean({ error: 'expected true or false' }).optional(),
    default: z.unknown().optional(),
    enum: z.array(z.unknown(), { error: 'expected a list of allowed values' }).optional(),
    secret: z.boolean({ error: 'expected true or false' }).optional(),
    immutable: z.boolean({ error: 'expected true or false' }).optional(),
    position: z.number().int().min(0, 'expected a position from 0').optional(),
    minimum: z.number().optional(),
    maximum: z.number().optional(),
    minLength: z.number().int().optional(),
    maxLength: z.number().int().optional(),
    // JSON schema's ECMA-262 syntax, matched in linear time: refused here, at registration, if it cannot be.
    pattern: z
      .string()
      .superRefine((pattern, ctx) => {
        const problem = jsonSchemaPatternProblem(pattern);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    items: parameterSpecSchema.optional(),
    properties: z.record(z.string(), parameterSpecSchema).optional(),
    additionalProperties: z.union([z.boolean(), parameterSpecSchema]).optional(),
  }),
);

// Every runner type StackStorm has (or had) registers, whether Tempest runs it yet or not.
const runnerNames = RUNNER_TYPES.flatMap((r) => [r.name, ...(r.aliases ?? [])]) as [string, ...string[]];

/** actions/<name>.yaml as StackStorm defines it; unknown fields are kept. */
export const actionMetadataSchema = z.looseObject({
  name: z.string({ error: 'required' }).regex(RESOURCE_NAME, 'expected letters, digits, underscores, dots and dashes'),
  runner_type: z.enum(runnerNames, { error: `expected one of ${runnerNames.join(', ')}` }),
  description: z.string().optional(),
  enabled: z.boolean({ error: 'expected true or false' }).default(true),
  entry_point: z.string().optional(),
  pack: z.string().optional(),
  parameters: z.record(z.string(), parameterSpecSchema, { error: 'expected a mapping of parameter names to their schema' }).default({}),
  output_schema: z.record(z.string(), z.unknown()).optional(),
  tags: z.array(z.object({ name: z.string(), value: z.string().optional() }), { error: 'expected a list of {name, value}' }).default([]),
  // StackStorm's notify (on-complete, on-success, on-failure), checked as its API schema checks it.
  notify: z
    .unknown()
    .superRefine((notify, ctx) => {
      for (const problem of notifyProblems('notify', notify)) ctx.addIssue({ code: 'custom', path: problem.path.split('.').slice(1), message: problem.message });
    })
    .optional(),
});

/** A validated action, as it is registered. */
export interface ActionMetadata extends ActionRecord {
  /** The action's own parameters, runner overrides included. */
  parameters: ParameterSpecs;
}
