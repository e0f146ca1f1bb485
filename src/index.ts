/**
 * channel-app-sdk: build Akinon channel apps in TypeScript.
 *
 * @packageDocumentation
 * @module channel-app-sdk
 */

// Every name is listed on purpose, rather than `export *` of a folder: a helper added to a module for the
// SDK's own use must not become public API by accident. `api/channel-app-sdk.api.md` records the result
// and `npm run check:api` fails when it changes unnoticed.

export {
  Address,
  type AddressErrorReport,
  BatchRequest,
  BatchRequestObject,
  BatchRequestStatus,
  type BatchRequestTransition,
  CancellationRequest,
  type CancellationRequestCreate,
  CancellationRequestStatus,
  CancellationRequestUpdateResult,
  type CancellationRequestUpdateResultInput,
  CancellationType,
  CancellationTypes,
  CancelOrder,
  type CancelOrderInput,
  CargoCompany,
  type Channel,
  ChannelAddress,
  ChannelCancellationRequest,
  type ChannelCancellationRequestInput,
  type ChannelCancellationRequestUpdate,
  ChannelConf,
  ChannelCustomer,
  ChannelExtraField,
  ChannelOrder,
  type ChannelOrderInput,
  ChannelOrderItem,
  ChannelReport,
  ContentTypeName,
  Customer,
  type CustomerChanges,
  CustomerIdentifierField,
  DecimalString,
  ErrorReport,
  ExtraField,
  FailedReasonType,
  IntegrationAction,
  type IntegrationActionFilter,
  IsoDateTime,
  Location,
  NonNegativeDecimalString,
  OmnitronId,
  Order,
  OrderBatchResult,
  type OrderBatchResultInput,
  type OrderCancelRequest,
  type OrderCreate,
  OrderItem,
  type OrderItemCreate,
  type OrderItemPatch,
  OrderItemStatus,
  OrderItemUpdate,
  type OrderItemUpdateInput,
  OrderStatus,
  RemoteId,
  type ResolvedLocation,
  ResponseStatus,
} from './dto/index.js';
// Public while the doc comment of `ErrorSnapshot`'s constructor points users to it.
export {
  AmbiguousMappingError,
  BatchTransitionError,
  CargoCompanyNotFoundError,
  type CargoCompanyNotFoundOptions,
  ChannelAppError,
  type ChannelAppErrorOptions,
  ChannelError,
  type ChannelErrorOptions,
  ChannelInactiveError,
  CreateFateUnknownError,
  DuplicateOrderError,
  ERROR_CODES,
  type ErrorCode,
  ErrorSnapshot,
  FlowAbortedError,
  type HttpDetails,
  InvalidOptionsError,
  InvalidPayloadError,
  type LocationContext,
  type LocationKind,
  LockTimeoutError,
  type MappingLookup,
  MappingNotFoundError,
  NotSupportedError,
  OmnitronAuthError,
  OmnitronConflictError,
  OmnitronError,
  type OmnitronErrorOptions,
  OmnitronNetworkError,
  OmnitronNotFoundError,
  OmnitronResponseError,
  OmnitronServerError,
  OmnitronValidationError,
  OrderMismatchError,
  type PayloadIssue,
  type PayloadSource,
  ProductNotFoundError,
  ReasonNotMappedError,
  RemoteRejectedError,
  snapshotError,
  UnexpectedError,
  UnknownLocationError,
  VolatileRedisError,
} from './errors/index.js';
export { type LogFn, type Logger, silentLogger } from './foundation/logger.js';
// Public because `ChannelError`, `UnexpectedError` and the scheduler's `summarize` take one.
export { SecretRedactor } from './foundation/redact.js';
export {
  type AcknowledgedItem,
  type AcknowledgedOrder,
  type AcknowledgeItemsInput,
  type AcknowledgeOrdersInput,
  type ChannelCallContext,
  ChannelIntegration,
  type ChannelItem,
  type ChannelOperation,
  type CheckOrdersInput,
  type CheckOrdersResult,
  type ItemAcknowledgement,
  type ListOrdersInput,
  type OrderToSend,
  type RejectedItem,
  type SendUpdatedOrdersInput,
  type SendUpdatedOrdersResult,
  type UpdateCancellationRequestInput,
  type UpdateCancellationRequestResult,
} from './integrations/channel-integration.js';
export { type CreateOptions, OmnitronIntegration } from './integrations/omnitron-integration.js';
export {
  InProcessKeyedLock,
  type KeyedLock,
  type LockLease,
  processKeyedLock,
  TRACKED_KEY_MEMORY,
  type WithLockOptions,
} from './locks/keyed-lock.js';
export { OmnitronRestIntegration } from './omnitron/omnitron-rest-integration.js';
export {
  type CheckedRestOptions,
  type OmnitronRestIntegrationOptions,
  OmnitronRestOptions,
  type RestRetryOptions,
} from './omnitron/rest-options.js';
export { InMemoryTokenStore, type TokenStore } from './omnitron/token-store.js';
export type { AddressCreate } from './omnitron/wire/address.js';
// `FlowName` and `ScheduledFlow` are derived from these lists, so they are named in the public types.
export { FLOW_NAMES, type FlowName, SINGLE_ITEM_FLOWS } from './orders/flow-names.js';
export {
  DEFAULT_IMPORT_CONCURRENCY,
  type FlowOptions,
  type ImportOrdersOptions,
  type ReconcileOrdersOptions,
  type StreamFlowOptions,
  type UpdateCancellationRequestsOptions,
  type UpdateOrdersOptions,
} from './orders/flow-options.js';
export type {
  BatchRequestSummary,
  FlowCounts,
  FlowResult,
  ItemOutcome,
  ItemStatus,
} from './orders/flow-result.js';
export { OrderService } from './orders/order-service.js';
export type { ReconcileCounts, ReconcileOrdersResult } from './orders/reconcile/reconcile-result.js';
export type { OrderServiceOptions } from './orders/service-options.js';
export type { ReportCounts } from './reporting/error-reporter.js';
