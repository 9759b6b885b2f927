import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openProfile } from './open-profile';
import { fixturesDir } from '~/test/fixtures';

const open = (content: string | Uint8Array<ArrayBuffer>, name: string) => openProfile(new Blob([content]), name);
const READS = /Kiln reads pstats .*speedscope JSON, Chrome trace events .*pyinstrument .*py-spy raw, austin, Pyflame/;

describe('files that are not profiles Kiln reads', () => {
  it('a Python source file and a log are refused, naming the formats Kiln reads', async () => {
    const source = readFileSync(join(fixturesDir, 'workloads/modern.py'), 'utf8');
    await expect(open(source, 'modern.py')).rejects.toThrow(
      /^this is not a profile: (no line|only \d+ of \d+ lines) reads as a stack/,
    );
    await expect(open(source, 'modern.py')).rejects.toThrow(READS);
    const log = Array.from({ length: 40 }, (_, i) =>
      i % 4 ? `2024-05-01 12:00:${i} INFO GET /api/items 200 OK` : `2024-05-01 12:00:${i} INFO queue depth 12`,
    ).join('\n');
    await expect(open(log, 'server.log')).rejects.toThrow(READS);
  });

  it.each([
    [
      'perf script',
      'python3 4242 [001] 12345.678901:     250000 cpu-clock:pppH: \n\t    7f2a1c0b1234 _PyEval_EvalFrameDefault+0x44 (/usr/lib/libpython3.11.so)\n\n',
      /the output of perf script, not a Python profile Kiln reads: fold its stacks first \(stackcollapse-perf\.pl/,
    ],
    [
      'an SVG flame graph',
      '<?xml version="1.0" standalone="no"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd">\n<svg version="1.1" width="1200">',
      /an SVG image, perhaps a flame graph, not a Python profile Kiln reads: .*folded stacks it was drawn from/,
    ],
    [
      'a Chrome .cpuprofile',
      '{"nodes":[{"id":1,"callFrame":{"functionName":"(root)","url":""}}],"startTime":0,"samples":[1],"timeDeltas":[0]}',
      /a Chrome DevTools CPU profile \(\.cpuprofile\), not a Python profile Kiln reads: .*Chrome DevTools/,
    ],
    [
      'a JFR recording',
      new Uint8Array([0x46, 0x4c, 0x52, 0x00, 0, 2, 0, 0, 1, 2, 3]),
      /Java Flight Recorder.*JDK Mission Control/,
    ],
    [
      'a zip',
      new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0]),
      /a zip archive, .*unzip it and open the profile inside/,
    ],
    ['JSON of no known format', '{"hello": "world"}', /^this is a JSON file, not a profile\. Kiln reads pstats/],
  ])('%s is named, with what to do instead', async (_, content, message) => {
    await expect(open(content, 'file')).rejects.toThrow(message);
  });
});
