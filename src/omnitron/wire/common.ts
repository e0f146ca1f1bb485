import { z } from 'zod';

/** An Omnitron primary key on the wire. */
export const WirePk = z.number().int().positive();

/** Omnitron answers with `pk`, `id` or both (the Python used both); accept either. */
export function withPk<T extends z.ZodRawShape>(shape: T) {
  return z.preprocess(
    (value) => {
      if (value !== null && typeof value === 'object' && !('pk' in value) && 'id' in value) {
        return { ...value, pk: (value as { id: unknown }).id };
      }
      return value;
    },
    z.object({ pk: WirePk, ...shape }),
  );
}

/** Omnitron's page envelope (`?page=N&limit=M`). */
export const PageEnvelope = z.object({
  count: z.number().int().nonnegative(),
  next: z.string().nullable(),
  previous: z.string().nullable().optional(),
  results: z.array(z.unknown()),
});
/** Omnitron's page envelope. */
export type PageEnvelope = z.infer<typeof PageEnvelope>;

/** A nullable string field that Omnitron may leave out. */
export const optionalText = z
  .string()
  .nullable()
  .optional()
  .transform((v) => v ?? null);

/** A decimal Omnitron may send as a string or a number; kept as a string. */
export const wireDecimal = z.union([z.string(), z.number()]).transform((v) => String(v));

/** A JSON object field Omnitron may leave out or send as null. */
export const wireObject = z
  .record(z.string(), z.unknown())
  .nullable()
  .optional()
  .transform((v) => v ?? {});
