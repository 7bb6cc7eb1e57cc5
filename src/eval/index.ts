/** The eval's public surface, for `permachat eval`. */
export { runEval, ERROR_LABEL, type EvalDeps, type EvalReport, type Mistake, type ModuleName, type OursRun } from './run-eval.js';
export { formatEvalTable, formatEvalMarkdown, evalSummary, type EvalSummary } from './format.js';
export { formatErrorReport } from './error-report.js';
export { readBuiltModule, builtModulePath } from './module-bytes.js';
export { accuracy, macroF1, perLabelScores, confusionMatrix, scoreAll, type Scores, type LabelScore } from './metrics.js';
export { loadSentimentSet, loadIntentSet, SENTIMENT_LABELS, INTENTS, type Intent, type SentimentLabel } from './dataset.js';
