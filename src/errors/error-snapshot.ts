import { SecretRedactor } from '../foundation/redact.js';

/** How many links of a `cause` chain a snapshot keeps; deeper ones are dropped. */
const MAX_CAUSE_DEPTH = 5;

/** Redacts only what can be recognised without being told: `Authorization` values, secret-named keys. */
const DEFAULT_REDACTOR = new SecretRedactor();

/**
 * A copy of an error the SDK did not make (thrown by a channel adapter, a hook or a library), kept as the
 * `cause` of the SDK's own error. It holds only the original's name, `code`, message, stack and cause
 * chain, each with secrets redacted: never the original object, whose other properties (an HTTP client's
 * request headers or config, say) may hold credentials that no redactor knows about.
 *
 * @group Errors
 */
export class ErrorSnapshot extends Error {
  /** The original's `code` property, when it had a string or number one. */
  readonly code?: string | number;

  /** Builds a snapshot from already redacted parts; use {@link snapshotError} to take one. */
  constructor(parts: {
    name: string;
    message: string;
    stack?: string;
    code?: string | number;
    cause?: ErrorSnapshot;
  }) {
    super(parts.message, parts.cause === undefined ? undefined : { cause: parts.cause });
    this.name = parts.name;
    if (parts.code !== undefined) this.code = parts.code;
    // The original's stack says where the adapter failed, which is what its author needs to debug it.
    if (parts.stack !== undefined) this.stack = parts.stack;
  }
}

/**
 * Takes a redacted snapshot of anything thrown. It never throws itself: a value whose properties cannot
 * be read (a throwing getter, a hostile `Proxy`) is described as far as it can be.
 *
 * @group Errors
 */
export function snapshotError(
  thrown: unknown,
  redactor: SecretRedactor = DEFAULT_REDACTOR,
  depth = 0,
): ErrorSnapshot {
  const isError = isAnError(thrown);
  const name = readString(thrown, 'name') ?? (isError ? 'Error' : typeof thrown);
  const message = messageOf(thrown);
  const stack = isError ? readString(thrown, 'stack') : undefined;
  const code = read(thrown, 'code');
  const cause = depth < MAX_CAUSE_DEPTH ? read(thrown, 'cause') : undefined;
  return new ErrorSnapshot({
    name: redactor.redactText(name).slice(0, 200),
    message: redactor.redactText(message),
    ...(stack !== undefined ? { stack: redactor.redactText(stack) } : {}),
    ...(typeof code === 'string' ? { code: redactor.redactText(code) } : {}),
    ...(typeof code === 'number' ? { code } : {}),
    ...(cause !== undefined ? { cause: snapshotError(cause, redactor, depth + 1) } : {}),
  });
}

/** The message of an error, the text of a thrown string, or a safe description of anything else. */
function messageOf(thrown: unknown): string {
  if (typeof thrown === 'string') return thrown;
  const message = readString(thrown, 'message');
  if (message !== undefined) return message;
  if (thrown === null || (typeof thrown !== 'object' && typeof thrown !== 'function')) return String(thrown);
  return '[a thrown value that is not an Error]';
}

/**
 * `instanceof Error`, which a `Proxy` can make throw.
 *
 * @group Errors
 */
export function isAnError(value: unknown): boolean {
  try {
    return value instanceof Error;
  } catch {
    return false;
  }
}

/** Reads a property of anything, or `undefined` when it is missing or reading it throws. */
function read(value: unknown, key: string): unknown {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined;
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function readString(value: unknown, key: string): string | undefined {
  const found = read(value, key);
  return typeof found === 'string' ? found : undefined;
}
