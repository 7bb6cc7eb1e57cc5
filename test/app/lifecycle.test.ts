import { describe, expect, it } from 'vitest';
import { createLifecycle } from '../../src/app/lifecycle.js';
import { createLogger } from '../../src/logger.js';

const quiet = () => createLogger({ level: 'error', write: () => undefined });

describe('parts started once and stopped in reverse', () => {
  it('starts a part on first use only, and gives every caller the same one', async () => {
    const lifecycle = createLifecycle(quiet());
    let starts = 0;
    const gateway = lifecycle.once(async () => ({ name: `gateway ${++starts}` }));
    const [a, b] = await Promise.all([gateway(), gateway()]);
    expect(a).toBe(b);
    expect(starts).toBe(1);
    await lifecycle.close();
  });

  it('stops the parts last started first, and a part that never started not at all', async () => {
    const lifecycle = createLifecycle(quiet());
    const stopped: string[] = [];
    const part = (name: string, uses: Array<() => Promise<string>> = []) =>
      lifecycle.once(
        async () => {
          await Promise.all(uses.map((use) => use()));
          return name;
        },
        async (started) => {
          stopped.push(started);
        },
      );
    const arweave = part('arweave 🌍');
    const memory = part('mémoire', [arweave]);
    part('модель');
    const ao = part('AO', [arweave, memory]);
    await ao();
    await lifecycle.close();
    expect(stopped).toEqual(['AO', 'mémoire', 'arweave 🌍']);
  });

  it('on close, waits for a part still starting and stops it too', async () => {
    const lifecycle = createLifecycle(quiet());
    const stopped: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = lifecycle.once(
      async () => {
        await held;
        return 'gateway';
      },
      async (name) => {
        stopped.push(name);
      },
    );
    const failing = lifecycle.once(async () => {
      throw new Error('no model at /models/qwen.gguf');
    });
    const starting = slow();
    await expect(failing()).rejects.toThrow(/no model/);
    const closed = lifecycle.close();
    release();
    await closed;
    await expect(starting).resolves.toBe('gateway');
    expect(stopped).toEqual(['gateway']);
    await expect(lifecycle.once(async () => 'late')()).rejects.toThrow(/shutting down/);
  });

  it('keeps stopping the others when one stop fails, and says so', async () => {
    const lines: string[] = [];
    const lifecycle = createLifecycle(createLogger({ level: 'warn', write: (line) => lines.push(line) }));
    const stopped: string[] = [];
    const first = lifecycle.once(async () => 'outbox', async (name) => void stopped.push(name));
    const second = lifecycle.once(async () => 'node', async () => {
      throw new Error('log flush refused by the gateway');
    });
    await first();
    await second();
    await lifecycle.close();
    expect(stopped).toEqual(['outbox']);
    expect(lines.join('\n')).toMatch(/shutdown: .*log flush refused/);
  });
});
