import type { ChannelCustomer, Customer, CustomerIdentifierField } from '../../dto/customer.js';

/**
 * The adapter's extension points that apply inside a resource's own steps: the path of every request
 * under the channel, and the customer match of a look-up and of a create's re-check. `OmnitronRestIntegration`
 * builds this once from its protected methods of the same names, so a subclass's override applies. They are
 * the only code of the adapter class a resource runs: its look-ups, re-checks and fallbacks call other
 * resources directly, never the adapter's port methods.
 */
export interface RestHooks {
  /** A path under the channel (`channel/<id>/<path>` by default). */
  channelPath(path: string): string;
  /** Which of the customers a look-up answered the incoming one is, or `null` for none. */
  matchCustomer(
    found: readonly Customer[],
    incoming: ChannelCustomer,
    identifierField: CustomerIdentifierField,
  ): Customer | null;
}
