// Generation's turn table, kept in a static region of linear memory so it survives every
// evaluation (the loader hands back only Memory). Fixed slots; finished turn ids in a ring
// so a duplicate message for a finished turn is recognised and ignored.
export const SLOTS: i32 = 128;
const SLOT_SIZE: usize = 6144;
const TURN_MAX: i32 = 64;
const U_OFFSET: usize = 80;
export const U_MAX: i32 = 4000;
const S_OFFSET: usize = 4088;
const S_MAX: i32 = 2000;
const DONE_COUNT: i32 = 256;
const DONE_SIZE: usize = 68;

const TABLE: usize = memory.data(<i32>(SLOT_SIZE * <usize>SLOTS), 16);
const DONE: usize = memory.data(<i32>(DONE_SIZE * <usize>DONE_COUNT), 16);
const COUNTERS: usize = memory.data(16, 16); // [0] sequence, [4] done ring head, [8] turns completed

function putString(at: usize, max: i32, value: string): void {
  const bytes = String.UTF8.encode(value);
  const length = min<i32>(bytes.byteLength, max);
  store<u32>(at, length);
  memory.copy(at + 4, changetype<usize>(bytes), length);
}
function getString(at: usize): string {
  return String.UTF8.decodeUnsafe(at + 4, load<u32>(at));
}

export class Slot {
  constructor(public index: i32) {}
  get base(): usize { return TABLE + <usize>this.index * SLOT_SIZE; }
  get used(): bool { return load<u8>(this.base) != 0; }
  get hasUnderstanding(): bool { return load<u8>(this.base + 1) != 0; }
  get hasSentiment(): bool { return load<u8>(this.base + 2) != 0; }
  get requested(): bool { return load<u8>(this.base + 3) != 0; }
  get sequence(): u32 { return load<u32>(this.base + 4); }
  get turnId(): string { return getString(this.base + 8); }
  get understanding(): string { return getString(this.base + U_OFFSET); }
  get sentiment(): string { return getString(this.base + S_OFFSET); }

  claim(turnId: string): void {
    memory.fill(this.base, 0, 16);
    store<u8>(this.base, 1);
    const sequence = load<u32>(COUNTERS) + 1;
    store<u32>(COUNTERS, sequence);
    store<u32>(this.base + 4, sequence);
    putString(this.base + 8, TURN_MAX, turnId);
  }
  setUnderstanding(json: string): void { putString(this.base + U_OFFSET, U_MAX, json); store<u8>(this.base + 1, 1); }
  setSentiment(json: string): void { putString(this.base + S_OFFSET, S_MAX, json); store<u8>(this.base + 2, 1); }
  markRequested(): void { store<u8>(this.base + 3, 1); }
  release(): void { store<u8>(this.base, 0); }
}

export function findSlot(turnId: string): Slot | null {
  for (let i = 0; i < SLOTS; i++) {
    const slot = new Slot(i);
    if (slot.used && slot.turnId == turnId) return slot;
  }
  return null;
}

/**
 * A free slot, or else the oldest half-joined turn's (it is dropped: bounded state). Turns
 * waiting for their Inference-Result are kept while any half-joined one can go instead.
 */
export function claimSlot(turnId: string): Slot {
  let oldestWaiting: Slot | null = null;
  let oldest = new Slot(0);
  for (let i = 0; i < SLOTS; i++) {
    const slot = new Slot(i);
    if (!slot.used) { slot.claim(turnId); return slot; }
    if (slot.sequence < oldest.sequence) oldest = slot;
    if (!slot.requested && (oldestWaiting == null || slot.sequence < oldestWaiting.sequence)) oldestWaiting = slot;
  }
  const victim = oldestWaiting != null ? oldestWaiting : oldest;
  victim.claim(turnId);
  return victim;
}

export function pendingTurns(): i32 {
  let count = 0;
  for (let i = 0; i < SLOTS; i++) if (new Slot(i).used) count++;
  return count;
}

export function isDone(turnId: string): bool {
  for (let i = 0; i < DONE_COUNT; i++) {
    const at = DONE + <usize>i * DONE_SIZE;
    if (load<u32>(at) > 0 && getString(at) == turnId) return true;
  }
  return false;
}

export function markDone(turnId: string): void {
  const head = load<u32>(COUNTERS + 4);
  putString(DONE + <usize>(head % <u32>DONE_COUNT) * DONE_SIZE, TURN_MAX, turnId);
  store<u32>(COUNTERS + 4, head + 1);
  store<u32>(COUNTERS + 8, load<u32>(COUNTERS + 8) + 1);
}

export function completedTurns(): u32 {
  return load<u32>(COUNTERS + 8);
}
