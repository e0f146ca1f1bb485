import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OmnitronResponseError } from '../../src/index.js';
import { json, probe, tinyServer } from '../security/omnitron-servers.js';

const Thing = z.object({ pk: z.number() });

/** An Omnitron that answers the first `empty` reads of a thing with 200 and no body, then the thing. */
async function emptyThen(empty: number) {
  let left = empty;
  return tinyServer((req, res) => {
    if (req.url === '/api/v1/auth/login/') return json(res, 200, { key: 'tok-empty-answers-1234' });
    if (left > 0) {
      left -= 1;
      return res.writeHead(200, { 'Content-Type': 'application/json' }).end();
    }
    return json(res, 200, { pk: 7 });
  });
}

const gets = (requests: readonly string[]) => requests.filter((r) => r.startsWith('GET /api/v1/things/'));

describe('a read answered 200 with an empty body', () => {
  it('is asked again, like a body cut off, rather than failing the run', async () => {
    const server = await emptyThen(1);
    const answer = await probe(server.url).transport.request('GET', 'things/1/', { schema: Thing });
    expect(answer).toEqual({ pk: 7 });
    expect(gets(server.requests)).toHaveLength(2);
  });

  it('is a typed error once the retries are spent', async () => {
    const server = await emptyThen(10);
    const failed = await probe(server.url)
      .transport.request('GET', 'things/1/', { schema: Thing })
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(OmnitronResponseError);
    expect(gets(server.requests)).toHaveLength(3);
  });
});
