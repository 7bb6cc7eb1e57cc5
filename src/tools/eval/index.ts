/** The eval's public surface, for `permachat eval`. */
export { runEval, runLabelledSets, ERROR_LABEL, type DatasetRef, type EvalDeps, type EvalReport, type Mistake, type AnalysisModule, type OursRun } from './run-eval.js';
export { formatEvalTable, formatEvalMarkdown, formatLabelledTable, evalSummary, labelledSummary, type EvalSummary } from './format.js';
export { loadLabelledTsv, parseLabelledTsv, type LabelledRow, type LabelledSet } from './labelled-tsv.js';
export type { LabelledSetResult, SentimentSystem } from './labelled-set-eval.js';
export { formatErrorReport } from './error-report.js';
export { accuracy, macroF1, perLabelScores, confusionMatrix, scoreAll, type Scores, type LabelScore } from './metrics.js';
export { loadSentimentSet, loadIntentSet, SENTIMENT_LABELS, INTENTS, type Intent, type SentimentLabel } from './dataset.js';
