/**
 * Test helpers for channel apps: an in-memory Omnitron, fixture builders and a scripted channel.
 *
 * @packageDocumentation
 */
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
export {
  type CancellationRecord,
  type LocationRecord,
  normalizeName,
  OmnitronStore,
  type OmnitronStoreOptions,
  type ProductRecord,
  type StoredErrorReport,
} from './omnitron-store.js';
export { allSucceeded, type ChannelScript, ScriptedChannel } from './scripted-channel.js';
export { DEFAULT_SEED, seedDefaults } from './seed.js';
