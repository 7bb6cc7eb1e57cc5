/**
 * ANS-104 data items as the MU sees them: parse, verify the signature, read who signed.
 * The node also signs its own items (pushed messages) with its wallet.
 */
import { constants, createHash, createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { DataItem, createData } from '@dha-team/arbundles';
import { threadpoolSigner } from '../../arweave/threadpool-signer.js';
import type { JWKInterface } from '../../arweave/wallet.js';
import { InputError } from '../../errors.js';
import type { Tag } from '../../arweave/tag.js';

export interface ParsedItem {
  id: string;
  /** Address of the signer: base64url sha256 of the owner key. */
  owner: string;
  /** The signer's public key (base64url): what an SU serves as owner.key. */
  ownerKey: string;
  target: string;
  anchor: string;
  tags: Tag[];
  data: Uint8Array;
  signature: string;
  raw: Uint8Array;
}

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

export const addressOfOwner = (rawOwner: Uint8Array) => b64url(createHash('sha256').update(rawOwner).digest());

/** Parses and verifies a signed data item; throws InputError (→ HTTP 400) on anything wrong. */
export async function parseSignedItem(body: Uint8Array): Promise<ParsedItem> {
  const buffer = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  let item: DataItem;
  try {
    if (buffer.byteLength < 80) throw new Error('too short for an ANS-104 data item');
    item = new DataItem(buffer);
  } catch (error) {
    throw new InputError('the body is not an ANS-104 data item', { cause: error, hint: 'POST the signed data item bytes (application/octet-stream)' });
  }
  let valid = false;
  try {
    valid = await verifyItem(item, buffer);
  } catch (error) {
    throw new InputError('the data item could not be verified', { cause: error, hint: 'sign the data item before posting it' });
  }
  if (!valid) throw new InputError('the data item signature is missing or invalid', { hint: 'sign the item with its owner key and do not modify it afterwards' });
  return readItem(item);
}

/**
 * Arweave-signed items (type 1, RSA-PSS) are checked with node:crypto directly, as arweave-js
 * does, minus its console warning on every bad item; other signature types go to arbundles.
 */
async function verifyItem(item: DataItem, buffer: Buffer): Promise<boolean> {
  if (item.signatureType !== 1) return DataItem.verify(buffer);
  if (!Array.isArray(item.tags)) return false; // parses the tags: malformed ones throw (→ 400)
  const signed = await item.getSignatureData();
  const key = createPublicKey({ key: { kty: 'RSA', n: item.owner, e: 'AQAB' }, format: 'jwk' });
  return cryptoVerify('sha256', signed, { key, padding: constants.RSA_PKCS1_PSS_PADDING }, item.rawSignature);
}

/** Reads an item already verified once (from our own log). */
export function readRawItem(raw: Uint8Array): ParsedItem {
  return readItem(new DataItem(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength)));
}

function readItem(item: DataItem): ParsedItem {
  return {
    id: item.id,
    owner: addressOfOwner(item.rawOwner),
    ownerKey: b64url(item.rawOwner),
    target: item.target,
    anchor: item.anchor,
    tags: item.tags.map((tag) => ({ name: tag.name, value: tag.value })),
    data: new Uint8Array(item.rawData),
    signature: item.signature,
    raw: new Uint8Array(item.getRaw()),
  };
}

export interface ItemInput {
  data: Uint8Array | string;
  tags: Tag[];
  target?: string;
  anchor?: string;
}

export interface ItemSigner {
  sign(input: ItemInput): Promise<ParsedItem>;
  /**
   * The item this signer signed with `signature`, rebuilt from its fields: an item whose fields
   * follow from data kept anyway needs only its signature stored (the SU's assignments).
   */
  rebuild(input: ItemInput, signature: string): Promise<ParsedItem>;
}

export function createItemSigner(wallet: JWKInterface): ItemSigner {
  // Pushed messages are signed off the event loop, like every other item (threadpool-signer.ts).
  const signer = threadpoolSigner(wallet);
  const unsigned = (input: ItemInput) => {
    const options: { tags: Tag[]; target?: string; anchor?: string } = { tags: input.tags };
    if (input.target) options.target = input.target;
    if (input.anchor) options.anchor = input.anchor;
    return createData(input.data, signer, options);
  };
  return {
    async sign(input) {
      const item = unsigned(input);
      await item.sign(signer);
      return readItem(item);
    },
    async rebuild(input, signature) {
      const item = unsigned(input);
      await item.setSignature(Buffer.from(signature, 'base64url'));
      return readItem(item);
    },
  };
}
