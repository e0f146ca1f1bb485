import { type ChildProcess, fork } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { WorkerSettings } from './worker-settings.js';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

interface Slot {
  child: ChildProcess | undefined;
  exited: Promise<void>;
}

/**
 * The soak's worker processes: started with tsx (as users run TypeScript), SIGKILLed on demand and started
 * again, stopped gracefully (SIGTERM, then SIGKILL after a grace period) at the end. Keeps the last
 * warning and error lines of every worker, for the report.
 */
export class WorkerPool {
  readonly #settings: WorkerSettings;
  readonly #slots: Slot[] = [];
  /** Warning and error lines the workers wrote, by level. */
  readonly logCounts = { warn: 0, error: 0 };
  /** The last error lines, for the report. */
  readonly lastErrors: string[] = [];
  kills = 0;

  constructor(settings: WorkerSettings, size: number) {
    this.#settings = settings;
    for (let i = 0; i < size; i += 1) this.#slots.push({ child: undefined, exited: Promise.resolve() });
  }

  get size(): number {
    return this.#slots.length;
  }

  /** Starts every worker and waits until each is ready (or gave up after 30 s). */
  async start(): Promise<void> {
    await Promise.all(this.#slots.map((_, i) => this.#spawn(i)));
  }

  /** SIGKILLs worker `index` now, mid-run whatever it is doing, and starts another in its place after `pause` ms. */
  async kill(index: number, pause: number): Promise<void> {
    const slot = this.#slots[index];
    if (!slot?.child) return;
    slot.child.kill('SIGKILL');
    this.kills += 1;
    await slot.exited;
    await new Promise((resolve) => setTimeout(resolve, pause));
    await this.#spawn(index);
  }

  /** Stops every worker: SIGTERM lets running flows finish; one still alive after `grace` ms is SIGKILLed. */
  async stop(grace = 10_000): Promise<void> {
    await Promise.all(
      this.#slots.map(async (slot) => {
        const child = slot.child;
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), grace);
        await slot.exited;
        clearTimeout(timer);
      }),
    );
  }

  async #spawn(index: number): Promise<void> {
    const child = fork(WORKER, [JSON.stringify(this.#settings)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const slot = this.#slots[index] as Slot;
    slot.child = child;
    slot.exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let pending = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const text of lines) this.#log(text);
    });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 30_000);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      child.once('message', done);
      child.once('exit', done);
    });
  }

  #log(text: string): void {
    // SOAK_LOG names a file that gets every worker line, for digging into a failed soak.
    if (process.env.SOAK_LOG) appendFileSync(process.env.SOAK_LOG, `${text}\n`);
    if (text.startsWith('warn ')) this.logCounts.warn += 1;
    else if (text.trim() !== '') {
      this.logCounts.error += 1;
      this.lastErrors.push(text.slice(0, 400));
      if (this.lastErrors.length > 10) this.lastErrors.shift();
    }
  }
}
