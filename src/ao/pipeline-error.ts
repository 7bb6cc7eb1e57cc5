import { PermachatError } from '../errors.js';

/** The AO turn pipeline did not get the answer it waited for. */
export class AoPipelineError extends PermachatError {
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('AO_PIPELINE', message, options);
  }
}
