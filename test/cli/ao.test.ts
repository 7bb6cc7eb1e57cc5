import path from 'node:path';
import { connect, createDataItemSigner } from '@permaweb/aoconnect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateWallet } from '../../src/arweave/wallet.js';
import { writeTestModel } from '../../src/tools/test-model/test-model.js';
import { makeTmpDir, repoRoot } from '../support/tmp-dir.js';
import { runCli, type CliRun } from '../support/run-cli.js';

describe('permachat ao-node, deploy (legacy mode) and a turn through a "remote" AO network', () => {
  let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
  let stop: (signal: string) => void;
  let node: Promise<CliRun>;
  const values: Record<string, string> = {};

  beforeAll(async () => {
    tmp = await makeTmpDir('ao-cli');
    const stopSignal = new Promise<string>((resolve) => (stop = resolve));
    let ready!: () => void;
    const printed = new Promise<void>((resolve) => (ready = resolve));
    node = runCli(['ao-node'], {
      env: { DATA_DIR: path.join(tmp.dir, 'node') },
      cwd: repoRoot,
      stopSignal,
      onStdout: (text) => {
        for (const line of text.split('\n')) {
          const [key, ...rest] = line.split('=');
          if (key && rest.length) values[key] = rest.join('=');
        }
        if (values.SCHEDULER !== undefined) ready();
      },
    });
    await Promise.race([printed, node.then((run) => { throw new Error(`ao-node exited: ${run.stderr}`); })]);
  });
  afterAll(async () => {
    stop?.('SIGTERM');
    await node;
    await tmp?.remove();
  });

  it('prints the node URLs and process ids, one per line, for unmodified aoconnect', async () => {
    for (const key of ['MU_URL', 'CU_URL', 'GATEWAY_URL', 'PROCESS_UNDERSTANDING', 'PROCESS_SENTIMENT', 'PROCESS_GENERATION']) expect(values[key], key).toBeTruthy();
    expect(values.MU_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    const wallet = await loadOrCreateWallet(path.join(tmp.dir, 'client-wallet.json'));
    // Without the token the node answers nothing.
    expect((await fetch(`${values.CU_URL}/results/${values.PROCESS_UNDERSTANDING}`)).status).toBe(401);
    expect((await fetch(`${values.MU_URL}`, { method: 'POST', body: 'x' })).status).toBe(401);
    // Unmodified aoconnect, with a fetch that adds the token (a documented connect() option).
    const bearer: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${values.TOKEN}`);
      return fetch(input, { ...init, headers });
    };
    const ao = connect({ MODE: 'legacy', MU_URL: values.MU_URL, CU_URL: values.CU_URL, GATEWAY_URL: values.GATEWAY_URL, ...{ fetch: bearer } });
    const process = values.PROCESS_SENTIMENT as string;
    const sent = await ao.message({ process, signer: createDataItemSigner(wallet), tags: [{ name: 'Action', value: 'Analyze' }, { name: 'Turn-Id', value: 't' }], data: 'what a lovely day' });
    // aoconnect types a message's answer as an id or, on mainnet, { slot, id }.
    const id = typeof sent === 'string' ? sent : sent.id;
    const result = (await ao.result({ process, message: id })) as { Messages: Array<{ Data: string }> };
    expect(JSON.parse(result.Messages[0]?.Data ?? '{}')).toMatchObject({ label: 'positive' });
    const dry = (await ao.dryrun({ process, tags: [{ name: 'Action', value: 'Analyze' }, { name: 'Turn-Id', value: 't' }], data: 'what a lovely day' })) as { Messages: Array<{ Data: string }> };
    expect(dry.Messages[0]?.Data).toBe(result.Messages[0]?.Data);
  });

  it('deploys to it as a legacy network, then answers a turn through those processes', async () => {
    const walletFile = path.join(tmp.dir, 'operator-wallet.json');
    await loadOrCreateWallet(walletFile);
    const model = path.join(tmp.dir, 'tiny.gguf');
    await writeTestModel(model);
    const env = {
      DATA_DIR: path.join(tmp.dir, 'service'), MEMORY_KEY: Buffer.alloc(32, 3).toString('base64'),
      AO_MODE: 'legacy', PRIVACY: 'public',
      AO_MU_URL: values.MU_URL as string, AO_CU_URL: values.CU_URL as string, AO_GATEWAY_URL: values.GATEWAY_URL as string,
      AO_SCHEDULER: values.SCHEDULER as string, AO_AUTHORITY: values.AUTHORITY as string, AO_NODE_TOKEN: values.TOKEN as string,
      ARWEAVE_URL: values.GATEWAY_URL as string, ARWEAVE_WALLET: walletFile,
      MODEL_PATH: model, LLM_THREADS: '1', LLM_MAX_TOKENS: '8', LLM_SEQUENCES: '1', LLM_CONTEXT_SIZE: '2048',
    };
    const before = await runCli(['chat', '--message', 'hi'], { env, cwd: repoRoot });
    expect(before.code).toBe(1);
    expect(before.stderr).toMatch(/no permachat processes are recorded[\s\S]*run: permachat deploy/);

    // The embedded gateway is this machine's alone: a network could never load modules from it.
    const { ARWEAVE_URL: _gateway, ...withoutGateway } = env;
    const embedded = await runCli(['deploy'], { env: withoutGateway, cwd: repoRoot });
    expect(embedded.code).toBe(1);
    expect(embedded.stderr).toMatch(/ARWEAVE_URL: deploying to AO_MODE=legacy[\s\S]*real gateway/);

    const { AO_AUTHORITY: _authority, ...withoutAuthority } = env;
    const refused = await runCli(['deploy'], { env: withoutAuthority, cwd: repoRoot });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/AO_AUTHORITY: required[\s\S]*MU/);

    const deployed = await runCli(['deploy'], { env, cwd: repoRoot });
    expect(deployed.stderr).toBe('');
    expect(deployed.stdout).toMatch(/^NETWORK=legacy:http/m);
    const generation = /PROCESS_GENERATION=(\S+)/.exec(deployed.stdout)?.[1];
    expect(generation).toBeTruthy();

    const turn = await runCli(['chat', '--user', 'cli:remote', '--message', 'I am so happy today!', '--json'], { env, cwd: repoRoot });
    expect(turn.code).toBe(0);
    const json = JSON.parse(turn.stdout) as { sentiment: { label: string }; understanding: { intent: string }; ao: Record<string, string> };
    expect(json.sentiment.label).toBe('positive');
    expect(json.understanding.intent).toBe('share-information');
    expect(json.ao.generation).toBe(generation);
    expect(json.ao.inferenceResult).toMatch(/^[\w-]{43}$/);
  });
});
