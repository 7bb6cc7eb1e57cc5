/**
 * Which of a sequence's kept tokens a new prompt can reuse. node-llama-cpp keeps only the common
 * prefix (LlamaChat asks for no shifting); but a turn's prompt drops a few ranges of the last one
 * (that turn's reply plan, the empty thinking block before the reply), and everything after the
 * first such range would be evaluated again. Here those ranges are found and erased instead: the
 * tokens after them stay in the KV cache, moved back (llama.cpp re-rotates their keys, a small
 * fraction of evaluating them).
 *
 * Only runs of at least `minRun` equal tokens are kept after a gap: node-llama-cpp's own
 * shifting alignment keeps any single token that happens to match, which strands tokens of one
 * message among another's.
 */
export interface TokenRange {
  /** Inclusive. */
  start: number;
  /** Exclusive. */
  end: number;
}

export interface KeptAlignment {
  /** Ranges of the kept tokens to erase (ascending), the last one running to their end if the rest differs. */
  erase: TokenRange[];
  /** How many of the target's tokens the kept ones supply once those ranges are erased. */
  reused: number;
  /** Of those, how many sit after an erased range (moved back, not evaluated). */
  shifted: number;
}

/** A gap is worth erasing only if at least this many tokens are kept after it. */
export const MIN_KEPT_RUN = 8;

function indexOfRun<T>(kept: readonly T[], target: readonly T[], from: number, at: number, length: number): number {
  for (let k = from; k + length <= kept.length; k++) {
    let i = 0;
    while (i < length && kept[k + i] === target[at + i]) i++;
    if (i === length) return k;
  }
  return -1;
}

export function alignKept<T>(kept: readonly T[], target: readonly T[], minRun = MIN_KEPT_RUN): KeptAlignment {
  const erase: TokenRange[] = [];
  let i = 0;
  let j = 0;
  let shifted = 0;
  const follow = () => {
    const start = j;
    while (i < kept.length && j < target.length && kept[i] === target[j]) {
      i++;
      j++;
    }
    return j - start;
  };
  follow();
  while (i < kept.length && j < target.length && target.length - j >= minRun) {
    const k = indexOfRun(kept, target, i + 1, j, minRun);
    if (k < 0) break;
    erase.push({ start: i, end: k });
    i = k;
    shifted += follow();
  }
  if (i < kept.length) erase.push({ start: i, end: kept.length });
  return { erase, reused: j, shifted };
}

/** What applying an alignment needs of a context sequence (node-llama-cpp's, or a fake in tests). */
export interface TokenHolder<T> {
  readonly contextTokens: readonly T[];
  eraseContextTokenRanges(ranges: TokenRange[]): Promise<void>;
  clearHistory(): Promise<void>;
}

/**
 * Leaves in the sequence only tokens that start `tokens`: the common prefix, and the runs after
 * ranges the prompt dropped (erased, the rest moved back). Returns how many were moved.
 */
export async function keepFor<T>(sequence: TokenHolder<T>, tokens: readonly T[]): Promise<number> {
  const alignment = alignKept(sequence.contextTokens, tokens);
  if (alignment.erase.length > 0) await sequence.eraseContextTokenRanges(alignment.erase);
  const held = sequence.contextTokens;
  if (held.length !== alignment.reused || held.some((token, i) => token !== tokens[i])) {
    // Not what was asked for (node-llama-cpp may drop the cache instead of moving it): start over.
    await sequence.clearHistory();
    return 0;
  }
  return alignment.shifted;
}
