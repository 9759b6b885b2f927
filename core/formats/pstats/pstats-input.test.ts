import { describe, expect, it } from 'vitest';
import { ProfileError, withCalls, type Profile } from '~/core/model/profile';
import { MarshalReader } from './marshal';
import { parsePstats, readPstats } from './read-pstats';
import { toPstatsJson } from '~/core/export/pstats-json';
import { fixtureFiles, readBytes } from '~/test/fixtures';
import { code, func, int32, m, stats } from '~/test/marshal-writer';
import { stringAt } from '~/core/model/string-pack';

function errorOf(bytes: Uint8Array | number[]): ProfileError {
  try {
    parsePstats(bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes), 'x.prof');
  } catch (e) {
    expect(e).toBeInstanceOf(ProfileError);
    return e as ProfileError;
  }
  throw new Error('expected the parse to fail');
}

describe('marshal values', () => {
  it('reads longs beyond 2^53 exactly as bigints', () => {
    // 2^60 + 1 = digits of 15 bits: [1, 0, 0, 0, 1]
    const r = new MarshalReader(Uint8Array.from(m.long([1, 0, 0, 0, 1])));
    expect(r.read()).toBe(2n ** 60n + 1n);
    expect(new MarshalReader(Uint8Array.from(m.long([5, 1], true))).read()).toBe(-(5 + 2 ** 15));
  });

  it('reads text floats (marshal 0/1) and binary floats', () => {
    expect(new MarshalReader(Uint8Array.from(m.textFloat('0.1'))).read()).toBe(0.1);
    expect(new MarshalReader(Uint8Array.from(m.float(1e-300))).read()).toBe(1e-300);
  });

  it('warns, not silently, when a count beyond 2^53 is rounded', () => {
    const big = m.long([1, 0, 0, 0, 1]);
    const bytes = m.dict([func('a.py', 1, 'f'), m.tuple(big, big, m.textFloat('1.5'), m.float(2.5), m.dict())]);
    const p = parsePstats(Uint8Array.from(bytes), 'big.prof');
    expect(p.pstats!.nc[0]).toBe(2 ** 60);
    expect(p.pstats!.tt[0]).toBe(1.5);
    expect(p.warnings.join()).toMatch(/2 integers beyond 2\^53 .* rounded/);
  });

  it('reads the entries first and their callers after, with references into the callers read where they point', () => {
    // Slots, in the order written: 0 the key of b in a's callers, 1 its name, 2 the count 7, 3 the key of d, 4 its name.
    const keyOfB = m.flagged(m.tuple(m.short('b.py'), m.int(2), m.flagged(m.short('b'))));
    const keyOfD = m.flagged(m.tuple(m.short('d.py'), m.int(4), m.flagged(m.short('d'))));
    const bytes = m.dict(
      [
        func('a.py', 1, 'a'),
        m.tuple(
          m.int(1),
          m.int(1),
          m.float(1),
          m.float(3),
          m.dict(
            [keyOfB, m.tuple(m.flagged(m.int(7)), m.ref(2), m.float(0.5), m.float(2))],
            [keyOfD, m.tuple(m.int(1), m.int(1), m.float(0), m.float(0))],
          ),
        ),
      ],
      [
        m.ref(0),
        m.tuple(
          m.ref(2),
          m.ref(2),
          m.float(0.5),
          m.float(2),
          m.dict([func('a.py', 1, 'a'), m.tuple(m.int(1), m.int(1), m.float(0), m.float(0))]),
        ),
      ],
      [
        m.tuple(m.short('c.py'), m.int(3), m.ref(4)),
        m.tuple(m.int(1), m.int(1), m.float(0.25), m.float(0.25), m.dict()),
      ],
    );
    const reading = readPstats(Uint8Array.from(bytes), 'refs.prof');
    const { profile } = reading;
    const labels = (p: Profile) => Array.from(p.frames.label, (l) => stringAt(p.strings, l));
    expect(labels(profile)).toEqual(['a.py:1(a)', 'b.py:2(b)', 'c.py:3(d)']);
    expect(Array.from(profile.pstats!.nc)).toEqual([1, 7, 1]);
    expect(profile.pstats!.edgeCaller.length).toBe(0);
    const whole = withCalls(profile, reading.calls());
    // d calls a but was never profiled itself: a frame of its own, after the entries.
    expect(labels(whole)).toEqual(['a.py:1(a)', 'b.py:2(b)', 'c.py:3(d)', 'd.py:4(d)']);
    expect(whole).toEqual(parsePstats(Uint8Array.from(bytes), 'refs.prof'));
    expect(toPstatsJson(whole).entries.map((e) => e.callers)).toEqual([
      [
        [
          ['b.py', 2, 'b'],
          [7, 7, 0.5, 2],
        ],
        [
          ['d.py', 4, 'd'],
          [1, 1, 0, 0],
        ],
      ],
      [
        [
          ['a.py', 1, 'a'],
          [1, 1, 0, 0],
        ],
      ],
      [],
    ]);
  });

  it('reads a key whose line is not a small int where a reference to it was passed over', () => {
    // Slot 0: the key of a, written first among g's callers, its line a long.
    const keyOfA = m.flagged(m.tuple(m.short('a.py'), m.long([0, 0, 2]), m.short('f')));
    const numbers = m.tuple(m.int(1), m.int(1), m.float(0.5), m.float(0.5));
    const bytes = m.dict(
      [
        m.tuple(m.short('g.py'), m.int(1), m.short('g')),
        m.tuple(m.int(1), m.int(1), m.float(1), m.float(2), m.dict([keyOfA, numbers])),
      ],
      [m.ref(0), m.tuple(m.int(1), m.int(1), m.float(0.5), m.float(0.5), m.dict())],
    );
    const p = parsePstats(Uint8Array.from(bytes), 'long.prof');
    expect(Array.from(p.frames.label, (l) => stringAt(p.strings, l))).toEqual(['g.py:1(g)', 'a.py:2147483648(f)']);
    expect(Array.from(p.pstats!.edgeCaller)).toEqual([1]);
  });

  it('tells functions with empty names apart by file and line, and finds each again', () => {
    const a = () => m.tuple(m.short('a.py'), m.int(1), m.short('')),
      b = () => m.tuple(m.short('b.py'), m.int(5), m.short(''));
    const numbers = m.tuple(m.int(1), m.int(1), m.float(0.1), m.float(0.1));
    const bytes = m.dict(
      [
        m.tuple(m.short('g.py'), m.int(2), m.short('g')),
        m.tuple(m.int(1), m.int(1), m.float(0.1), m.float(0.3), m.dict()),
      ],
      [
        a(),
        m.tuple(
          m.int(1),
          m.int(1),
          m.float(0.1),
          m.float(0.1),
          m.dict([m.tuple(m.short('g.py'), m.int(2), m.short('g')), numbers]),
        ),
      ],
      [b(), m.tuple(m.int(1), m.int(1), m.float(0.1), m.float(0.1), m.dict([a(), numbers]))],
    );
    const p = parsePstats(Uint8Array.from(bytes), 'empty.prof');
    expect(Array.from(p.frames.label, (l) => stringAt(p.strings, l))).toEqual(['g.py:2(g)', 'a.py:1()', 'b.py:5()']);
    expect(Array.from(p.pstats!.edgeCaller)).toEqual([0, 1]);
  });

  it('writes each line number into its label as Python prints it', () => {
    const entry = (key: number[]) =>
      [key, m.tuple(m.int(1), m.int(1), m.float(0), m.float(0), m.dict())] as [number[], number[]];
    const lines = [0, 9, 10, 1234567890, 2147483647, -3];
    const bytes = m.dict(
      ...lines.map((line) => entry(func('a.py', line, 'f'))),
      entry(m.tuple(m.str('a.py'), m.long([0, 0, 2]), m.str('f'))),
    );
    const p = parsePstats(Uint8Array.from(bytes), 'lines.prof');
    // Python 2's marshal codes only: the entries come in its dict order.
    expect(Array.from(p.frames.label, (l) => stringAt(p.strings, l)).sort()).toEqual(
      [...lines, 2 ** 31].map((line) => `a.py:${line}(f)`).sort(),
    );
  });

  it('reads the profile module shape: callers as plain counts', () => {
    const bytes = m.dict(
      [func('a.py', 1, 'f'), m.tuple(m.int(1), m.int(1), m.float(1), m.float(3), m.dict())],
      [
        func('a.py', 9, 'g'),
        m.tuple(m.int(2), m.int(4), m.float(2), m.float(2), m.dict([func('a.py', 1, 'f'), m.int(4)])),
      ],
    );
    const json = toPstatsJson(parsePstats(Uint8Array.from(bytes), 'p.prof'));
    expect(json.total_calls).toBe(5);
    expect(json.prim_calls).toBe(3);
    expect(json.entries[1].callers).toEqual([[['a.py', 1, 'f'], 4]]);
  });
});

