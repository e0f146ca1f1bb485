import type { ChannelOrder } from '../../dto/channel-order.js';
import type { OrderCreate } from '../../dto/order.js';
import { OrderStatus } from '../../dto/order-status.js';

/** The Omnitron ids an order's references resolved to. */
export interface ResolvedOrderIds {
  customer: number;
  shippingAddress: number;
  billingAddress: number;
  cargoCompany: number;
  /** Omnitron product id per marketplace product id; complete for the order's items. */
  products: ReadonlyMap<string, number>;
}

/**
 * Maps a validated marketplace order to Omnitron's create-order payload. `extra_field.id` always carries the
 * marketplace's id (of the order, of each line) because later flows find the order through it. A line of
 * quantity `n` becomes `n` order items, as Omnitron keeps one item per unit.
 */
export function toOrderCreate(order: ChannelOrder, ids: ResolvedOrderIds): OrderCreate {
  return {
    number: order.number,
    status: order.status ?? OrderStatus.approved,
    customer: ids.customer,
    shippingAddress: ids.shippingAddress,
    billingAddress: ids.billingAddress,
    cargoCompany: ids.cargoCompany,
    // Omnitron keeps currency codes in lower case (`try`).
    currency: order.currency.toLowerCase(),
    amount: order.amount,
    shippingAmount: order.shippingAmount,
    shippingTaxRate: order.shippingTaxRate,
    discountAmount: order.discountAmount ?? '0',
    netShippingAmount: order.netShippingAmount ?? order.shippingAmount,
    datePlaced: order.createdAt,
    deliveryType: order.deliveryType,
    trackingNumber: order.trackingNumber,
    carrierShippingCode: order.carrierShippingCode,
    hasGiftBox: order.hasGiftBox ?? false,
    giftBoxNote: order.giftBoxNote ?? '',
    notes: order.notes ?? '',
    shippingOptionSlug: order.shippingOptionSlug ?? '',
    languageCode: order.languageCode ?? '',
    clientType: order.clientType ?? 'default',
    remoteAddr: order.remoteAddr,
    extraField: { ...order.extraField, id: order.remoteId },
    items: order.items.flatMap((item) => {
      const unit = {
        product: ids.products.get(item.product) as number,
        status: item.status ?? OrderStatus.approved,
        price: item.price,
        retailPrice: item.retailPrice ?? item.price,
        priceCurrency: (item.priceCurrency ?? order.currency).toLowerCase(),
        taxRate: item.taxRate,
        discountAmount: item.discountAmount ?? '0',
        priceList: item.priceList,
        stockList: item.stockList,
        trackingNumber: item.trackingNumber,
        carrierShippingCode: item.carrierShippingCode,
        estimatedDeliveryDate: item.estimatedDeliveryDate,
        attributes: item.attributes ?? {},
        extraField: { ...item.extraField, id: item.remoteId },
      };
      return Array.from({ length: item.quantity }, () => ({ ...unit, extraField: { ...unit.extraField } }));
    }),
  };
}
