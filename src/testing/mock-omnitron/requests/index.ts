/*
 * The request bodies the mock Omnitron accepts, one file per resource; ./shared.ts says how they are written
 * and why they stay independent of the SDK's encoders.
 */
export { AddressCreateBody } from './addresses.js';
export { BatchRequestCreateBody, BatchRequestPatchBody } from './batch-requests.js';
export { CancellationRequestCreateBody, OrderCancelBody } from './cancellations.js';
export { CustomerCreateBody, CustomerPatchBody } from './customers.js';
export { AddressErrorReportBody, errorReportBody } from './error-reports.js';
export { CreateOrdersBody, OrderItemPatchBody } from './orders.js';
