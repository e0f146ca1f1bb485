import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { InvalidOptionsError } from '../errors/run-errors.js';
import type { SameShape } from '../foundation/same-shape.js';
import type { WebhookVerifier } from './adapter.js';
import { WEBHOOK_DEFAULTS } from './defaults.js';

// Strict: a misspelt option is an error naming it. The fields are documented once, on HmacSignatureOptions
// below; their defaults are in WEBHOOK_DEFAULTS.hmac.
const HmacOptionsSchema = z
  .strictObject({
    secret: z.string().min(1, 'must not be empty'),
    header: z.string().min(1, 'must name a header'),
    algorithm: z.enum(['sha1', 'sha256', 'sha512']).optional(),
    encoding: z.enum(['hex', 'base64']).optional(),
    prefix: z.string().optional(),
    timestampHeader: z.string().min(1, 'must name a header').optional(),
    toleranceSeconds: z.number().int().min(1).optional(),
  })
  .refine((o) => o.toleranceSeconds === undefined || o.timestampHeader !== undefined, {
    message: 'needs timestampHeader',
    path: ['toleranceSeconds'],
  });

/** Unix seconds as senders write them: digits only, no fraction, sign or exponent. */
const UNIX_SECONDS = /^\d{1,12}$/;

/** Options of {@link verifyHmacSignature}. */
export interface HmacSignatureOptions {
  /** The shared secret the marketplace signs with. */
  secret: string;
  /** The request header holding the signature, such as `x-signature` (any letter case). */
  header: string;
  /** The hash (default `sha256`). */
  algorithm?: 'sha1' | 'sha256' | 'sha512' | undefined;
  /** How the signature is written in the header (default `hex`, either letter case). */
  encoding?: 'hex' | 'base64' | undefined;
  /** Text before the signature in the header, such as `sha256=`; removed before comparing (default none). */
  prefix?: string | undefined;
  /**
   * The request header holding the time the marketplace signed the call, in Unix seconds, such as
   * `x-acme-timestamp`. When set, the signature is expected over `<timestamp>.<body>` and a call dated
   * more than `toleranceSeconds` away from now is refused, so a captured call cannot be replayed later.
   * Unset (the default), the signature covers the body alone and a call is accepted whenever it comes.
   */
  timestampHeader?: string | undefined;
  /** How far a call's timestamp may be from now, either way, in seconds (default 300); needs `timestampHeader`. */
  toleranceSeconds?: number | undefined;
}

// The interface is what users read; the schema checks values at run time. tsc fails here the moment the
// two disagree.
const _sameShape: SameShape<HmacSignatureOptions, z.input<typeof HmacOptionsSchema>> = true;
void _sameShape;

/** {@link HmacSignatureOptions} once checked and defaulted. */
interface HmacSettings {
  secret: string;
  header: string;
  algorithm: 'sha1' | 'sha256' | 'sha512';
  encoding: 'hex' | 'base64';
  prefix: string;
  timestampHeader: string | undefined;
  toleranceSeconds: number;
}

/**
 * The one resolve step of {@link verifyHmacSignature}'s options: checks them (throws
 * `InvalidOptionsError`) and applies every default from `WEBHOOK_DEFAULTS.hmac`.
 */
function resolveHmacOptions(options: HmacSignatureOptions): HmacSettings {
  const parsed = HmacOptionsSchema.safeParse(options);
  // The message names the bad option but never echoes its value: it may be the secret.
  if (!parsed.success) throw InvalidOptionsError.fromZod('verifyHmacSignature', parsed.error);
  const o = parsed.data;
  const d = WEBHOOK_DEFAULTS.hmac;
  return {
    secret: o.secret,
    header: o.header,
    algorithm: o.algorithm ?? d.algorithm,
    encoding: o.encoding ?? d.encoding,
    prefix: o.prefix ?? d.prefix,
    timestampHeader: o.timestampHeader,
    toleranceSeconds: o.toleranceSeconds ?? d.toleranceSeconds,
  };
}

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
  const { secret, header, algorithm, encoding, prefix, timestampHeader, toleranceSeconds } =
    resolveHmacOptions(options);
  return (request, rawBody) => {
    let signed: Uint8Array = rawBody;
    if (timestampHeader !== undefined) {
      const timestamp = request.headers.get(timestampHeader)?.trim() ?? '';
      if (!UNIX_SECONDS.test(timestamp)) return false;
      if (Math.abs(Date.now() / 1000 - Number(timestamp)) > toleranceSeconds) return false;
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
