import { type Meter, type MeterProvider, metrics } from '@opentelemetry/api';

/** The instrumentation scope of every span and metric the SDK records. */
export const SCOPE = 'channel-app-sdk';

/**
 * Instruments made by `make`, made again whenever the global meter provider changes. The metrics API has
 * no proxy meter (the trace API has one): a meter taken before the app registered its provider would stay
 * a no-op. Observable gauges made here read a registry kept outside them, so a new provider's gauges see
 * what the old ones saw.
 */
export function instrumentsOf<T>(make: (meter: Meter) => T): () => T {
  let made: { provider: MeterProvider; instruments: T } | undefined;
  return () => {
    const provider = metrics.getMeterProvider();
    if (made?.provider === provider) return made.instruments;
    made = { provider, instruments: make(provider.getMeter(SCOPE)) };
    return made.instruments;
  };
}