describe('code objects', () => {
  const labels = (p: Profile) => Array.from(p.frames.label, (l) => stringAt(p.strings, l));

  it('names the entry python -m profile writes for the script by its code object, in the layout of each Python', () => {
    for (const layout of ['2.7', '3.7', '3.10', '3.11'] as const) {
      const script = m.tuple(m.str('profile'), m.int(0), code(layout, '<module>', 'app.py', 1));
      const bytes = m.dict(
        [script, stats(1, 1, 0.25, 1)],
        [func('app.py', 3, 'main'), stats(1, 1, 0.75, 0.75, [script, m.int(1)])],
      );
      const p = parsePstats(Uint8Array.from(bytes), 'p.prof');
      expect(labels(p).sort(), layout).toEqual([
        'app.py:3(main)',
        'profile:0(<code object <module>, file "app.py", line 1>)',
      ]);
      expect(toPstatsJson(p).entries.find((e) => e.func[1] === 3)!.callers).toEqual([
        [['profile', 0, '<code object <module>, file "app.py", line 1>'], 1],
      ]);
    }
  });

  it("shows a first line of 0 as -1, and cuts Python 2's name at 100 characters, as repr does", () => {
    const entry = (c: number[]) => [m.tuple(m.str('profile'), m.int(0), c), stats(1, 1, 1, 1)] as [number[], number[]];
    expect(labels(parsePstats(Uint8Array.from(m.dict(entry(code('3.11', 'f', 'a.py', 0)))), 'p.prof'))).toEqual([
      'profile:0(<code object f, file "a.py", line -1>)',
    ]);
    expect(
      labels(parsePstats(Uint8Array.from(m.dict(entry(code('2.7', 'g'.repeat(120), 'a.py', 2)))), 'p.prof')),
    ).toEqual([`profile:0(<code object ${'g'.repeat(100)}, file "a.py", line 2>)`]);
  });

  it("a code object anywhere but a function's name is an error at its byte", () => {
    const c = code('3.11', 'f', 'a.py', 1);
    expect(
      errorOf(m.dict([func('a.py', 1, 'f'), m.tuple(c, m.int(1), m.float(1), m.float(1), m.dict())])).message,
    ).toBe('cc should be a number but is a code object (at byte 26)');
    expect(errorOf(m.dict([c, stats(1, 1, 1, 1)])).message).toBe(
      'a function key should be a (file, line, name) tuple but is a code object (at byte 1)',
    );
    expect(errorOf(m.dict([func('a.py', 1, 'f'), stats(1, 1, 1, 1, [func('b.py', 2, 'g'), c])])).message).toMatch(
      /^a caller's numbers should be a 4-tuple or a count but are a code object \(at byte \d+\)$/,
    );
  });

  it("a code object of no Python's layout is an error, not a guess", () => {
    const c = code('3.11', 'f', 'a.py', 1);
    // Its name an int where every layout has a string.
    const bad = [
      ...c.slice(0, 21),
      ...m.bytes(''),
      ...m.tuple(),
      ...m.tuple(),
      ...m.tuple(),
      ...m.bytes(''),
      ...m.str('a.py'),
      ...m.int(5),
    ];
    expect(errorOf(m.dict([m.tuple(m.str('profile'), m.int(0), bad), stats(1, 1, 1, 1)])).message).toMatch(
      /^a code object field should be a (string|tuple) but is a \w+ \(at byte \d+\)$/,
    );
  });

  it('a python -m profile file truncated at every offset fails with a ProfileError', () => {
    for (const name of ['app-py27-profile.prof', 'app-py311-profile.prof']) {
      const bytes = readBytes(fixtureFiles('pstats/cli/out', '.prof').find((f) => f.endsWith(name))!);
      for (let n = 1; n < bytes.length; n++)
        expect(errorOf(bytes.subarray(0, n)).message).toMatch(
          /truncated|bytes left|should be|unexpected|holds no functions/,
        );
    }
  });
});

