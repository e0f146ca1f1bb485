/**
 * channel-app-sdk: build Akinon channel apps in TypeScript.
 *
 * @packageDocumentation
 */
export { AWAITING_REMOTE_STATUSES, canTransition, isTerminal } from './batch/batch-request-state.js';
export { BatchRequestTracker } from './batch/batch-request-tracker.js';
export * from './dto/index.js';
export * from './errors/index.js';
export {
  type AcknowledgedOrder,
  type AcknowledgeOrdersInput,
  type ChannelCallContext,
  ChannelIntegration,
  type ChannelItem,
  type ChannelOperation,
  type CheckOrdersInput,
  type CheckOrdersResult,
  type OrderToSend,
  type SendUpdatedOrdersInput,
  type SendUpdatedOrdersResult,
  type UpdateCancellationRequestInput,
  type UpdateCancellationRequestResult,
} from './integrations/channel-integration.js';
export { OmnitronIntegration } from './integrations/omnitron-integration.js';
export { InProcessKeyedLock, type KeyedLock, processKeyedLock } from './locks/keyed-lock.js';
export type { OmnitronHttpClient, Query, RequestSpec, RetryPolicy } from './omnitron/http-client.js';
export { OmnitronRestIntegration } from './omnitron/omnitron-rest-integration.js';
export { type OmnitronRestIntegrationOptions, OmnitronRestOptions } from './omnitron/rest-options.js';
export { InMemoryTokenStore, type TokenStore } from './omnitron/token-store.js';
export type { AddressCreate } from './omnitron/wire/address.js';
export {
  DEFAULT_IMPORT_CONCURRENCY,
  type FlowOptions,
  type ImportOrdersOptions,
  type UpdateCancellationRequestsOptions,
  type UpdateOrdersOptions,
} from './orders/flow-options.js';
export type {
  BatchRequestSummary,
  FlowCounts,
  FlowName,
  FlowResult,
  ItemOutcome,
  ItemStatus,
} from './orders/flow-result.js';
export { OrderService, type OrderServiceOptions } from './orders/order-service.js';
export {
  describeError,
  ErrorReporter,
  type ReportCounts,
  type ReportSubject,
} from './reporting/error-reporter.js';
export { type LogFn, type Logger, silentLogger } from './reporting/logger.js';
export { REDACTED, SecretRedactor } from './reporting/redact.js';
