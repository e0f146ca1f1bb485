import type { z } from 'zod';
import { brandClass } from './brand.js';
import { ChannelAppError } from './channel-app-error.js';

/**
 * Options given to an SDK class or flow are missing or wrong; the message names each option.
 *
 * @group Errors
 */
export class InvalidOptionsError extends ChannelAppError {
  static {
    brandClass(InvalidOptionsError, 'InvalidOptionsError');
  }

  /** The class or function whose options were rejected. */
  readonly target: string;
  /** One line per problem, `option: message`. */
  readonly problems: string[];

  constructor(target: string, problems: string[], cause?: unknown) {
    super('INVALID_OPTIONS', `Invalid options for ${target}: ${problems.join('; ')}`, { cause });
    this.target = target;
    this.problems = problems;
  }

  /** Builds the error from a zod validation failure of an options object. */
  static fromZod(target: string, error: z.ZodError): InvalidOptionsError {
    const problems = error.issues.map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    });
    return new InvalidOptionsError(target, problems, error);
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), target: this.target, problems: this.problems };
  }
}
