import { z } from 'zod';
import type { CancellationRequestCreate, OrderCancelRequest } from '../../../dto/cancellation.js';
import { decimal, nullableText, pk, text } from './shared.js';

/** `POST orders/{pk}/cancel/`: the reference's cancel fields (`forced_refund_amount` is an amount). */
export const OrderCancelBody = z
  .strictObject({
    order: pk,
    cancel_items: z.array(pk),
    reasons: z.record(z.string().regex(/^\d+$/), pk),
    forced_refund_amount: decimal.nullable().optional(),
    is_all: z.boolean().optional(),
    is_cargo_refund: z.boolean().optional(),
    refund_invoice_number: nullableText.optional(),
    ibans: z.record(z.string(), z.string()).optional(),
    holder_names: z.record(z.string(), z.string()).optional(),
  })
  .transform((b): OrderCancelRequest & { order: number } => ({
    order: b.order,
    cancelItems: b.cancel_items,
    reasons: Object.fromEntries(Object.entries(b.reasons).map(([item, reason]) => [Number(item), reason])),
    isCargoRefund: b.is_cargo_refund ?? false,
    ...(b.forced_refund_amount != null ? { forcedRefundAmount: b.forced_refund_amount } : {}),
    ...(b.refund_invoice_number != null ? { refundInvoiceNumber: b.refund_invoice_number } : {}),
  }));

/**
 * `POST cancellation_requests/`: `order_item`, `reason` and `cancellation_type` are required. `remote_id` is
 * not in the reference's schema, but the Python client sent it and the duplicate check needs it.
 */
export const CancellationRequestCreateBody = z
  .strictObject({
    order_item: pk,
    reason: pk,
    cancellation_type: z.enum(['cancel', 'refund']),
    remote_id: z.string().min(1).max(255),
    description: nullableText.optional(),
    status: text.optional(),
    iban: nullableText.optional(),
    holder_name: nullableText.optional(),
    quantity: z.number().int().min(1).nullable().optional(),
    fully_refund_as_loyalty_money: z.boolean().optional(),
  })
  .transform(
    (r): CancellationRequestCreate => ({
      orderItem: r.order_item,
      reason: r.reason,
      cancellationType: r.cancellation_type,
      remoteId: r.remote_id,
      description: r.description ?? '',
    }),
  );
