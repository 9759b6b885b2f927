import { describe, expect, it } from 'vitest';
import { formatWeight } from './weights';

describe('weights as text', () => {
  it('group digits as the English locale does, for every unit that counts', () => {
    const values = [0, 1, 7, 999, 1000, 12345, 999999, 1234567, 2 ** 31, 123456789012, 0.5, 1234.5678, -4321];
    for (const w of values) {
      const text = w.toLocaleString('en');
      expect(formatWeight('samples', w)).toBe(`${text} sample${w === 1 ? '' : 's'}`);
      expect(formatWeight('kilobytes', w)).toBe(`${text} KiB`);
      expect(formatWeight('events', w, false)).toBe(text);
    }
    expect(formatWeight('samples', 1234567)).toBe('1,234,567 samples');
  });
});
