import { FLOW_NAMES, type FlowName, SINGLE_ITEM_FLOWS } from '../orders/flow-names.js';
import type { OrderService } from '../orders/order-service.js';

/**
 * The flows a scheduler can run: every flow of `OrderService` but `createOrder` and `createCancel`,
 * which each handle one item the caller passes in and so have nothing to run on a schedule.
 */
export type ScheduledFlow = Exclude<FlowName, (typeof SINGLE_ITEM_FLOWS)[number]>;

/**
 * What the scheduler knows of one run, given to the flow as a second argument. It travels beside the
 * flow's options rather than in them: the flows check their options strictly, and an `OrderService` simply
 * ignores this argument, so a custom runner (or a wrapper around `OrderService`) can read it for its own
 * logs, spans or lateness figures without parsing BullMQ's job ids.
 */
export interface FlowRunContext {
  /** The channel's id, as registered. */
  readonly channelId: string;
  /** The flow being run. */
  readonly flow: ScheduledFlow;
  /** The BullMQ job id: the same for every attempt of one run, and for its re-run after a worker died. */
  readonly jobId: string;
  /**
   * When the run was due: its slot on the schedule, or when `runNow` asked for it. The run starts at or
   * after it; the difference is the run's lateness.
   */
  readonly scheduledAt: Date;
  /** Which attempt this is, from 1 (failed attempts are retried with backoff). */
  readonly attempt: number;
  /** Aborted when the run must stop (its run lock was lost); the same signal the flow gets in its options. */
  readonly signal: AbortSignal;
}

/**
 * What runs a channel's flows: an `OrderService` (or anything with the same flow methods). Each method gets
 * the schedule's options and, as a second argument, the run's {@link FlowRunContext}; `OrderService`'s
 * methods take only the options, which fits.
 */
export type FlowRunner = {
  [F in ScheduledFlow]: (
    options: Parameters<OrderService[F]>[0],
    context: FlowRunContext,
  ) => ReturnType<OrderService[F]>;
};

/** Every {@link ScheduledFlow}, at run time. */
export const SCHEDULED_FLOWS = FLOW_NAMES.filter(
  (flow): flow is ScheduledFlow => !(SINGLE_ITEM_FLOWS as readonly FlowName[]).includes(flow),
);
