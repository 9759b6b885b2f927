import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FrameKind, ProfileError, frameKindOf, type Profile } from '~/core/model/profile';
import { stringAt } from '~/core/model/string-pack';
import { fixtureFiles, readBytes, readJson, sameStacks, stacksOf } from '~/test/fixtures';
import { parsePyinstrument } from './read-pyinstrument';

interface Truth {
  stacks: Record<string, number>;
  total_time: number;
  duration: number;
}

/** Frames as the truths write them: `function (file:defline)`, the thread `MainThread (<thread>:IDENT)`. */
function truthFrame(p: Profile, f: number): string {
  const name = stringAt(p.strings, p.frames.name[f]);
  if (frameKindOf(p.frames, f) === FrameKind.thread)
    return name.replace(/^thread \((\d+)\): (.*)$/, '$2 (<thread>:$1)');
  return `${name} (${stringAt(p.strings, p.frames.file[f])}:${p.frames.line[f]})`;
}

const files = ['.pyisession', '.json', '.html'].flatMap((ext) =>
  fixtureFiles('pyinstrument', ext).filter((f) => !/speedscope|-pstats|truth/.test(f)),
);

describe('pyinstrument files', () => {
  it('covers sessions, JSON and HTML', () => expect(files.length).toBe(7));

  it.each(files.map((f) => [basename(f), f]))('%s: the stacks and times pyinstrument reports', (_, f) => {
    const truth = readJson<Truth>(`${f}.truth.json`);
    const p = parsePyinstrument(readBytes(f), basename(f));
    expect(p.format).toBe('pyinstrument');
    expect(p.unit).toBe('seconds');
    // The JSON and HTML print times with six decimals.
    const tolerance = f.endsWith('.pyisession') ? 1e-9 : 1e-5;
    expect(sameStacks(stacksOf(p, truthFrame), truth.stacks, tolerance)).toEqual([]);
    expect(Math.abs(p.samples - truth.total_time)).toBeLessThan(tolerance * 10);
    if (f.endsWith('.pyisession')) {
      const t = p.timeline!;
      expect(t.time[0]).toBe(0);
      expect(t.time[t.time.length - 1]).toBeLessThan(truth.duration * 1e6);
      expect(frameKindOf(p.frames, p.tree.frame[0])).toBe(FrameKind.thread);
    }
  });

  it('refuses what holds no frames, and reads deep trees without recursion', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(() => parsePyinstrument(enc('{"start_time": 1, "root_frame": null}'), 'e.json')).toThrow(
      /records no frames/,
    );
    expect(() => parsePyinstrument(enc('<html><script>const sessionData = {"session": {'), 'e.html')).toThrow(
      ProfileError,
    );
    let deep = '{"function": "f", "file_path": "a.py", "line_no": 1, "time": 1, "children": []}';
    for (let i = 0; i < 50000; i++)
      deep = `{"function": "f", "file_path": "a.py", "line_no": 1, "time": 1, "children": [${deep}]}`;
    const p = parsePyinstrument(enc(`{"start_time": 0, "root_frame": ${deep}}`), 'deep.json');
    expect(p.tree.count).toBe(50001);
    expect(p.samples).toBe(1);
  });
});
