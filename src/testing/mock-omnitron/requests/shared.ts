import { z } from 'zod';

/*
 * The pieces every request schema of the mock Omnitron is built from. The schemas are written from Omnitron's
 * API reference (and, where it is silent, from what the Python client was traced sending), independently of
 * the SDK's encoders: a field the SDK misspells is refused here instead of passing both sides. Every object
 * is strict: a key the reference does not list is refused with a 400 naming it, and a required field missing
 * is refused naming it.
 */

/**
 * A primary key. DRF also takes the digits as a string, so the mock does too: the SDK sends integers, but the
 * Python client sent the channel id as a string and an adapter may still do so.
 */
export const pk = z.union([
  z.number().int().positive(),
  z
    .string()
    .regex(/^\d+$/, 'A valid integer is required.')
    .transform((v) => Number(v)),
]);

/** A decimal field: DRF takes a number or a decimal string; kept as a string. */
export const decimal = z
  .union([z.string().regex(/^-?\d+(\.\d+)?$/, 'A valid number is required.'), z.number()])
  .transform((v) => String(v));

/** A date-time field, refused with DRF's message when it does not parse. */
export const dateTime = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'Datetime has wrong format.');

/** A text field. */
export const text = z.string();

/** A text field that may be null. */
export const nullableText = z.string().nullable();

/** A JSON object field (`extra_field`, `attributes`). */
export const json = z.record(z.string(), z.unknown());

/** A content type's model name, as Omnitron names the models a batch request or a report is about. */
export const contentTypeName = z.enum([
  'order',
  'orderitem',
  'cancellationrequest',
  'batchrequest',
  'channel',
  'product',
  'integrationaction',
]);
