import { afterEach, describe, expect, it } from 'vitest';
import {
  type ChannelAddress,
  type ChannelCustomer,
  type Customer,
  type CustomerIdentifierField,
  OmnitronRestIntegration,
  OrderService,
  type ResolvedLocation,
  UnknownLocationError,
} from '../../src/index.js';
import {
  type AddressCreate,
  buildChannelOrder,
  createMockOmnitronServer,
  type MockOmnitronServer,
  ScriptedChannel,
} from '../../src/testing/index.js';
import { mockRestOmnitron, TEST_RETRY } from '../support.js';

/** Options of a client of `server`, as `mockRestOmnitron` makes them. */
const optionsFor = (server: MockOmnitronServer) => ({
  baseUrl: server.url,
  ...server.credentials,
  channelId: server.store.channelId,
  retry: TEST_RETRY,
  timeout: 2000,
});

const servers: MockOmnitronServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const requestsTo = (server: MockOmnitronServer, pattern: RegExp) =>
  server.requests.filter((r) => pattern.test(`${r.method} ${r.path}`));

/** A marketplace that relays every buyer's mail through one address: a customer is its email and its name. */
class RelayMailOmnitron extends OmnitronRestIntegration {
  readonly calls: { found: readonly Customer[]; incoming: ChannelCustomer }[] = [];

  protected override matchCustomer(
    found: readonly Customer[],
    incoming: ChannelCustomer,
    identifierField: CustomerIdentifierField,
  ): Customer | null {
    this.calls.push({ found, incoming });
    const sameName = found.filter(
      (c) => c.firstName === incoming.firstName && c.lastName === incoming.lastName,
    );
    return super.matchCustomer(sameName, incoming, identifierField);
  }
}

/** A marketplace that sends Turkish licence-plate codes instead of city names. */
class PlateCodeOmnitron extends OmnitronRestIntegration {
  static readonly PLATES: Record<string, string> = { '34': 'İstanbul', '06': 'Ankara' };

  protected override resolveLocation(address: ChannelAddress): Promise<ResolvedLocation> {
    const city = PlateCodeOmnitron.PLATES[address.city] ?? address.city;
    return super.resolveLocation({ ...address, city });
  }
}

/** A merchant who wants the postcode at the end of the address line. */
class PostcodeInLineOmnitron extends OmnitronRestIntegration {
  protected override addressCreateBody(input: AddressCreate, customer: Customer): Record<string, unknown> {
    const body = super.addressCreateBody(input, customer);
    const { postcode } = input.address;
    return postcode ? { ...body, line: `${input.address.line} ${postcode}` } : body;
  }
}

/** A merchant whose channel routes are reached through a gateway prefix. */
class GatewayOmnitron extends OmnitronRestIntegration {
  protected override channelPath(path: string): string {
    return `gateway/${super.channelPath(path)}`;
  }
}

/**
 * The gateway in front of a mock server: strips `gateway/` from each path it forwards, and records which
 * channel routes it forwarded and which were sent to the channel's own path instead.
 */
function gatewayTo(): { fetch: typeof fetch; forwarded: string[]; bypassed: string[] } {
  const forwarded: string[] = [];
  const bypassed: string[] = [];
  const gateway: typeof fetch = (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const sent = `${request.method} ${url.pathname}`;
    if (url.pathname.startsWith('/api/v1/gateway/')) forwarded.push(sent);
    else if (url.pathname.startsWith('/api/v1/channel/')) bypassed.push(sent);
    url.pathname = url.pathname.replace('/api/v1/gateway/', '/api/v1/');
    return fetch(new Request(url, request));
  };
  return { fetch: gateway, forwarded, bypassed };
}

const relay = { email: 'buyer@relay.example.com', firstName: 'Ayşe', lastName: 'Yılmaz' };
const address: ChannelAddress = {
  country: 'TR',
  city: '34',
  township: 'Kadıköy',
  line: 'Moda Cd. 1',
  postcode: '34710',
};

