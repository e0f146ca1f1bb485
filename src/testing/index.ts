/**
 * Test helpers for channel apps: an in-memory Omnitron, fixture builders and a scripted channel.
 *
 * @packageDocumentation
 * @module channel-app-sdk/testing
 */

// Types the testing helpers' signatures name, so their pages link without a trip to the main entry.
export type { BatchRequestStatus } from '../dto/batch-request.js';
export type { ChannelAppError } from '../errors/channel-app-error.js';
export type { AddressCreate } from '../omnitron/wire/address.js';
export {
  CHANNEL_CONFORMANCE_CHECKS,
  type ChannelProbe,
  type ConformanceCheck,
  describeChannelIntegration,
  runConformanceCheck,
} from './conformance.js';
export {
  buildCancellationRequest,
  buildCancelOrder,
  buildChannelAddress,
  buildChannelOrder,
  buildOrderItemUpdate,
  type DeepPartial,
} from './fixtures.js';
export {
  InMemoryOmnitron,
  type InMemoryOmnitronOptions,
  type OmnitronOperation,
} from './in-memory-omnitron.js';
export type { MockBehaviourCounts, UndocumentedFilterMode } from './mock-omnitron/behaviour.js';
export { type FaultKind, FaultPlan, type FaultRule } from './mock-omnitron/faults.js';
export {
  createMockOmnitronServer,
  type MockCredentials,
  type MockOmnitronServer,
  type MockOmnitronServerOptions,
  type RecordedRequest,
} from './mock-omnitron/server.js';
export {
  type CancellationRecord,
  CONTENT_TYPE_IDS,
  type LocationFilter,
  type LocationRecord,
  normalizeName,
  OmnitronStore,
  type OmnitronStoreOptions,
  type ProductRecord,
  type StoreCatalog,
  type StoreChannel,
  type StoredErrorReport,
} from './omnitron-store.js';
export { allSucceeded, type ChannelScript, ScriptedChannel } from './scripted-channel.js';
export {
  DEFAULT_SEED,
  type SeedCargoCompany,
  type SeedCountry,
  type SeedData,
  seedDefaults,
} from './seed.js';
