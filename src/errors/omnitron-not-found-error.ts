import { OmnitronError, type OmnitronErrorOptions } from './omnitron-error.js';

/** Omnitron has no such object (HTTP 404). */
export class OmnitronNotFoundError extends OmnitronError {
  constructor(message: string, options: OmnitronErrorOptions = {}) {
    super(message, { ...options, code: 'OMNITRON_NOT_FOUND', retriable: false });
  }
}
