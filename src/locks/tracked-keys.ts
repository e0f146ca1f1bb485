/** Ring capacity the table starts with; it doubles, up to its limit, as keys come. */
const FIRST_CAPACITY = 1024;

/**
 * The keys an `InProcessKeyedLock` tracks: for each key's hash, the second it was last taken. At most
 * `limit` keys; a key is remembered at least while its latest take is among the last `limit` takes (the
 * oldest takes are forgotten first; while the table is still growing to its limit it forgets nothing).
 *
 * A long import takes one key per order, so this holds up to `limit` entries for as long as the process
 * lives. A `Map` of them took 3.7 to 7 MB of the JS heap at 100 000 keys (a map that drops its oldest
 * entries keeps their holes until it rehashes), and V8 lets the heap grow to a few times what is live
 * before it collects: a long run's peak RSS grew with its length. Here they live in typed arrays outside
 * the JS heap, about 18 bytes per key: a ring of takes (hash and second) and an open-addressing index
 * from hash to ring position, at most half full.
 */
export class TrackedKeys {
  readonly #limit: number;
  /** The ring of takes, oldest at `#oldest`: each take's key hash and second. */
  #hashes = new Int32Array(0);
  #seconds = new Int32Array(0);
  #oldest = 0;
  /** Takes in the ring, including those of keys taken again since (no longer indexed). */
  #count = 0;
  /** Ring position + 1 of each key's latest take, by hash (linear probing); 0 is an empty slot. */
  #slots = new Int32Array(0);
  /** 32 minus the bits of the index's size: its home slot is a hash's top bits after mixing. */
  #shift = 32;
  #size = 0;

  constructor(limit: number) {
    this.#limit = Math.max(1, Math.floor(limit));
  }

  /** How many keys are remembered. */
  get size(): number {
    return this.#size;
  }

  /** Records that the key with this hash was taken at `second`; returns the second of its previous take, if remembered. */
  take(hash: number, second: number): number | undefined {
    const slot = this.#find(hash);
    let last: number | undefined;
    if (slot >= 0) {
      last = this.#seconds[(this.#slots[slot] as number) - 1];
      this.#unindex(slot);
    }
    if (this.#count === this.#hashes.length) {
      if (this.#hashes.length < this.#limit) this.#grow();
      else this.#forgetOldest();
    }
    const at = (this.#oldest + this.#count) % this.#hashes.length;
    this.#hashes[at] = hash;
    this.#seconds[at] = second;
    this.#count += 1;
    this.#index(hash, at);
    return last;
  }

  /** The index slot holding this hash, or -1. */
  #find(hash: number): number {
    if (this.#slots.length === 0) return -1;
    const mask = this.#slots.length - 1;
    for (let i = this.#home(hash); this.#slots[i] !== 0; i = (i + 1) & mask) {
      if (this.#hashes[(this.#slots[i] as number) - 1] === hash) return i;
    }
    return -1;
  }

  #home(hash: number): number {
    return Math.imul(hash, 0x9e3779b1) >>> this.#shift;
  }

  #index(hash: number, at: number): void {
    const mask = this.#slots.length - 1;
    let i = this.#home(hash);
    while (this.#slots[i] !== 0) i = (i + 1) & mask;
    this.#slots[i] = at + 1;
    this.#size += 1;
  }

  /** Empties a slot, moving later entries of its probe run back so every entry stays reachable from its home. */
  #unindex(slot: number): void {
    const mask = this.#slots.length - 1;
    let hole = slot;
    for (let j = (hole + 1) & mask; this.#slots[j] !== 0; j = (j + 1) & mask) {
      const home = this.#home(this.#hashes[(this.#slots[j] as number) - 1] as number);
      // An entry whose home lies cyclically in (hole, j] must stay where it is; any other may fill the hole.
      const stays = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (stays) continue;
      this.#slots[hole] = this.#slots[j] as number;
      hole = j;
    }
    this.#slots[hole] = 0;
    this.#size -= 1;
  }

  /** Drops the ring's oldest take, and its key if that was the key's latest take. */
  #forgetOldest(): void {
    const at = this.#oldest;
    const slot = this.#find(this.#hashes[at] as number);
    if (slot >= 0 && this.#slots[slot] === at + 1) this.#unindex(slot);
    this.#oldest = (at + 1) % this.#hashes.length;
    this.#count -= 1;
  }

  /** Doubles the ring (up to the limit) and rebuilds the index, keeping the latest take of every key. */
  #grow(): void {
    const capacity = Math.min(this.#limit, Math.max(FIRST_CAPACITY, this.#hashes.length * 2));
    const hashes = new Int32Array(capacity);
    const seconds = new Int32Array(capacity);
    let count = 0;
    for (let i = 0; i < this.#count; i += 1) {
      const at = (this.#oldest + i) % this.#hashes.length;
      const hash = this.#hashes[at] as number;
      if (this.#slots[this.#find(hash)] !== at + 1) continue;
      hashes[count] = hash;
      seconds[count] = this.#seconds[at] as number;
      count += 1;
    }
    let bits = 1;
    while (1 << bits < capacity * 2) bits += 1;
    this.#hashes = hashes;
    this.#seconds = seconds;
    this.#oldest = 0;
    this.#count = count;
    this.#slots = new Int32Array(1 << bits);
    this.#shift = 32 - bits;
    this.#size = 0;
    for (let at = 0; at < count; at += 1) this.#index(hashes[at] as number, at);
  }
}
