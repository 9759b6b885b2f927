import { describe, expect, it } from 'vitest';
import { packColor } from './box-raster';
import { frameColor } from './colors';

const rgba = (p: number) => Array.from(new Uint8Array(new Uint32Array([p]).buffer));

describe('packColor', () => {
  it('converts the hsl() colours of frames as CSS does', () => {
    expect(rgba(packColor('hsl(0 100% 50%)'))).toEqual([255, 0, 0, 255]);
    expect(rgba(packColor('hsl(120 100% 25%)'))).toEqual([0, 128, 0, 255]);
    expect(rgba(packColor('hsl(240 100% 75%)'))).toEqual([128, 128, 255, 255]);
    expect(rgba(packColor('hsl(210 55% 70%)'))).toEqual([136, 179, 221, 255]);
    expect(rgba(packColor('hsl(0 0% 100%)'))).toEqual([255, 255, 255, 255]);
  });

  it('reads every colour a frame can get', () => {
    for (const name of ['main', 'fib', '<module>', 'walk_tree']) {
      for (const kind of ['user', 'stdlib', 'thirdparty', 'builtin', 'other'] as const) {
        const [r, g, b, a] = rgba(packColor(frameColor(kind, name)));
        expect(a).toBe(255);
        expect(Math.max(r, g, b)).toBeGreaterThan(100);
      }
    }
  });
});
