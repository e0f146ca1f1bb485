import { type Channel, ChannelConf } from '../../dto/channel.js';
import { OmnitronResponseError } from '../../errors/omnitron-errors.js';
import { ChannelJson } from '../wire/channel.js';
import type { RestContext } from './context.js';

/** The channel and its order settings (`GET channels/{id}/`); settings that do not parse are refused. */
export async function getChannel(ctx: RestContext): Promise<Channel> {
  const path = `channels/${ctx.channelId}/`;
  const channel = await ctx.http.request('GET', path, { schema: ChannelJson });
  const conf = ChannelConf.safeParse(channel.conf ?? {});
  if (!conf.success) {
    const issues = conf.error.issues.map((i) => ({
      path: `conf.${i.path.map(String).join('.')}`,
      message: i.message,
    }));
    throw new OmnitronResponseError(
      `Channel ${ctx.channelId} has invalid order settings: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      {
        http: { method: 'GET', path },
        issues,
        retriable: false,
      },
    );
  }
  return { id: channel.pk, name: channel.name, isActive: channel.is_active, conf: conf.data };
}
