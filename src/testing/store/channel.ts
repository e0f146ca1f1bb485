import { type Channel, ChannelConf } from '../../dto/channel.js';
import type { ContentTypeName } from '../../dto/common.js';
import { InvalidPayloadError } from '../../errors/channel-errors.js';

/** The channel as the store keeps it. */
export interface StoreChannel {
  /** Display name. */
  name: string;
  /** Whether flows run for it. */
  isActive: boolean;
  /** Its `conf` JSON, as Omnitron holds it. */
  conf: Record<string, unknown>;
}

/** The catalog as the store keeps it. */
export interface StoreCatalog {
  /** Omnitron id. */
  id: number;
  /** Default price list of new order items. */
  priceList: number;
  /** Default stock list of new order items. */
  stockList: number;
}

/** Omnitron's content type ids for the models the flows use (fixed, like a real installation's). */
export const CONTENT_TYPE_IDS: Readonly<Record<ContentTypeName, number>> = {
  order: 11,
  orderitem: 12,
  cancellationrequest: 13,
  batchrequest: 14,
  channel: 15,
  product: 16,
  integrationaction: 17,
};

/** The channel with its parsed order settings; a `conf` Omnitron would not hold is an `InvalidPayloadError`. */
export function parseChannel(channelId: number, channel: StoreChannel): Channel {
  const conf = ChannelConf.safeParse(channel.conf);
  if (!conf.success) throw InvalidPayloadError.fromZod('omnitron', `channel ${channelId} conf`, conf.error);
  return { id: channelId, name: channel.name, isActive: channel.isActive, conf: conf.data };
}
