import {
  type AcknowledgeOrdersInput,
  type ChannelCallContext,
  ChannelIntegration,
  type SendUpdatedOrdersInput,
  type SendUpdatedOrdersResult,
} from 'channel-app-sdk';
import type { AcmeApi } from './acme-api.js';

/** A complete order-side adapter for the Acme marketplace: the README's quick start. */
export class AcmeChannel extends ChannelIntegration {
  constructor(private readonly api: AcmeApi) {
    super();
  }

  async *getOrders({ signal }: ChannelCallContext) {
    for await (const o of this.api.newOrders(signal)) {
      const name = { firstName: o.buyer.name, lastName: o.buyer.surname };
      const address = {
        ...name,
        country: 'TR',
        city: o.address.city,
        township: o.address.town,
        line: o.address.line,
      };
      yield {
        data: {
          remoteId: o.id,
          number: o.id,
          customer: { ...name, email: o.buyer.email },
          shippingAddress: address,
          billingAddress: address,
          currency: 'TRY',
          amount: o.total,
          shippingAmount: '0',
          shippingTaxRate: '20',
          cargoCompany: o.cargo,
          createdAt: o.placedAt,
          items: o.lines.map((l) => ({
            remoteId: l.id,
            product: l.sku,
            price: l.price,
            taxRate: '20',
            quantity: l.qty,
          })),
        },
      };
    }
  }

  override async acknowledgeOrders({ orders, signal }: AcknowledgeOrdersInput) {
    await this.api.confirm(
      orders.map((o) => o.remoteId),
      signal,
    );
  }

  async sendUpdatedOrders({ orders, signal }: SendUpdatedOrdersInput): Promise<SendUpdatedOrdersResult> {
    const updates = orders.map(({ order, remoteId }) => ({
      orderId: remoteId ?? order.number,
      status: order.status,
    }));
    const answers = await this.api.pushStatus(updates, signal);
    return {
      status: 'done',
      results: answers.map((a) => ({
        number: a.orderId,
        status: a.ok ? 'SUCCESS' : 'FAIL',
        message: a.error ?? '',
      })),
    };
  }
}
