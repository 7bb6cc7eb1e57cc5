/** Shared setup for the AO node tests: arlocal, wallets, an AES-GCM test cipher, the node. */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import path from 'node:path';
import { startArlocal, type LocalArweave } from '../../src/arweave/arlocal.js';
import { createArweaveClient, type ArweaveClient } from '../../src/arweave/client.js';
import { loadOrCreateWallet, type JWKInterface } from '../../src/arweave/wallet.js';
import { startAoNode, type StartedAoNode } from '../../src/ao/node/start-node.js';
import type { EvalTiming } from '../../src/ao/node/ao-node.js';
import type { Cipher } from '../../src/cipher.js';
import type { Logger } from '../../src/logger.js';
import { makeTmpDir } from '../support/tmp-dir.js';

/** Test-only cipher (the real one is libsodium, injected by the app). */
export function testCipher(key = randomBytes(32)): Cipher {
  return {
    encrypt(bytes) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(bytes), cipher.final()]);
      return new Uint8Array(Buffer.concat([iv, cipher.getAuthTag(), body]));
    },
    decrypt(bytes) {
      const buffer = Buffer.from(bytes);
      const decipher = createDecipheriv('aes-256-gcm', key, buffer.subarray(0, 12));
      decipher.setAuthTag(buffer.subarray(12, 28));
      return new Uint8Array(Buffer.concat([decipher.update(buffer.subarray(28)), decipher.final()]));
    },
  };
}

export const testPseudonym = (key: Buffer) => (pid: string) => createHmac('sha256', key).update(pid).digest('base64url');

export interface Fixture {
  dir: string;
  gateway: LocalArweave;
  arweave: ArweaveClient;
  nodeWallet: JWKInterface;
  userWallet: JWKInterface;
  cipher: Cipher;
  pseudonym: (pid: string) => string;
  startNode(dataDirName: string, opts?: { onEvaluated?: (timing: EvalTiming) => void; privateMode?: boolean; arweave?: ArweaveClient; checkpointEvery?: number; logger?: Logger; announce?: boolean }): Promise<StartedAoNode>;
  remove(): Promise<void>;
}

export async function createFixture(prefix: string): Promise<Fixture> {
  const tmp = await makeTmpDir(prefix);
  const gateway = await startArlocal({ dataDir: path.join(tmp.dir, 'arweave') });
  const nodeWallet = await loadOrCreateWallet(path.join(tmp.dir, 'node-wallet.json'));
  const userWallet = await loadOrCreateWallet(path.join(tmp.dir, 'user-wallet.json'));
  const arweave = createArweaveClient({ url: gateway.url, wallet: nodeWallet, local: true });
  const cipher = testCipher();
  const pseudonym = testPseudonym(randomBytes(32));
  const nodes: StartedAoNode[] = [];
  return {
    dir: tmp.dir,
    gateway,
    arweave,
    nodeWallet,
    userWallet,
    cipher,
    pseudonym,
    async startNode(dataDirName, opts = {}) {
      const node = await startAoNode({
        dataDir: path.join(tmp.dir, dataDirName),
        arweave: opts.arweave ?? arweave,
        wallet: nodeWallet,
        cipher,
        pseudonym,
        privateMode: opts.privateMode ?? true,
        uploadDelayMs: 10,
        ...(opts.onEvaluated ? { onEvaluated: opts.onEvaluated } : {}),
        ...(opts.checkpointEvery ? { checkpointEvery: opts.checkpointEvery } : {}),
        ...(opts.logger ? { logger: opts.logger } : {}),
        ...(opts.announce ? { announce: true } : {}),
      });
      nodes.push(node);
      return node;
    },
    async remove() {
      for (const node of nodes) await node.stop().catch(() => undefined);
      await gateway.stop();
      await tmp.remove();
    },
  };
}
