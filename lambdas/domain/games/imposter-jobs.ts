import * as z from 'zod/mini';
import { ValidationError } from '../errors';
import type { ImposterJob } from './jobs';

const ids = { roomId: z.string().check(z.minLength(1)), roundId: z.string().check(z.minLength(1)) };

const imposterJobSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('imposterLine'), ...ids, afterLines: z.int().check(z.minimum(0)) }),
  z.object({ kind: z.literal('roundTimer'), ...ids }),
]);

/** Reads a job from the ImposterJobs queue; throws ValidationError on anything Parley did not write. */
export function parseImposterJob(body: string): ImposterJob {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (cause) {
    throw new ValidationError('An imposter job must be JSON.', { cause });
  }
  const parsed = imposterJobSchema.safeParse(json);
  if (!parsed.success) throw new ValidationError('Not an imposter job.');
  return parsed.data;
}
