import { describe, expect, it } from 'vitest';
import { InvalidOptionsError, OrderService } from '../../src/index.js';
import { InMemoryOmnitron, ScriptedChannel } from '../../src/testing/index.js';

describe('OrderService options', () => {
  it('names every wrong option', () => {
    const error = (() => {
      try {
        new OrderService({
          omnitron: {} as never,
          channel: undefined as never,
          logger: { info: () => {} } as never,
        });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect((error as InvalidOptionsError).problems).toEqual([
      'omnitron: must be an OmnitronIntegration (such as OmnitronRestIntegration)',
      'channel: must be an instance of your ChannelIntegration subclass',
      'logger: must have debug, info, warn and error methods',
    ]);
  });

  it('accepts a pino-style logger and writes structured lines to it', async () => {
    const lines: [string, Record<string, unknown>, string][] = [];
    const log = (level: string) => (fields: Record<string, unknown>, message: string) =>
      lines.push([level, fields, message]);
    const service = new OrderService({
      omnitron: new InMemoryOmnitron(),
      channel: new ScriptedChannel(),
      logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    });
    await service.fetchAndCreateOrder();
    expect(lines.map(([level, , message]) => `${level} ${message}`)).toEqual([
      'info flow started',
      'info flow finished',
    ]);
    expect(lines[1]?.[1]).toMatchObject({ flow: 'fetchAndCreateOrder', status: 'done' });
  });
});