describe('OmnitronRestIntegration extension points', () => {
  it('matchCustomer: an override chooses among the look-up answers (or creates a customer)', async () => {
    const { server, omnitron } = await mockRestOmnitron();
    const ayse = await omnitron.getOrCreateCustomer(relay, 'email');
    const custom = new RelayMailOmnitron(optionsFor(server));

    // Another buyer behind the same relay address: a new customer, and Ayşe keeps her name.
    const mehmet = await custom.getOrCreateCustomer(
      { ...relay, firstName: 'Mehmet', lastName: 'Demir' },
      'email',
    );
    expect(mehmet.id).not.toBe(ayse.id);
    expect(custom.calls[0]?.found.map((c) => c.id)).toEqual([ayse.id]);
    expect(custom.calls[0]?.incoming.firstName).toBe('Mehmet');
    expect(server.store.customers.get(ayse.id)?.firstName).toBe('Ayşe');
    expect(requestsTo(server, /^PATCH .*\/customers\/\d+\/$/)).toHaveLength(0);

    // Each is found again among both answers.
    expect((await custom.getOrCreateCustomer(relay, 'email')).id).toBe(ayse.id);
    expect(
      (await custom.getOrCreateCustomer({ ...relay, firstName: 'Mehmet', lastName: 'Demir' }, 'email')).id,
    ).toBe(mehmet.id);
    expect(requestsTo(server, /^POST .*\/customers\/$/)).toHaveLength(2);

    // The default matches by email alone, so it renames the first customer instead.
    const renamed = await omnitron.getOrCreateCustomer(
      { ...relay, firstName: 'Zeynep', lastName: 'Kaya' },
      'email',
    );
    expect(renamed.id).toBe(ayse.id);
    expect(requestsTo(server, /^PATCH .*\/customers\/\d+\/$/)).toHaveLength(1);
  });

  it('matchCustomer: the override also finds a customer whose create answer was lost', async () => {
    const { server, omnitron } = await mockRestOmnitron();
    const ayse = await omnitron.getOrCreateCustomer(relay, 'email');
    const custom = new RelayMailOmnitron(optionsFor(server));
    server.inject({ match: /^POST .*\/customers\/$/, kind: 'lost-response', times: 1 });
    const before = server.requests.length;

    const mehmet = await custom.getOrCreateCustomer(
      { ...relay, firstName: 'Mehmet', lastName: 'Demir' },
      'email',
    );

    // The re-check after the lost answer chose by name too: the default would have taken Ayşe, by email.
    expect(mehmet.id).not.toBe(ayse.id);
    expect(server.store.customers.get(mehmet.id)?.firstName).toBe('Mehmet');
    const creates = server.requests
      .slice(before)
      .filter((r) => /^POST .*\/customers\/$/.test(`${r.method} ${r.path}`));
    expect(creates.map((r) => r.outcome)).toEqual(['lost-response']);
    expect(custom.calls.map((c) => c.found.length)).toEqual([1, 2]);
  });

  it('resolveLocation: an override maps the marketplace geography, for the port and the flows', async () => {
    const { server, omnitron } = await mockRestOmnitron();
    const customer = await omnitron.getOrCreateCustomer(relay, 'email');
    const istanbul = await omnitron.getOrCreateAddress(customer, {
      ...address,
      city: 'İstanbul',
      line: 'Other 2',
    });

    await expect(omnitron.getOrCreateAddress(customer, address)).rejects.toBeInstanceOf(UnknownLocationError);
    const custom = new PlateCodeOmnitron(optionsFor(server));
    const created = await custom.getOrCreateAddress(customer, address);
    expect(created.city).toBe(istanbul.city);
    expect(created.township).toBe(istanbul.township);
    expect(server.store.addresses.get(created.id)?.city).toBe(istanbul.city);

    // The order import uses it too: an order with a plate code is created, not failed.
    const order = buildChannelOrder({
      shippingAddress: { city: '06', township: 'Çankaya', district: 'Kızılay' },
    });
    const run = (o: OmnitronRestIntegration) =>
      new OrderService({
        omnitron: o,
        channel: new ScriptedChannel({ orders: [order] }),
      }).fetchAndCreateOrder();
    expect((await run(omnitron)).counts).toMatchObject({ created: 0, failed: 1 });
    expect((await run(custom)).counts).toMatchObject({ created: 1, failed: 0 });
  });

  it('addressCreateBody: an override changes what is sent to addresses/', async () => {
    const { server, omnitron } = await mockRestOmnitron();
    const customer = await omnitron.getOrCreateCustomer(relay, 'email');
    const plain = { ...address, city: 'İstanbul' };

    const custom = new PostcodeInLineOmnitron(optionsFor(server));
    const created = await custom.getOrCreateAddress(customer, plain);
    expect(created.line).toBe('Moda Cd. 1 34710');
    expect(server.store.addresses.get(created.id)?.line).toBe('Moda Cd. 1 34710');

    const byDefault = await omnitron.getOrCreateAddress(customer, { ...plain, line: 'Bahariye Cd. 5' });
    expect(server.store.addresses.get(byDefault.id)?.line).toBe('Bahariye Cd. 5');
  });

  it('channelPath: an override routes every channel request, the re-check of a lost create included', async () => {
    const server = await createMockOmnitronServer();
    servers.push(server);
    const gateway = gatewayTo();
    const custom = new GatewayOmnitron({ ...optionsFor(server), fetch: gateway.fetch });
    server.inject({ match: /^POST .*\/create_orders\/$/, kind: 'lost-response', times: 1 });
    const order = buildChannelOrder();

    const result = await new OrderService({
      omnitron: custom,
      channel: new ScriptedChannel({ orders: [order] }),
    }).fetchAndCreateOrder();

    expect(result.counts).toMatchObject({ created: 1, failed: 0 });
    expect(server.store.orders.size).toBe(1);
    expect(gateway.bypassed).toEqual([]);
    const channelRoutes = server.requests.filter((r) => r.path.startsWith('/api/v1/channel/'));
    expect(gateway.forwarded).toHaveLength(channelRoutes.length);
    // After the lost answer, the order was looked up by number through the gateway before anything else.
    const lost = gateway.forwarded.indexOf('POST /api/v1/gateway/channel/1/create_orders/');
    expect(lost).toBeGreaterThanOrEqual(0);
    expect(gateway.forwarded[lost + 1]).toBe('GET /api/v1/gateway/channel/1/orders/');
    expect(requestsTo(server, /create_orders/).map((r) => r.outcome)).toEqual(['lost-response']);
  });
});
