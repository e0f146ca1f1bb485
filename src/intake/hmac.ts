import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { InvalidOptionsError } from '../errors/run-errors.js';
import type { WebhookVerifier } from './adapter.js';

const HmacOptionsSchema = z
  .strictObject({
    /** The shared secret the marketplace signs with. */
    secret: z.string().min(1, 'must not be empty'),
    /** The request header holding the signature, such as `x-signature` (any letter case). */
    header: z.string().min(1, 'must name a header'),
    /** The hash (default `sha256`). */
    algorithm: z.enum(['sha1', 'sha256', 'sha512']).default('sha256'),
    /** How the signature is written in the header (default `hex`, either letter case). */
    encoding: z.enum(['hex', 'base64']).default('hex'),
    /** Text before the signature in the header, such as `sha256=`; removed before comparing. */
    prefix: z.string().default(''),
    /**
     * The request header holding the time the marketplace signed the call, in Unix seconds, such as
     * `x-acme-timestamp`. When set, the signature is expected over `<timestamp>.<body>` and a call dated
     * more than `toleranceSeconds` away from now is refused, so a captured call cannot be replayed later.
     * Unset (the default), the signature covers the body alone and a call is accepted whenever it comes.
     */
    timestampHeader: z.string().min(1, 'must name a header').optional(),
    /** How far a call's timestamp may be from now, either way, in seconds (default 300); needs `timestampHeader`. */
    toleranceSeconds: z.number().int().min(1).optional(),
  })
  .refine((o) => o.toleranceSeconds === undefined || o.timestampHeader !== undefined, {
    message: 'needs timestampHeader',
    path: ['toleranceSeconds'],
  });

/** The replay window when a timestamp header is given and no tolerance: what large senders use. */
const DEFAULT_TOLERANCE_SECONDS = 300;

/** Unix seconds as senders write them: digits only, no fraction, sign or exponent. */
const UNIX_SECONDS = /^\d{1,12}$/;

/**
 * Options of {@link verifyHmacSignature}.
 *
 * @interface
 */
export type HmacSignatureOptions = z.input<typeof HmacOptionsSchema>;

const HEX = /^(?:[0-9a-f]{2})+$/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * A {@link WebhookAdapter.verify} for marketplaces that sign the raw body with an HMAC and send it in a
 * header. The comparison takes the same time whatever the signature holds (`crypto.timingSafeEqual`), so
 * an attacker cannot find the right signature byte by byte; a signature of the wrong length, badly
 * encoded or missing is refused without comparing. It never throws: a malformed request is just not
 * authentic.
 *
 * With `timestampHeader`, it also refuses replays, as large webhook senders do: the signature covers
 * `<timestamp>.<body>`, and a call whose timestamp is more than `toleranceSeconds` (default 300) from now
 * is refused (answered 401), as is one with the timestamp missing or changed.
 *
 * @example
 * ```ts
 * verify: verifyHmacSignature({ secret: process.env.ACME_WEBHOOK_SECRET!, header: 'x-acme-signature', prefix: 'sha256=' }),
 * // A sender that signs `<timestamp>.<body>` and sends the timestamp in its own header:
 * verify: verifyHmacSignature({ secret, header: 'x-acme-signature', timestampHeader: 'x-acme-timestamp' }),
 * ```
 */
export function verifyHmacSignature(options: HmacSignatureOptions): WebhookVerifier {
  const parsed = HmacOptionsSchema.safeParse(options);
  // The message names the bad option but never echoes its value: it may be the secret.
  if (!parsed.success) throw InvalidOptionsError.fromZod('verifyHmacSignature', parsed.error);
  const { secret, header, algorithm, encoding, prefix, timestampHeader } = parsed.data;
  const tolerance = parsed.data.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  return (request, rawBody) => {
    let signed: Uint8Array = rawBody;
    if (timestampHeader !== undefined) {
      const timestamp = request.headers.get(timestampHeader)?.trim() ?? '';
      if (!UNIX_SECONDS.test(timestamp)) return false;
      if (Math.abs(Date.now() / 1000 - Number(timestamp)) > tolerance) return false;
      // The timestamp is signed with the body, so a captured call cannot be given a fresh date.
      signed = Buffer.concat([Buffer.from(`${timestamp}.`), rawBody]);
    }
    const sent = request.headers.get(header)?.trim();
    if (!sent?.startsWith(prefix)) return false;
    const text = sent.slice(prefix.length).trim();
    if (!(encoding === 'hex' ? HEX : BASE64).test(text)) return false;
    const given = Buffer.from(text, encoding);
    const expected = createHmac(algorithm, secret).update(signed).digest();
    // timingSafeEqual throws on a length mismatch; the length of a digest is public anyway.
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
}
