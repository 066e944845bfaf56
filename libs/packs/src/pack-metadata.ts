import type { PackRecord } from '@tempest/db';
import { z } from 'zod';
import { PACK_REF } from '@tempest/domain';

const SEMVER = /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/;

/**
 * pack.yaml as StackStorm defines it. Unknown fields are kept (StackStorm packs
 * carry more, e.g. python_versions), so existing packs load unchanged.
 */
export const packMetadataSchema = z.looseObject({
  ref: z.string().regex(PACK_REF, 'expected lowercase letters, digits and underscores').optional(),
  name: z.string({ error: 'required' }).min(1, 'required'),
  description: z.string({ error: 'required' }).min(1, 'required'),
  version: z.string({ error: 'required' }).regex(SEMVER, 'expected a semantic version such as 1.2.3'),
  author: z.string({ error: 'required' }).min(1, 'required'),
  email: z.email('expected an email address').optional(),
  keywords: z.array(z.string()).optional(),
  dependencies: z.array(z.string()).optional(),
  contributors: z.array(z.string()).optional(),
});

export type PackMetadataFile = z.output<typeof packMetadataSchema>;

/** A validated pack, as it is registered: `metadata` is pack.yaml as written. */
export type PackMetadata = PackRecord;
