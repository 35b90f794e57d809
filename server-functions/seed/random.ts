// Deterministic randomness for the seed data sets. Math.random is never used:
// the same seed (and the same `now`) must give the same rows on every machine,
// so tests can pin exact figures and two databases can be compared.
//
// Generator: sfc32 (small, fast, passes PractRand to 2^40), seeded through
// cyrb128 so that any string or number makes a well-mixed 128-bit state.

export type SeedValue = string | number;

export interface Random {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform 32-bit unsigned integer. */
  uint32(): number;
  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** Uniform float in [min, max). */
  between(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** One item, chosen with probability proportional to its weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** k distinct items in random order (all of them when k >= length). */
  sample<T>(items: readonly T[], k: number): T[];
  /** A shuffled copy. */
  shuffle<T>(items: readonly T[]): T[];
  /** Random version-4 UUID (deterministic, unlike gen_random_uuid()). */
  uuid(): string;
  /**
   * UUID whose first 48 bits are `ms` (UUIDv7 layout). Used for the large data
   * set: rows generated in time order then land at the right edge of the
   * primary-key index instead of all over it, which keeps COPY fast.
   */
  timeOrderedUuid(ms: number): string;
  /** `length` characters from [0-9A-Za-z], like the tail of a Stripe id. */
  token(length: number): string;
  /** `bytes` random bytes as lower-case hex. */
  hex(bytes: number): string;
  /**
   * An independent stream named `label`. Each part of a data set draws from
   * its own fork, so adding a draw to one part never shifts the others.
   */
  fork(label: string): Random;
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** cyrb128: hashes a string into four 32-bit words (the sfc32 state). */
function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

export function createRandom(seed: SeedValue): Random {
  const name = String(seed);
  let [a, b, c, d] = cyrb128(name);

  const uint32 = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Discard the first outputs: sfc32 needs a few rounds to mix a fresh state.
  for (let i = 0; i < 15; i++) uint32();

  const next = (): number => uint32() / 4294967296;
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));

  const hexBytes = (out: string[], count: number): void => {
    for (let i = 0; i < count; i += 4) {
      const w = uint32();
      out.push(HEX[w & 255]!, HEX[(w >>> 8) & 255]!, HEX[(w >>> 16) & 255]!, HEX[w >>> 24]!);
    }
  };

  const random: Random = {
    next,
    uint32,
    int,
    between: (min, max) => min + next() * (max - min),
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)]!;
    },
    weighted: (items) => {
      let total = 0;
      for (const [, w] of items) total += w;
      let r = next() * total;
      for (const [item, w] of items) {
        r -= w;
        if (r < 0) return item;
      }
      return items[items.length - 1]![0];
    },
    sample: (items, k) => random.shuffle(items).slice(0, Math.max(0, k)),
    shuffle: (items) => {
      const copy = items.slice();
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      return copy;
    },
    uuid: () => {
      const h: string[] = [];
      hexBytes(h, 16);
      h[6] = '4' + h[6]!.charAt(1); // version 4
      h[8] = HEX[(parseInt(h[8]!, 16) & 0x3f) | 0x80]!; // RFC 4122 variant
      return `${h[0]}${h[1]}${h[2]}${h[3]}-${h[4]}${h[5]}-${h[6]}${h[7]}-${h[8]}${h[9]}-${h.slice(10).join('')}`;
    },
    timeOrderedUuid: (ms) => {
      const time = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0').slice(-12);
      const h: string[] = [];
      hexBytes(h, 12);
      const tail = h.join('');
      const variant = ((parseInt(tail.charAt(4), 16) & 0x3) | 0x8).toString(16);
      return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${tail.slice(0, 3)}-${variant}${tail.slice(5, 8)}-${tail.slice(8, 20)}`;
    },
    token: (length) => {
      let out = '';
      for (let i = 0; i < length; i++) out += BASE62.charAt(uint32() % 62);
      return out;
    },
    hex: (bytes) => {
      const h: string[] = [];
      hexBytes(h, bytes);
      return h.join('').slice(0, bytes * 2);
    },
    fork: (label) => createRandom(`${name}/${label}`),
  };
  return random;
}
