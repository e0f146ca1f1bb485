import { z } from 'zod';

/**
 * A schema that checks `withKey` when the value has `key`, and `without` otherwise. A plain `z.union` of the
 * two would answer a mistake in either with zod's bare "Invalid input"; choosing the branch first lets the
 * error name the field that is wrong (`connection.url: must be a redis:// URL`).
 */
export function eitherBy<T>(key: string, withKey: z.ZodType, without: z.ZodType): z.ZodType<T, T> {
  return z.custom<T>().superRefine((value, ctx) => {
    const branch = typeof value === 'object' && value !== null && key in value ? withKey : without;
    const parsed = branch.safeParse(value);
    if (parsed.success) return;
    for (const issue of parsed.error.issues)
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  });
}
