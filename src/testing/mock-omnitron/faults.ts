/**
 * How an injected fault breaks a request:
 * - `status`: answer with an error status (default 503), optionally with `Retry-After`;
 * - `timeout`: never answer (the client's timeout fires);
 * - `reset`: drop the connection before doing anything;
 * - `malformed`: answer 200 with a body that is not JSON;
 * - `lost-response`: do the work (a write is applied), then drop the connection without answering;
 * - `slow`: do the work only after `delay` ms, then answer: a server slower than the client's timeout,
 *   which still applies a write the client gave up on;
 * - `empty`: do the work, then answer 200 with an empty body, as a proxy that lost the body does.
 */
export type FaultKind = 'status' | 'timeout' | 'reset' | 'malformed' | 'lost-response' | 'slow' | 'empty';

/** A fault to inject into matching requests. */
export interface FaultRule {
  /** Which requests: a pattern or substring matched against `METHOD /path` (such as `POST /api/v1/channel/1/create_orders/`). */
  match: RegExp | string;
  /** How the request is broken. */
  kind: FaultKind;
  /** For `status`: the status to answer (default 503). */
  status?: number;
  /** For `status`: a `Retry-After` header, in seconds. */
  retryAfter?: number;
  /** For `slow`: how long the request waits before it is processed, in ms (default 1000). */
  delay?: number;
  /** Probability that a matching request is hit, from 0 to 1 (default 1). */
  rate?: number;
  /** Hit at most this many requests (default: no limit). */
  times?: number;
}

interface ActiveRule extends FaultRule {
  remaining: number;
}

/**
 * The faults a mock server injects. Random choices come from a seeded generator, so a run that failed can
 * be replayed exactly with the same seed.
 */
export class FaultPlan {
  readonly #rules: ActiveRule[] = [];
  #state: number;
  /** How many requests were hit, by kind. */
  readonly injected: Record<FaultKind, number> = {
    status: 0,
    timeout: 0,
    reset: 0,
    malformed: 0,
    'lost-response': 0,
    slow: 0,
    empty: 0,
  };

  constructor(seed = 1) {
    this.#state = seed >>> 0 || 1;
  }

  /** Adds a rule; returns a function that removes it. */
  add(rule: FaultRule): () => void {
    const active: ActiveRule = { ...rule, remaining: rule.times ?? Number.POSITIVE_INFINITY };
    this.#rules.push(active);
    return () => {
      const index = this.#rules.indexOf(active);
      if (index >= 0) this.#rules.splice(index, 1);
    };
  }

  /** Removes every rule. */
  clear(): void {
    this.#rules.length = 0;
  }

  /** The fault to inject into a request, if any. */
  pick(method: string, path: string): FaultRule | undefined {
    const target = `${method} ${path}`;
    for (const rule of this.#rules) {
      if (rule.remaining <= 0) continue;
      const matches = typeof rule.match === 'string' ? target.includes(rule.match) : rule.match.test(target);
      if (!matches || this.#random() >= (rule.rate ?? 1)) continue;
      rule.remaining -= 1;
      this.injected[rule.kind] += 1;
      return rule;
    }
    return undefined;
  }

  /** mulberry32: small, fast and good enough to spread faults. */
  #random(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
