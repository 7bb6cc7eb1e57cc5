/** What one run of our modules over a set produced (shared by the eval runners and reports). */

/** The label given when a call failed, so a failure counts as wrong, never as skipped. */
export const ERROR_LABEL = '(error)';

/** An example our module got wrong (or could not answer: predicted is "(error)"). */
export interface Mistake {
  text: string;
  gold: string;
  predicted: string;
  tags: string[];
}

export interface OursRun {
  /** Mean wall time of one Analyze call through the loader, in milliseconds. */
  msPerMessage: number;
  messages: number;
  /** Calls that failed (trap, error, no Analyzed reply, bad JSON); the first reason is kept. */
  failures: number;
  firstFailure?: string;
  mistakes: Mistake[];
  /** sha256 (hex) of the module bytes evaluated, so a report names the build it measured. */
  moduleSha256: string;
  /** How many examples of each category (tag) were run: the denominators for the error report. */
  categories: Record<string, number>;
}