describe('bad input', () => {
  it('an empty file', () => {
    expect(errorOf([]).message).toBe('the file is empty');
  });

  it('a PNG', () => {
    expect(errorOf([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).message).toMatch(/PNG image/);
  });

  it('a marshal stream of the wrong shape, with the byte offset', () => {
    const e = errorOf(m.dict([m.str('not a tuple'), m.int(1)]));
    expect(e.message).toBe(
      'a function key should be a (file, line, name) tuple but is the string "not a tuple" (at byte 1)',
    );
    expect(errorOf(m.dict([func('a.py', 1, 'f'), m.tuple(m.int(1), m.int(1))])).message).toBe(
      'the stats of a function should be a 5-tuple but has 2 items (at byte 26)',
    );
    expect(
      errorOf(m.dict([func('a.py', 1, 'f'), m.tuple(m.int(1), m.int(1), m.float(1), m.str('x'), m.dict())])).message,
    ).toMatch(/^ct should be a number but is the string "x"/);
  });

  it('a function written twice, whether its name comes again or by reference', () => {
    const stats = m.tuple(m.int(1), m.int(1), m.float(1), m.float(1), m.dict());
    expect(
      errorOf(m.dict([func('a.py', 1, 'f'), stats], [func('b.py', 1, 'f'), stats], [func('a.py', 1, 'f'), stats]))
        .message,
    ).toMatch(/^a function appears twice in the profile \(at byte \d+\)$/);
    const byReference = m.dict(
      [m.tuple(m.short('a.py'), m.int(1), m.flagged(m.short('f'))), stats],
      [m.tuple(m.short('a.py'), m.int(1), m.ref(0)), stats],
    );
    expect(errorOf(byReference).message).toMatch(/^a function appears twice in the profile/);
  });

  it('deep nesting stops with a message, not a stack overflow', () => {
    const deep = [0x7b, ...new Array(100_000).fill(0x5b).flatMap(() => [0x5b, ...int32(1)])];
    expect(errorOf(deep).message).toMatch(/nested deeper than 100 levels \(at byte \d+\)/);
  });

  it('absurd lengths fail before allocating', () => {
    const e = errorOf([0x7b, 0x28, ...int32(2_000_000_000)]);
    expect(e.message).toMatch(/invalid length 2000000000: only 0 bytes left \(at byte 1\)/);
  });

  it('a real file truncated at every offset fails with a ProfileError', () => {
    const bytes = readBytes(fixtureFiles('pstats/out', '.prof').find((f) => f.endsWith('seeds-py312-cprofile.prof'))!);
    for (let n = 1; n < bytes.length; n++) {
      const e = errorOf(bytes.subarray(0, n));
      expect(e.message).toMatch(/truncated|should be|unexpected|holds no functions/);
    }
    expect(errorOf(bytes.subarray(0, 1000)).message).toMatch(/^the file is truncated: .* \(at byte \d+\)$/);
  });
});
