/** The Redis settings that decide whether a stored job survives a restart and memory pressure. */
export interface RedisPersistence {
  /** `yes` when the append-only file is on. */
  appendonly: string;
  /** The RDB snapshot rules, such as `3600 1 300 100`; empty when snapshots are off. */
  save: string;
  /** What Redis does when full; only `noeviction` never deletes a key. */
  maxmemoryPolicy: string;
}

/** What the check found: the settings, or that CONFIG is refused (managed Redis often renames or denies it). */
export type PersistenceReading = { settings: RedisPersistence } | { configRefused: string };

/**
 * The part of an ioredis client the check uses. BullMQ types its client as its own adapter interface, which
 * declares only the commands BullMQ sends; its ioredis adapter forwards the others, CONFIG among them.
 */
interface ConfigClient {
  config?: (subcommand: 'GET', parameter: string) => Promise<unknown>;
}

/**
 * Reads `appendonly`, `save` and `maxmemory-policy`. A Redis that answers CONFIG with an error (unknown
 * command, NOPERM) is reported as refusing it, by the error's first word only; a lost connection throws.
 */
export async function readPersistence(client: object): Promise<PersistenceReading> {
  const { config } = client as ConfigClient;
  if (typeof config !== 'function') return { configRefused: 'this Redis client has no CONFIG command' };
  const get = async (name: string): Promise<string> => {
    const reply = await config.call(client, 'GET', name);
    return Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : '';
  };
  try {
    const [appendonly, save, maxmemoryPolicy] = await Promise.all([
      get('appendonly'),
      get('save'),
      get('maxmemory-policy'),
    ]);
    return { settings: { appendonly, save, maxmemoryPolicy } };
  } catch (error) {
    // ioredis names a Redis error reply ReplyError; anything else (a closed connection) is not an answer.
    if (error instanceof Error && error.name === 'ReplyError')
      return { configRefused: error.message.split(' ')[0] ?? 'ERR' };
    throw error;
  }
}

/** Why Redis could lose a stored job; empty when it keeps them. */
export function volatileReasons(settings: RedisPersistence): string[] {
  const reasons: string[] = [];
  if (settings.appendonly !== 'yes' && settings.save.trim() === '')
    reasons.push(
      `appendonly is "${settings.appendonly}" and save is "${settings.save}": nothing is persisted`,
    );
  if (settings.maxmemoryPolicy !== 'noeviction')
    reasons.push(`maxmemory-policy is "${settings.maxmemoryPolicy}": keys are evicted when memory is full`);
  return reasons;
}
