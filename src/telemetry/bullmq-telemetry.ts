import type { Telemetry } from 'bullmq';
import { z } from 'zod';

/**
 * The `telemetry` option of the intake: BullMQ's own OpenTelemetry support (an instance of `BullMQOtel`
 * from the `bullmq-otel` package), handed to BullMQ's queue or worker as it is. BullMQ then traces its own
 * work (adding a job, taking it, retries, moves between states); the SDK's spans of the webhook call, the
 * job's outcome and the flow go on as before, the job's span becoming a child of BullMQ's.
 */
export const BullmqTelemetrySchema = z.custom<Telemetry>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as Telemetry).tracer === 'object' &&
    typeof (v as Telemetry).contextManager === 'object',
  { message: "must be BullMQ's Telemetry (such as new BullMQOtel('my-app') from bullmq-otel)" },
);
