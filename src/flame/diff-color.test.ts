import { describe, expect, it } from 'vitest';
import { diffColor } from './diff-color';

describe('the differential flame graph colours', () => {
  it('colours a small regression beside a large speed-up, red for more and blue for less', () => {
    const unchanged = diffColor(0, 0.45);
    expect(diffColor(0.0081, 0.45)).not.toBe(unchanged);
    expect(diffColor(0.0081, 0.45)).toMatch(/^hsl\(4 /);
    expect(diffColor(-0.45, 0.45)).toMatch(/^hsl\(218 /);
    expect(diffColor(0.0001, 0.45)).toBe(unchanged);
  });
});
