import { z } from 'zod';
import { OmnitronAuthError, OmnitronError } from '../errors/omnitron-errors.js';
import type { Logger } from '../foundation/logger.js';
import type { SecretRedactor } from '../foundation/redact.js';
import { type AnswerReader, readAnswer } from './answer-reader.js';
import { Deadline } from './deadline.js';
import type { TokenStore } from './token-store.js';

/** Where Omnitron logs users in. */
const LOGIN_PATH = 'auth/login/';

/** Omnitron's answer to a login. */
const LoginAnswer = z.object({ key: z.string().min(1) });

/** A user's credentials, as a login sends them. */
export interface Credentials {
  username: string;
  password: string;
}

/** What {@link TokenSession} needs. */
export interface TokenSessionOptions extends Credentials {
  baseUrl: string;
  /** Per attempt, in ms: also the longest wait for one token-store call. */
  timeout: number;
  /** The most one login may take in all, in ms. */
  deadline: number;
  tokenStore: TokenStore;
  logger: Logger;
  redactor: SecretRedactor;
  /** Reads the login's answer and words its failures. */
  reader: AnswerReader;
  /**
   * Sends the login request (`POST path` with the credentials as JSON) with the transport's timeouts and
   * retries, aborted by `deadline`'s signal.
   */
  post: (path: string, json: Credentials, deadline: Deadline) => Promise<Response>;
}

/**
 * The token sent as `Authorization: Token …`: `POST auth/login/` once for it, shared by concurrent callers,
 * kept in memory and in the token store (best effort: a store that fails costs a login, never a request),
 * and renewed once Omnitron refuses it. Every token is added to the redactor as soon as it is known.
 */
export class TokenSession {
  readonly #options: TokenSessionOptions;
  /** One key per Omnitron and user, so apps sharing a Redis never use each other's tokens. */
  readonly #key: string;
  #token: string | undefined;
  #login: Promise<string> | undefined;

  constructor(options: TokenSessionOptions) {
    this.#options = options;
    this.#key = `channel-app-sdk:omnitron-token:${options.baseUrl}:${options.username}`;
  }

  /** The token to send: the one in memory, else the stored one, else a fresh login's. */
  async current(): Promise<string> {
    if (this.#token) return this.#token;
    const stored = await this.#store('get', () => this.#options.tokenStore.get(this.#key));
    if (stored) {
      this.#options.redactor.add(stored);
      this.#token = stored;
      return stored;
    }
    return this.#loginOnce();
  }

  /**
   * Forgets a token Omnitron refused and logs in again, unless another caller has already done so; returns
   * the token to send instead.
   */
  async renew(refused: string): Promise<string> {
    // Another request may have logged in already while this one waited.
    if (this.#token && this.#token !== refused) return this.#token;
    this.#token = undefined;
    await this.#store('delete', () => this.#options.tokenStore.delete(this.#key));
    return this.#loginOnce();
  }

  /**
   * Runs a token-store call, best effort: the store only saves logins, so a store that fails or hangs (a
   * Redis outage) costs a fresh login, never the request. A hung call is given up after the attempt timeout.
   */
  async #store<T>(operation: string, call: () => Promise<T>): Promise<T | undefined> {
    const wait = new Deadline(this.#options.timeout);
    try {
      return await wait.race(call());
    } catch (error) {
      this.#options.logger.warn(
        {
          operation,
          error: this.#options.redactor.redactText(error instanceof Error ? error.message : String(error)),
        },
        'the token store failed; going on without it',
      );
      return undefined;
    } finally {
      wait.dispose();
    }
  }

  /**
   * Logs in; concurrent callers share one login. The login has a deadline of its own (each caller also
   * stops waiting at its own deadline), so one caller running out of time does not fail the others.
   */
  #loginOnce(): Promise<string> {
    this.#login ??= this.#logIn().finally(() => {
      this.#login = undefined;
    });
    return this.#login;
  }

  async #logIn(): Promise<string> {
    const deadline = new Deadline(this.#options.deadline);
    try {
      return await this.#logInWithin(deadline);
    } finally {
      deadline.dispose();
    }
  }

  async #logInWithin(deadline: Deadline): Promise<string> {
    const { username, password, redactor, logger, reader } = this.#options;
    const credentials = { username, password };
    const http = { method: 'POST', path: LOGIN_PATH };
    let text: string;
    let status = 200;
    try {
      const response = await deadline.race(this.#options.post(LOGIN_PATH, credentials, deadline));
      status = response.status;
      text = await reader.read({ ...http, status }, response, deadline);
    } catch (thrown) {
      const error =
        thrown instanceof OmnitronError ? thrown : await reader.failure(thrown, http, credentials, deadline);
      const refused = error.http?.status;
      if (refused === 400 || refused === 401 || refused === 403) {
        throw new OmnitronAuthError(`Omnitron refused the login of user "${username}" (HTTP ${refused})`, {
          cause: error,
          http: error.http,
          ...(error.requestBody === undefined ? {} : { requestBody: error.requestBody }),
          ...(error.responseBody === undefined ? {} : { responseBody: error.responseBody }),
        });
      }
      throw error;
    }
    // The answer of a login is the token itself: a body that cannot be used is never kept in the error.
    const { key } = reader.check({ ...http, status }, readAnswer(text), LoginAnswer, false);
    redactor.add(key);
    this.#token = key;
    await this.#store('set', () => this.#options.tokenStore.set(this.#key, key));
    logger.info({ user: username }, 'logged in to Omnitron');
    return key;
  }
}
