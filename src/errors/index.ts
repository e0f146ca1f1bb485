export { AmbiguousMappingError } from './ambiguous-mapping-error.js';
export { BATCH_TRANSITION_REJECTED_CODE, BatchTransitionError } from './batch-transition-error.js';
export {
  CargoCompanyNotFoundError,
  type CargoCompanyNotFoundOptions,
} from './cargo-company-not-found-error.js';
export {
  ChannelAppError,
  type ChannelAppErrorOptions,
  type ErrorCode,
  type HttpDetails,
  toChannelAppError,
} from './channel-app-error.js';
export { ChannelError, type ChannelErrorOptions } from './channel-error.js';
export { ChannelInactiveError } from './channel-inactive-error.js';
export { CreateFateUnknownError } from './create-fate-unknown-error.js';
export { DuplicateOrderError } from './duplicate-order-error.js';
export { ErrorSnapshot, snapshotError } from './error-snapshot.js';
export { FlowAbortedError } from './flow-aborted-error.js';
export { InvalidOptionsError } from './invalid-options-error.js';
export { InvalidPayloadError, type PayloadIssue, type PayloadSource } from './invalid-payload-error.js';
export { LockTimeoutError } from './lock-timeout-error.js';
export { type MappingLookup, MappingNotFoundError } from './mapping-not-found-error.js';
export { NotSupportedError } from './not-supported-error.js';
export { OmnitronAuthError } from './omnitron-auth-error.js';
export { OmnitronConflictError } from './omnitron-conflict-error.js';
export { OmnitronError, type OmnitronErrorOptions } from './omnitron-error.js';
export { OmnitronNetworkError } from './omnitron-network-error.js';
export { OmnitronNotFoundError } from './omnitron-not-found-error.js';
export { OmnitronResponseError } from './omnitron-response-error.js';
export { OmnitronServerError } from './omnitron-server-error.js';
export { OmnitronValidationError } from './omnitron-validation-error.js';
export { OrderMismatchError } from './order-mismatch-error.js';
export { ProductNotFoundError } from './product-not-found-error.js';
export { ReasonNotMappedError } from './reason-not-mapped-error.js';
export { RemoteRejectedError } from './remote-rejected-error.js';
export { UnexpectedError } from './unexpected-error.js';
export { type LocationContext, type LocationKind, UnknownLocationError } from './unknown-location-error.js';
export { VolatileRedisError } from './volatile-redis-error.js';
