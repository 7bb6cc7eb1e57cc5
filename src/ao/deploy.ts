/**
 * Spawning the three processes and remembering their ids. The same code deploys to the
 * embedded node and to a public AO network; ids are recorded per network in DATA_DIR so the
 * next `npm start` reuses them (local state: if lost, processes are spawned again).
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { dataPaths } from '../config/paths.js';
import { UnavailableError } from '../errors.js';
import type { PipelineProcesses } from './pipeline.js';

export interface Spawner {
  spawn(input: { module: string; scheduler: string; tags: Array<{ name: string; value: string }>; data?: string }): Promise<string>;
}

export interface ModuleIds {
  understanding: string;
  sentiment: string;
  generation: string;
}

const deploymentSchema = z.object({
  network: z.string(),
  modules: z.object({ understanding: z.string(), sentiment: z.string(), generation: z.string() }),
  processes: z.object({ understanding: z.string(), sentiment: z.string(), generation: z.string() }),
  worker: z.string(),
  scheduler: z.string(),
  /** Absent in records written before processes carried an Authority tag: those are spawned again. */
  authority: z.string().optional(),
  createdAt: z.string(),
});
export type Deployment = z.infer<typeof deploymentSchema>;

const registryFile = (dataDir: string) => dataPaths(dataDir).aoDeployments;

export async function spawnProcesses(deps: {
  spawner: Spawner;
  modules: ModuleIds;
  scheduler: string;
  /** Address that signs the turn's messages: its Analyze may name Reply-To, its Inference-Result is accepted. */
  worker: string;
  /** Address of the messenger unit that pushes messages between processes (the embedded node's own). */
  authority: string;
  appName?: string;
}): Promise<PipelineProcesses> {
  const common = [
    { name: 'App-Name', value: deps.appName ?? 'permachat' },
    // Whose signature vouches for a From-Process tag (see ao-processes/lib/trust.ts).
    { name: 'Authority', value: deps.authority },
    { name: 'Inference-Worker', value: deps.worker },
  ];
  const [understanding, sentiment] = await Promise.all([
    deps.spawner.spawn({ module: deps.modules.understanding, scheduler: deps.scheduler, tags: [...common, { name: 'Name', value: 'permachat-understanding' }] }),
    deps.spawner.spawn({ module: deps.modules.sentiment, scheduler: deps.scheduler, tags: [...common, { name: 'Name', value: 'permachat-sentiment' }] }),
  ]);
  const generation = await deps.spawner.spawn({
    module: deps.modules.generation,
    scheduler: deps.scheduler,
    tags: [
      ...common,
      { name: 'Name', value: 'permachat-generation' },
      { name: 'Understanding-Process', value: understanding },
      { name: 'Sentiment-Process', value: sentiment },
      { name: 'Bot', value: deps.worker },
    ],
  });
  return { understanding, sentiment, generation };
}

export interface IndexWait {
  /** The ids among these that the gateway's GraphQL returns now. */
  find(ids: string[]): Promise<Set<string>>;
  ids: string[];
  timeoutMs: number;
  pollMs: number;
  /** Told which ids are still missing, each time it looks again. */
  onWait?: (missing: string[], waitedMs: number) => void;
}

/**
 * Waits until a gateway indexes every id. aoconnect's spawn looks its module up by GraphQL, and a
 * real gateway lists a new transaction only once it is mined (minutes): spawning before that
 * fails with "module not found".
 */
export async function waitUntilIndexed(wait: IndexWait): Promise<void> {
  const started = Date.now();
  for (;;) {
    const found = await wait.find(wait.ids).catch(() => new Set<string>());
    const missing = wait.ids.filter((id) => !found.has(id));
    if (missing.length === 0) return;
    const waited = Date.now() - started;
    if (waited >= wait.timeoutMs) {
      throw new UnavailableError(`the gateway has not indexed ${missing.join(', ')} after ${Math.round(waited / 1000)} s`, {
        hint: 'a new transaction is listed once it is mined: run permachat deploy again later (published modules are found by their hash, not published twice), or give --index-timeout more seconds',
      });
    }
    wait.onWait?.(missing, waited);
    await new Promise((resolve) => setTimeout(resolve, Math.min(wait.pollMs, wait.timeoutMs - waited)));
  }
}

export async function readDeployments(dataDir: string): Promise<Deployment[]> {
  let text: string;
  try {
    text = await readFile(registryFile(dataDir), 'utf8');
  } catch {
    return [];
  }
  const parsed = z.array(deploymentSchema).safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : [];
}

/** The recorded deployment for this network, module set and worker, if any. */
export async function findDeployment(dataDir: string, match: { network: string; modules: ModuleIds; worker: string; authority: string }): Promise<Deployment | undefined> {
  const all = await readDeployments(dataDir);
  return all.find(
    (d) =>
      d.network === match.network &&
      d.worker === match.worker &&
      d.authority === match.authority &&
      d.modules.understanding === match.modules.understanding &&
      d.modules.sentiment === match.modules.sentiment &&
      d.modules.generation === match.modules.generation,
  );
}

export async function recordDeployment(dataDir: string, deployment: Deployment): Promise<void> {
  const others = (await readDeployments(dataDir)).filter((d) => d.network !== deployment.network);
  await mkdir(dataDir, { recursive: true });
  // Process ids link this operator to their processes: not for other users of the machine.
  await writeFile(registryFile(dataDir), `${JSON.stringify([...others, deployment], null, 2)}\n`, { mode: 0o600 });
  await chmod(registryFile(dataDir), 0o600);
}
