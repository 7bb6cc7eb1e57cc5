/** Picks the inference adapter from configuration: an HTTP server when LLM_BASE_URL is set, else node-llama-cpp. */
import type { Config } from '../config/config.js';
import { dataPaths } from '../config/paths.js';
import type { Logger } from '../logger.js';
import { createLlamaCppModel } from './llama-cpp.js';
import { resolveModelPath } from './model-source.js';
import { createOpenAiModel } from './openai-http.js';
import type { LanguageModel } from './types.js';

export type InferenceConfig = Pick<
  Config,
  'LLM_BASE_URL' | 'LLM_MODEL' | 'LLM_API_KEY' | 'MODEL_PATH' | 'MODEL_URI' | 'LLM_GPU' | 'LLM_THREADS' | 'LLM_CONTEXT_SIZE' | 'LLM_SEQUENCES' | 'dataDir'
>;

export async function createLanguageModel(config: InferenceConfig, logger: Logger): Promise<LanguageModel> {
  if (config.LLM_BASE_URL) {
    return createOpenAiModel({ baseUrl: config.LLM_BASE_URL, model: config.LLM_MODEL, ...(config.LLM_API_KEY ? { apiKey: config.LLM_API_KEY } : {}) });
  }
  const modelPath = await resolveModelPath({
    ...(config.MODEL_PATH ? { modelPath: config.MODEL_PATH } : {}),
    modelUri: config.MODEL_URI,
    modelsDir: dataPaths(config.dataDir).models,
    log: (line) => logger.info(line),
  });
  return createLlamaCppModel({
    modelPath,
    gpu: config.LLM_GPU,
    threads: config.LLM_THREADS,
    contextSize: config.LLM_CONTEXT_SIZE,
    sequences: config.LLM_SEQUENCES,
    logger: (line) => logger.debug(line),
  });
}
