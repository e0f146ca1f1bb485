import { z } from 'zod';
import { withPk } from './common.js';

/** A channel on the wire; `conf` is parsed by `ChannelConf` separately so its errors name the channel. */
export const ChannelJson = withPk({
  name: z.string().optional().default(''),
  is_active: z.boolean(),
  conf: z.record(z.string(), z.unknown()).nullable().optional(),
});

/** A catalog on the wire: the default price and stock lists of new order items. */
export const CatalogJson = withPk({
  price_list: z.number().int().nullable().optional(),
  stock_list: z.number().int().nullable().optional(),
});
