import { describe, expect, it } from 'vitest';
import { IntKeyIndex } from './int-key-index';

describe('IntKeyIndex', () => {
  it('finds every key added, through its growth, as a Map of the same keys does, and no other', () => {
    const index = new IntKeyIndex();
    const known = new Map<string, number>();
    let seed = 12345;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) | 0);
    for (let i = 0; i < 20_000; i++) {
      // Small ids, as frames and strings have, and any int32 (lines may be -1).
      const a = i % 3 ? next() % 700 : next(),
        b = next() % 50,
        c = i % 5 ? 0 : next();
      if (known.has(`${a},${b},${c}`)) continue;
      expect(index.get(a, b, c)).toBe(-1);
      index.add(a, b, c, i);
      known.set(`${a},${b},${c}`, i);
    }
    expect(known.size).toBeGreaterThan(10_000);
    for (const [key, value] of known) {
      const [a, b, c] = key.split(',').map(Number);
      expect(index.get(a, b, c)).toBe(value);
      expect(index.get(a, b, c + 1)).toBe(known.get(`${a},${b},${c + 1}`) ?? -1);
    }
  });
});
