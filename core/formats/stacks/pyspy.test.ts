import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FrameKind, frameKindOf, type Profile } from '~/core/model/profile';
import { stringAt } from '~/core/model/string-pack';
import { fixtureFiles, readText, readJson, sameStacks, stacksOf } from '~/test/fixtures';
import { parseStackText } from './read-stacks';

interface Truth {
  samples: number;
  stacks: Record<string, number>;
  roots: Record<string, number>;
  no_python_frame: number;
  invalid_lines: number;
}

const label = (p: Profile, f: number) => stringAt(p.strings, p.frames.label[f]);
const raw = fixtureFiles('pyspy', '.raw');

describe('py-spy raw output', () => {
  it.each(raw.map((f) => [basename(f), f]))(
    '%s: every sample counted, threads and processes as root frames',
    (_, f) => {
      const truth = readJson<Truth>(`${f}.truth.json`);
      const p = parseStackText(readText(f), basename(f));
      expect(p.format).toBe('py-spy');
      expect(p.invalidLines).toBe(truth.invalid_lines);
      const withPython = Object.fromEntries(
        Object.entries(truth.stacks).filter(([s]) =>
          s.split(';').some((frame) => !/^(thread \(|process \d+:|$)/.test(frame)),
        ),
      );
      expect(sameStacks(stacksOf(p, label), withPython, 0)).toEqual([]);
      expect(p.samples).toBe(Object.values(withPython).reduce((a, b) => a + b, 0));
      expect(p.idle).toBe(truth.no_python_frame);
      // Thread and process frames are roots (or processes below their parent), never code; the code below them is.
      for (let i = 0; i < p.tree.count; i++) {
        const kind = frameKindOf(p.frames, p.tree.frame[i]);
        const text = label(p, p.tree.frame[i]);
        if (text.startsWith('thread (')) expect(kind).toBe(FrameKind.thread);
        else if (text.startsWith('process ')) expect(kind).toBe(FrameKind.process);
        else expect(kind).toBe(FrameKind.code);
        if (kind !== FrameKind.code && p.tree.parent[i] >= 0)
          expect(frameKindOf(p.frames, p.tree.frame[p.tree.parent[i]])).not.toBe(FrameKind.code);
      }
      for (const [root, n] of Object.entries(truth.roots ?? {})) {
        let total = 0;
        for (let i = 0; i < p.tree.count; i += p.tree.size[i])
          if (label(p, p.tree.frame[i]) === root) total += p.tree.total[i];
        const noPython = Object.entries(truth.stacks)
          .filter(([s]) => s.startsWith(root) && !withPython[s])
          .reduce((sum, [, w]) => sum + w, 0);
        expect(total).toBe(n - noPython);
      }
    },
  );

  it('a thread frame is a name, not a function in a file', () => {
    const p = parseStackText('thread (20135);<module> (app.py:3) 2\n 5\n', 'x.raw');
    const f = p.tree.frame[0];
    expect([label(p, f), stringAt(p.strings, p.frames.file[f]), frameKindOf(p.frames, f)]).toEqual([
      'thread (20135)',
      '',
      FrameKind.thread,
    ]);
    expect([p.samples, p.idle, p.invalidLines]).toEqual([2, 5, 0]);
  });
});
