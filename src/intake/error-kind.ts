/**
 * What a log line of the intake says about something thrown by the adapter, the hook or a bug: its class
 * name (and a string `code`), never its message. Messages quote data: V8's `SyntaxError` repeats the text
 * around a bad JSON token, and an adapter's own error may name the customer it could not map.
 */
export function errorKind(thrown: unknown): string {
  if (!(thrown instanceof Error)) return typeof thrown;
  const code = (thrown as { code?: unknown }).code;
  return typeof code === 'string' && /^[\w.-]{1,64}$/.test(code) ? `${thrown.name} (${code})` : thrown.name;
}
