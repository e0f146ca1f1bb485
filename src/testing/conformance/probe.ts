import type { ChannelIntegration } from '../../integrations/channel-integration.js';
import type { InMemoryOmnitron } from '../in-memory-omnitron.js';

/**
 * How the conformance suite looks at a team's marketplace (a test double or a sandbox). Each test calls
 * `setup` first and `teardown` last, then builds a fresh channel with the factory.
 */
export interface ChannelProbe {
  /** Starts or resets the marketplace so it offers its test orders as new. */
  setup?(): Promise<void> | void;
  /** Stops what `setup` started. */
  teardown?(): Promise<void> | void;
  /** Remote ids of the orders the marketplace offers as new right now. */
  pendingOrderIds(): Promise<string[]> | string[];
  /** Remote ids of the orders acknowledged on the marketplace so far (empty if it has no acknowledgement). */
  acknowledgedOrderIds(): Promise<string[]> | string[];
  /** Remote ids of test orders that are invalid on purpose; every other order must pass validation. */
  invalidOrderIds?: string[];
  /** Adds to the in-memory Omnitron what the marketplace's orders refer to: product mappings, cities, cargo companies. */
  prepareOmnitron?(omnitron: InMemoryOmnitron): Promise<void> | void;
  /**
   * The window `listOrders` is asked for (default: the two days up to a minute from now). Set it when the
   * marketplace's test orders were placed earlier; the pending orders must be placed within it.
   */
  listWindow?: {
    /** The start of the window (inclusive). */
    since: Date;
    /** The end of the window (exclusive). */
    until: Date;
  };
  /**
   * Names the `describe` block {@link describeChannelIntegration} registers, so that two adapters tested in
   * one file can be told apart in the test report. Default: `ChannelIntegration conformance`.
   */
  title?: string;
  /**
   * The marketplace data behind the optional streams, one function per stream. The suite calls it after
   * `setup`, then reads the stream: the function puts the stream's data on your marketplace (or leaves what
   * `setup` put there) and returns the ids the stream must yield, each once. Every item the stream yields is
   * validated against the SDK's schema for it, whether or not you supply data here; supplying it makes sure
   * the stream is read with something in it. Supplying data for a stream the adapter does not override fails
   * the check, as a misspelt method name would otherwise pass unnoticed.
   */
  streams?: {
    /**
     * Puts cancelled orders on the marketplace; returns the marketplace ids of the orders they cancel
     * (`CancelOrder.order`), one per cancellation that `getCancelledOrders` must yield.
     */
    getCancelledOrders?(): Promise<string[]> | string[];
    /**
     * Puts changed order lines on the marketplace; returns their marketplace line ids
     * (`OrderItemUpdate.remoteId`), one per update that `getUpdatedOrderItems` must yield.
     */
    getUpdatedOrderItems?(): Promise<string[]> | string[];
    /**
     * Puts cancellation or return requests on the marketplace; returns their marketplace ids
     * (`ChannelCancellationRequest.remoteId`), one per request that `getCancellationRequests` must yield.
     * Requests on lines of orders the marketplace offers as new are also imported into the in-memory
     * Omnitron and sent back, approved, through `updateCancellationRequest`, whose answers are validated.
     */
    getCancellationRequests?(): Promise<string[]> | string[];
  };
}

/** One check of the channel contract. */
export interface ConformanceCheck {
  /** What the check asserts, as the test's name. */
  title: string;
  /** Throws (an assertion error) when the channel breaks the contract. */
  run: (channel: ChannelIntegration, probe: ChannelProbe) => Promise<void>;
}
