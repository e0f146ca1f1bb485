import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { pipeline, type Readable } from 'node:stream';
import { constants, createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

/**
 * How long a connection is kept for the next request once its answer is read: undici's default, below the
 * five seconds after which Node's own servers drop an idle connection (Node takes a shorter `Keep-Alive:
 * timeout=` hint from the server on its own).
 */
const IDLE_MS = 4000;

/** One pool of connections per scheme for the whole process, like `fetch`'s global dispatcher. */
const agents = {
  http: new HttpAgent({ keepAlive: true, timeout: IDLE_MS, noDelay: true }),
  https: new HttpsAgent({ keepAlive: true, timeout: IDLE_MS, noDelay: true }),
};

/** Statuses whose answers have no body. */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * The bodies of the answers {@link nodeFetch} made, beside their `Response`s (whose own body is `null`):
 * {@link nodeBodyOf} hands them to the SDK's body reader, which reads them without web streams.
 */
const bodies = new WeakMap<Response, Readable>();

/**
 * The body of an answer {@link nodeFetch} made, taken from it (a second call gives `undefined`); for any
 * other `Response`, `undefined`.
 */
export function takeNodeBody(response: Response): Readable | undefined {
  const body = bodies.get(response);
  if (body) bodies.delete(response);
  return body;
}

/**
 * A `fetch` for ky on `node:http`/`node:https` with keep-alive pools, for the SDK's REST transport when the
 * user gives no `fetch` of their own. Node's `fetch` (undici) costs several times the CPU and, worse, keeps
 * every request's objects alive through the young-generation collections (it registers each request and
 * answer in a `FinalizationRegistry`, whose targets V8's scavenger treats as strong), so they pile up in
 * the old space: about half of an import's peak RSS.
 *
 * It does what the transport needs of `fetch`, the way undici does it: the method, URL, headers and body of
 * the request (a URL and its init, as the transport's attempts send it, without the cost of a `Request`; or
 * any `Request`); the same default headers (`accept`, `accept-language`, `user-agent`, `accept-encoding`)
 * unless given, and gzip, deflate and brotli bodies decoded; the request's signal aborting the request and
 * the body, rejecting with its reason; a network failure rejecting with `TypeError('fetch failed')` whose
 * `cause` is Node's error (with its `code`). It never follows a redirect (the transport asks for `manual`
 * anyway). It resolves as soon as the headers arrive: the body streams, and is read by `readBodyCapped`
 * (or closed by `discardBody`) through {@link takeNodeBody}; the `Response`'s own body is `null`.
 */
export async function nodeFetch(input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> {
  const { method, url, headers, body, signal } = await outgoing(input, init);
  signal?.throwIfAborted();
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError('fetch failed', { cause: new Error(`unsupported scheme ${url.protocol}`) });
  headers.accept ??= '*/*';
  headers['accept-language'] ??= '*';
  headers['user-agent'] ??= 'node';
  headers['accept-encoding'] ??= url.protocol === 'https:' ? 'br, gzip, deflate' : 'gzip, deflate';
  if (body) headers['content-length'] = String(body.byteLength);
  const https = url.protocol === 'https:';
  const send = https ? httpsRequest : httpRequest;
  return new Promise<Response>((resolve, reject) => {
    const sent = send(url, { method, headers, agent: https ? agents.https : agents.http });
    // Until the answer has been read in full, an abort ends the request, and the body with it.
    const onAbort = () => {
      sent.destroy();
      reject(signal?.reason);
    };
    const release = () => signal?.removeEventListener('abort', onAbort);
    signal?.addEventListener('abort', onAbort, { once: true });
    // `on`, not `once`: a second error of the same request must not be left without a listener.
    sent.on('error', (error) => {
      release();
      reject(new TypeError('fetch failed', { cause: inUndiciTerms(error) }));
    });
    sent.once('close', release);
    sent.once('response', (answer) => {
      answer.once('end', release);
      try {
        resolve(toResponse(answer, method));
      } catch (error) {
        release();
        answer.destroy();
        reject(new TypeError('fetch failed', { cause: error }));
      }
    });
    sent.end(body);
  });
}

/** What {@link nodeFetch} sends: header names in lower case, the body in bytes. */
interface Outgoing {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: Buffer | undefined;
  signal: AbortSignal | null | undefined;
}

/**
 * The request to send. A URL with a body that is a string (or none) and plain or `Headers` headers, as the
 * SDK's transport sends, is taken as it is; anything else goes through a `Request`, as `fetch` would
 * take it.
 */
async function outgoing(
  input: Parameters<typeof fetch>[0],
  init: RequestInit | undefined,
): Promise<Outgoing> {
  if (
    !(input instanceof Request) &&
    init !== undefined &&
    (init.body === undefined || init.body === null || typeof init.body === 'string') &&
    !Array.isArray(init.headers)
  ) {
    const headers: Record<string, string> = {};
    const given = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    given.forEach((value, key) => {
      headers[key] = value;
    });
    const body = typeof init.body === 'string' ? Buffer.from(init.body) : undefined;
    if (body && headers['content-type'] === undefined) headers['content-type'] = 'text/plain;charset=UTF-8';
    return {
      method: (init.method ?? 'GET').toUpperCase(),
      url: new URL(input),
      headers,
      body,
      signal: init.signal,
    };
  }
  const request =
    input instanceof Request && (init === undefined || Object.keys(init).length === 0)
      ? input
      : new Request(input, init);
  request.signal.throwIfAborted();
  const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
  const headers: Record<string, string> = {};
  request.headers.forEach((value, key) => {
    headers[key] = value;
  });
  return { method: request.method, url: new URL(request.url), headers, body, signal: request.signal };
}

/** The `Response` for Node's answer; its body, decoded, is kept for {@link takeNodeBody}. */
function toResponse(answer: IncomingMessage, method: string): Response {
  const status = answer.statusCode ?? 0;
  if (status < 200 || status > 599) throw new Error(`invalid HTTP status ${status}`);
  const headers = new Headers();
  const raw = answer.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  let response: Response;
  try {
    response = new Response(null, { status, statusText: answer.statusMessage ?? '', headers });
  } catch {
    // A reason phrase a `Response` cannot hold: nothing reads it.
    response = new Response(null, { status, headers });
  }
  if (NULL_BODY_STATUSES.has(status) || method === 'HEAD') answer.resume();
  else bodies.set(response, decoded(answer, headers.get('content-encoding')));
  return response;
}

/**
 * The body with its content codings undone, last applied first, as `fetch` does (`gzip`, `x-gzip`,
 * `deflate`, `br`); a body with a coding it does not know is left as it came.
 */
function decoded(answer: IncomingMessage, encoding: string | null): Readable {
  if (!encoding) return answer;
  const codings = encoding
    .toLowerCase()
    .split(',')
    .map((coding) => coding.trim())
    .filter((coding) => coding !== '' && coding !== 'identity')
    .reverse();
  // Lenient like undici: a body cut off at a flush point still gives what it held.
  const lenient = { flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH };
  const decoders = [];
  for (const coding of codings) {
    if (coding === 'gzip' || coding === 'x-gzip') decoders.push(createGunzip(lenient));
    else if (coding === 'deflate') decoders.push(createInflate(lenient));
    else if (coding === 'br') decoders.push(createBrotliDecompress());
    else return answer;
  }
  if (decoders.length === 0) return answer;
  const last = decoders[decoders.length - 1] as Readable;
  // A failure anywhere (a broken connection, a corrupt body) destroys the whole chain: the reader sees it.
  pipeline([answer, ...decoders], () => undefined);
  return last;
}

/**
 * Node's error in undici's words where they differ: a connection the server closed before answering is
 * `socket hang up` (`ECONNRESET`) to Node and `other side closed` (`UND_ERR_SOCKET`) to undici, which is
 * what the SDK's errors and telemetry have always said.
 */
export function inUndiciTerms(error: unknown): unknown {
  if (!(error instanceof Error) || (error as { code?: unknown }).code !== 'ECONNRESET') return error;
  if (error.message !== 'socket hang up' && error.message !== 'aborted') return error;
  return Object.assign(new Error('other side closed'), { name: 'SocketError', code: 'UND_ERR_SOCKET' });
}
