import { describe, expect, it, vi } from 'vitest';
import { InProcessKeyedLock } from '../../src/index.js';
import { ORDER_SIZES } from '../../src/orders/defaults.js';
import { ImportCache } from '../../src/orders/import/import-cache.js';
import { InMemoryOmnitron } from '../../src/testing/index.js';

const customer = (i: number) => ({ email: `buyer${i}@example.com`, firstName: 'Ada', lastName: `Buyer${i}` });

describe('ImportCache', () => {
  it('remembers the customers of its latest entries only, so a long run of distinct customers stays bounded', async () => {
    const omnitron = new InMemoryOmnitron();
    const asked = vi.spyOn(omnitron, 'getOrCreateCustomer');
    const cache = new ImportCache(omnitron, new InProcessKeyedLock());
    const limit = ORDER_SIZES.importCacheEntries;
    for (let i = 0; i <= limit; i += 1) await cache.customer(customer(i), 'email');
    expect(asked).toHaveBeenCalledTimes(limit + 1);

    // The latest is known: no request. The first fell out with the one past the limit: asked again.
    await cache.customer(customer(limit), 'email');
    expect(asked).toHaveBeenCalledTimes(limit + 1);
    const again = await cache.customer(customer(0), 'email');
    expect(asked).toHaveBeenCalledTimes(limit + 2);
    expect(again.email).toBe('buyer0@example.com');
  });
});
