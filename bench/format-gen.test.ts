import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openProfile } from '~/core/formats/open-profile';
import type { ProfileFormat } from '~/core/model/profile';
import { FORMAT_EXTENSIONS, writeFormat, type FormatKind } from './format-gen';

const dir = mkdtempSync(join(tmpdir(), 'kiln-format-gen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Each kind: the format Kiln reads it as, and the weight of one written sample in Kiln's unit. */
const READ_AS: Record<FormatKind, [ProfileFormat, number]> = {
  speedscope: ['speedscope', 0.01],
  'chrome-trace': ['chrome-trace', 10_000],
  pyinstrument: ['pyinstrument', 1],
  gecko: ['gecko', 1],
  'tachyon-bin': ['tachyon-binary', 1],
  callgrind: ['callgrind', 1e-6],
  pprof: ['pprof', 0.01],
  'austin-mojo': ['austin-mojo', 1],
};

describe('the bench inputs of other formats', () => {
  for (const kind of Object.keys(READ_AS) as FormatKind[]) {
    it(`${kind}: Kiln reads it as its format, every sample written, no warning but pprof's sample types`, async () => {
      const path = join(dir, `x.${FORMAT_EXTENSIONS[kind]}`);
      const written = writeFormat(kind, path, 100_000);
      const bytes = readFileSync(path);
      expect(bytes.length).toBeGreaterThan(50_000);
      const p = await openProfile(new Blob([bytes]), path);
      const [format, weight] = READ_AS[kind];
      expect(p.format).toBe(format);
      expect(p.samples).toBeCloseTo(written.samples * weight, 6);
      expect(p.invalidLines).toBe(0);
      expect(p.warnings.filter((w) => !w.startsWith('values are cpu'))).toEqual([]);
      // Deep stacks of the generated program: its four roots, 20 frames or more below them.
      expect(p.frames.label.length).toBeGreaterThan(100);
      expect(writeFormat(kind, path, 100_000)).toEqual(written);
      expect(readFileSync(path).equals(bytes)).toBe(true);
    });
  }
});
