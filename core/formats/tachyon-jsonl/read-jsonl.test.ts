import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringAt } from '~/core/model/string-pack';
import { openProfile } from '../open-profile';
import { funcStdString } from '../pstats/pstats-text';
import { stacksTruth, tachyonDir } from '~/test/tachyon-truth';
import { readJson } from '~/test/fixtures';
import { profileViolations } from '~/fuzz/invariants';
import { parseTachyonJsonl } from './read-jsonl';

interface JsonlTruth {
  meta: { sample_interval_usec: number };
  samples_total: number;
  frames: { path: string; func: string; line: number; self: number; cumulative: number }[];
}

describe.each(['web', 'recursive', 'imports'])("Tachyon's JSON Lines of the %s recording", (workload) => {
  const file = `${workload}-py315-tachyon.jsonl`;
  const truth = readJson<JsonlTruth>(join(tachyonDir, `${file}.truth.json`));

  it("gives every frame's samples on top and on the stack, and no stacks", async () => {
    const p = await openProfile(new Blob([readFileSync(join(tachyonDir, file))]), file);
    expect(p.format).toBe('tachyon-jsonl');
    expect(profileViolations(p)).toEqual([]);
    const s = p.pstats!;
    expect(s.sampled).toBe(true);
    const rows = Array.from({ length: p.frames.count }, (_, f) => [
      stringAt(p.strings, p.frames.label[f]),
      s.cc[f],
      s.nc[f],
    ]);
    const expected = truth.frames.map((f) => [funcStdString(f.path, f.line, f.func), f.self, f.cumulative]);
    const order = (a: (string | number)[], b: (string | number)[]) =>
      JSON.stringify(a).localeCompare(JSON.stringify(b));
    expect(rows.sort(order)).toEqual(expected.sort(order));
    const interval = truth.meta.sample_interval_usec / 1e6;
    for (let f = 0; f < p.frames.count; f++) expect(s.tt[f]).toBeCloseTo(s.cc[f] * interval, 12);
    expect(s.primCalls).toBe(truth.samples_total);
    expect(s.primCalls).toBe(stacksTruth(`${workload}-py315-tachyon.collapsed`).samples);
    expect(p.tree.count).toBe(0);
    expect(p.warnings).toEqual([expect.stringMatching(/not the stacks/)]);
  });
});

describe('bad JSON Lines', () => {
  const meta = '{"type":"meta","v":0,"run_id":"r","sample_interval_usec":1000}';
  const read = (lines: string[]) => parseTachyonJsonl(new TextEncoder().encode(lines.join('\n')), 'x.jsonl');
  it('are refused with a message that says where', () => {
    const refusals: [string[], RegExp][] = [
      [[meta, '{"type":"agg"'], /line 2 is not JSON/],
      [[meta], /no agg record/],
      [['{"type":"agg","kind":"frame","entries":[]}'], /no meta record/],
      [[meta, '{"type":"agg","kind":"frame","entries":[{"frame_id":0,"self":1,"cumulative":1}]}'], /no frame_table/],
      [[meta, '{"type":"agg","kind":"frame","entries":[{"frame_id":1e300,"self":1,"cumulative":1}]}'], /frame_id/],
      [[meta, '{"type":"agg","kind":"frame","entries":[{"frame_id":0,"self":-1,"cumulative":1}]}'], /self/],
      [[meta, '{"type":"string_table","strings":{"__proto__":1}}'], /array "strings"/],
      [
        [
          meta,
          '{"type":"frame_table","frames":[{"frame_id":0,"path_str_id":0,"func_str_id":1,"line":3}]}',
          '{"type":"agg","kind":"frame","entries":[{"frame_id":0,"self":1,"cumulative":1}]}',
        ],
        /names string 0/,
      ],
    ];
    for (const [lines, message] of refusals) expect(() => read(lines)).toThrow(message);
  });
});
