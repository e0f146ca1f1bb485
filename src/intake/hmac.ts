import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { InvalidOptionsError } from '../errors/invalid-options-error.js';
import type { WebhookVerifier } from './adapter.js';

const HmacOptionsSchema = z.strictObject({
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
});

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
 * @example
 * ```ts
 * verify: verifyHmacSignature({ secret: process.env.ACME_WEBHOOK_SECRET!, header: 'x-acme-signature', prefix: 'sha256=' }),
 * ```
 */
export function verifyHmacSignature(options: HmacSignatureOptions): WebhookVerifier {
  const parsed = HmacOptionsSchema.safeParse(options);
  // The message names the bad option but never echoes its value: it may be the secret.
  if (!parsed.success) throw InvalidOptionsError.fromZod('verifyHmacSignature', parsed.error);
  const { secret, header, algorithm, encoding, prefix } = parsed.data;
  return (request, rawBody) => {
    const sent = request.headers.get(header)?.trim();
    if (!sent?.startsWith(prefix)) return false;
    const text = sent.slice(prefix.length).trim();
    if (!(encoding === 'hex' ? HEX : BASE64).test(text)) return false;
    const given = Buffer.from(text, encoding);
    const expected = createHmac(algorithm, secret).update(rawBody).digest();
    // timingSafeEqual throws on a length mismatch; the length of a digest is public anyway.
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
}
