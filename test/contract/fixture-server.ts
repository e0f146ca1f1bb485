import { readFileSync } from 'node:fs';
import { OmnitronRestIntegration } from '../../src/index.js';
import { TEST_RETRY } from '../support.js';

/** A request as the fixtures write it: method, path, query (every key, `page` and `limit` included), body. */
export interface FixtureRequest {
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: unknown;
}

/** One answer to a request; `shape` names the variant (`full`, `minimal`, `id-instead-of-pk`, …). */
export interface FixtureAnswer {
  shape: string;
  status: number;
  body: unknown;
}

/** One request and the answers Omnitron may give to it. */
export interface Exchange {
  request: FixtureRequest;
  answers: FixtureAnswer[];
}

/** A fixture file: its exchanges by name. */
export interface FixtureFile {
  about: string;
  exchanges: Record<string, Exchange>;
}

/** The channel id, base URL, user and page size every fixture is written for. */
export const CONTRACT = {
  baseUrl: 'https://omnitron.test',
  channelId: 7,
  username: 'channel-app',
  password: 'fixture-password',
  pageSize: 50,
} as const;

/** Reads a fixture file of test/fixtures/omnitron/. */
export function loadFixtures(name: string): FixtureFile {
  const url = new URL(`../fixtures/omnitron/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as FixtureFile;
}

/** The one exchange of a file by name; throws when the fixture is missing. */
export function exchange(file: FixtureFile, name: string): Exchange {
  const found = file.exchanges[name];
  if (!found) throw new Error(`no fixture exchange "${name}"`);
  return found;
}

/** The one answer of an exchange by shape. */
export function answer(ex: Exchange, shape: string): FixtureAnswer {
  const found = ex.answers.find((a) => a.shape === shape);
  if (!found) throw new Error(`no answer of shape "${shape}"`);
  return found;
}

const auth = loadFixtures('auth-and-channel');

/**
 * A fetch double that plays Omnitron from fixtures: each request is recorded as sent (method, path, query,
 * parsed body) and answered by the first queued answer whose request matches it exactly. Login is answered
 * from the login fixture. A request no fixture matches gets a 418, so it fails the adapter call and shows in
 * `recorded`.
 */
export class FixtureOmnitron {
  /** Requests as the adapter sent them, login excluded. */
  readonly recorded: FixtureRequest[] = [];
  /** Login requests as sent. */
  readonly logins: FixtureRequest[] = [];
  readonly #queue: { request: FixtureRequest; answer: FixtureAnswer }[] = [];

  /** Queues an answer for a request; answers are used once, in order. */
  answer(request: FixtureRequest, answer: FixtureAnswer): this {
    this.#queue.push({ request, answer });
    return this;
  }

  /** Queues an exchange's answer of this shape. */
  play(ex: Exchange, shape: string): this {
    return this.answer(ex.request, answer(ex, shape));
  }

  /** The adapter under test, talking to this double. */
  adapter(): OmnitronRestIntegration {
    return new OmnitronRestIntegration({
      baseUrl: CONTRACT.baseUrl,
      username: CONTRACT.username,
      password: CONTRACT.password,
      channelId: CONTRACT.channelId,
      catalogId: 3,
      pageSize: CONTRACT.pageSize,
      retry: TEST_RETRY,
      timeout: 2000,
      fetch: (input, init) => this.#fetch(new Request(input, init)),
    });
  }

  async #fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const text = await request.text();
    const sent: FixtureRequest = {
      method: request.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams.entries()),
      ...(text ? { body: JSON.parse(text) as unknown } : {}),
    };
    const login = exchange(auth, 'login');
    if (sent.method === login.request.method && sent.path === login.request.path) {
      this.logins.push(sent);
      return respond(answer(login, 'ok'));
    }
    this.recorded.push(sent);
    const index = this.#queue.findIndex((q) => sameRequest(q.request, sent));
    const [queued] = index === -1 ? [] : this.#queue.splice(index, 1);
    return queued ? respond(queued.answer) : respond({ shape: 'none', status: 418, body: { sent } });
  }
}

function sameRequest(fixture: FixtureRequest, sent: FixtureRequest): boolean {
  return (
    fixture.method === sent.method &&
    fixture.path === sent.path &&
    JSON.stringify(sortKeys(fixture.query ?? {})) === JSON.stringify(sortKeys(sent.query ?? {})) &&
    JSON.stringify(sortKeys(fixture.body)) === JSON.stringify(sortKeys(sent.body))
  );
}

/** A value with object keys sorted, so two JSON values compare regardless of key order. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  return value;
}

function respond(answer: FixtureAnswer): Response {
  return answer.status === 204 || answer.body === null
    ? new Response(null, { status: answer.status })
    : new Response(JSON.stringify(answer.body), {
        status: answer.status,
        headers: { 'Content-Type': 'application/json' },
      });
}
