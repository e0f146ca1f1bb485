export {
  ChannelAppError,
  type ChannelAppErrorOptions,
  type HttpDetails,
  toChannelAppError,
} from './channel-app-error.js';
export {
  ChannelError,
  type ChannelErrorOptions,
  InvalidPayloadError,
  NotSupportedError,
  type PayloadIssue,
  type PayloadSource,
  RemoteRejectedError,
} from './channel-errors.js';
export { ERROR_CODES, type ErrorCode } from './error-code.js';
export { ErrorSnapshot, snapshotError } from './error-snapshot.js';
export {
  AmbiguousMappingError,
  CargoCompanyNotFoundError,
  type LocationContext,
  type LocationKind,
  type MappingLookup,
  MappingNotFoundError,
  ProductNotFoundError,
  ReasonNotMappedError,
  UnknownLocationError,
} from './lookup-errors.js';
export {
  BATCH_TRANSITION_REJECTED_CODE,
  BatchTransitionError,
  CreateFateUnknownError,
  DuplicateOrderError,
  OmnitronAuthError,
  OmnitronConflictError,
  OmnitronError,
  type OmnitronErrorOptions,
  OmnitronNetworkError,
  OmnitronNotFoundError,
  OmnitronResponseError,
  OmnitronServerError,
  OmnitronValidationError,
} from './omnitron-errors.js';
export {
  ChannelInactiveError,
  FlowAbortedError,
  InvalidOptionsError,
  LockTimeoutError,
  UnexpectedError,
  VolatileRedisError,
} from './run-errors.js';
