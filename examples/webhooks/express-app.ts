/**
 * The webhook guide's Express mounting code (docs/webhooks.md shows the lines between the region marks):
 * an Express request is a node:http request, so node:http's two bridge functions serve.
 */
import type { WebhookHandler } from 'channel-app-sdk/webhooks';
import express, { type Express } from 'express';
import { toFetchRequest, writeFetchResponse } from './node-http.js';

/** An Express app with the handler on `/webhooks/acme` for every method, ahead of any body parser. */
export function expressWebhookApp(handle: WebhookHandler): Express {
  // #region express
  const app = express();
  app.all('/webhooks/acme', async (req, res, next) => {
    try {
      await writeFetchResponse(res, await handle(toFetchRequest(req)));
    } catch (error) {
      next(error);
    }
  });
  app.use(express.json()); // the app's other routes
  // #endregion
  return app;
}
