import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { OmnitronNetworkError } from '../../src/index.js';
import { json, probe, tinyServer } from '../security/omnitron-servers.js';

/** A port on 127.0.0.1 nothing listens on (taken, then let go). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address.port;
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('a network failure says whether the request reached Omnitron', () => {
  it('no connection: "could not connect"', async () => {
    const port = await closedPort();
    const error = await failure(probe(`http://127.0.0.1:${port}`).getChannel());
    expect(error).toBeInstanceOf(OmnitronNetworkError);
    expect((error as Error).message).toMatch(/could not connect to Omnitron/i);
  });

  it('the connection closed after the request was sent: not "could not reach", and it may have been applied', async () => {
    const server = await tinyServer((req, res) =>
      req.url === '/api/v1/auth/login/' ? json(res, 200, { key: 'tok-closed-1234' }) : req.socket.destroy(),
    );
    const error = await failure(probe(server.url).getChannel());
    expect(error).toBeInstanceOf(OmnitronNetworkError);
    const { message } = error as Error;
    expect(message).not.toMatch(/could not (reach|connect)/i);
    expect(message).toMatch(/closed the connection before answering/i);
    expect(message).toMatch(/may have been applied/i);
  });
});
