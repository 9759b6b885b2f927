import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir } from '~/test/fixtures';
import { IDLE_NODE, ProfileError } from '~/core/model/profile';
import { openProfile } from '../open-profile';
import { MAX_FRAME_CHARS, MAX_STACK_FRAMES, MAX_WEIGHT } from './stack-collector';
import { splitColonFrame, splitParenFrame } from './frame-parts';
import { LineSplitter, parseStackStream, parseStackText } from './read-stacks';
import { sampledStats } from '~/core/analysis/sampled-stats';
import { allStrings, stringAt } from '~/core/model/string-pack';
import { chunked } from '~/test/streams';

const SAMPLE = resolve(fixturesDir, 'pyflame/idle-py36-trace-default.samp');

const utf8 = (text: string) => new TextEncoder().encode(text);

/** Deterministic noise: the bytes of a made-up binary file. */
function noise(n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = 2463534242;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

describe('unreadable input', () => {
  it('rejects an empty file', async () => {
    expect(() => parseStackText('', 'empty.samp')).toThrow(new ProfileError('the file is empty'));
    await expect(parseStackStream(chunked(new Uint8Array(0), 1), 'empty.samp')).rejects.toThrow('the file is empty');
    await expect(openProfile(new Blob([gzipSync(new Uint8Array(0))]), 'empty.samp.gz')).rejects.toThrow(
      'the file is empty',
    );
  });

  it('rejects binary data as neither pstats nor text stacks', async () => {
    await expect(parseStackStream(chunked(noise(200_000), 7000), 'x.samp')).rejects.toThrow(ProfileError);
    await expect(parseStackStream(chunked(noise(200_000), 7000), 'x.samp')).rejects.toThrow(
      /it is binary, but not a pstats file/,
    );
    const nuls = new Uint8Array(10_000);
    nuls.set(utf8('a;b 1\n'));
    expect(() => parseStackText(new TextDecoder().decode(nuls), 'x.samp')).toThrow(
      /it is binary, but not a pstats file/,
    );
  });

  it('names an HTML page, which a server sends for an address with nothing there', async () => {
    for (const page of ['\n  <!DOCTYPE html>\n<html lang="en"><head>', '<html>\n<body>404</body></html>\n']) {
      for (const bytes of [utf8(page), gzipSync(utf8(page))]) {
        await expect(openProfile(new Blob([bytes]), 'run.prof')).rejects.toThrow('this is an HTML page, not a profile');
      }
    }
    await expect(openProfile(new Blob([utf8('html;body 1\n')]), 'x.folded')).resolves.toMatchObject({ samples: 1 });
  });

  it('names the first bad line when no line reads as a stack, and what Kiln reads', () => {
    expect(() => parseStackText('\nhello world\nnot a stack\n', 'x.folded')).toThrow(
      /^this is not a profile: no line reads as a stack \(the first that does not is line 2\)\. Kiln reads pstats/,
    );
    expect(() => parseStackText('\n  \n\r\n', 'x.folded')).toThrow('the file holds no stack lines');
  });

  it('rejects damaged gzip data', async () => {
    const gz = gzipSync(readFileSync(SAMPLE));
    const damaged = gz.slice(0, gz.length - 20);
    await expect(openProfile(new Blob([damaged]), 'x.samp.gz')).rejects.toThrow(/gzip data is damaged/);
  });
});

describe('lines that cannot be read', () => {
  it('counts a stack without a count and goes on', () => {
    const p = parseStackText('a.py:f:1;a.py:g:2 3\na.py:f:1;a.py:h:4\n\na.py:f:1 2.5\n', 'x.folded');
    expect(p.samples).toBe(5.5);
    expect(p.invalidLines).toBe(1);
    expect(p.invalidLineNumbers).toEqual([2]);
  });

  it('keeps the first ten bad line numbers and counts them all', () => {
    const lines = ['a:f:1 1'];
    for (let i = 0; i < 25; i++) lines.push(`noise ${i} x`);
    // With as many stacks after them, the file is still mostly stacks.
    for (let i = 0; i < 25; i++) lines.push('a:f:1 1');
    const p = parseStackText(lines.join('\n'), 'x.folded');
    expect(p.invalidLines).toBe(25);
    expect(p.invalidLineNumbers).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it(`counts a stack deeper than ${MAX_STACK_FRAMES} frames as unreadable`, async () => {
    const deep = `${'a:f:1;'.repeat(MAX_STACK_FRAMES)}a:g:2 7`;
    const limit = `${'a:f:1;'.repeat(MAX_STACK_FRAMES - 1)}a:g:2 3`;
    const p = parseStackText(`a:f:1 1\n${deep}\n${limit}\n`, 'x.folded');
    expect(p.invalidLineNumbers).toEqual([2]);
    expect(p.samples).toBe(4);
    expect(Math.max(...p.tree.depth)).toBe(MAX_STACK_FRAMES - 1);
    expect(p.warnings).toEqual(['Line 2 holds more than 20,000 frames, and was skipped with any other such line.']);
    // Read from bytes (a stream past the first lines) the same line says the same.
    const lines = Array.from({ length: 80 }, () => 'a:f:1 1');
    lines[70] = deep;
    const streamed = await parseStackStream(new Blob([`${lines.join('\n')}\n`]).stream(), 'x.folded');
    expect(streamed.warnings).toEqual([
      'Line 71 holds more than 20,000 frames, and was skipped with any other such line.',
    ]);
  });

  it(`counts a stack with a frame longer than ${MAX_FRAME_CHARS} characters as unreadable`, () => {
    const long = 'x'.repeat(MAX_FRAME_CHARS);
    const p = parseStackText(`a:f:1;${long}y 7\na:f:1;${long} 2\na:f:1 1\n`, 'x.folded');
    expect(p.invalidLineNumbers).toEqual([1]);
    expect(p.samples).toBe(3);
    expect(p.warnings).toEqual([
      'Line 1 holds a frame longer than 65,536 characters, and was skipped with any other such line.',
    ]);
    const austin = parseStackText(`Thread ${long};f (a.py);L1 5\nThread 1;f (a.py);L1 4\n`, 'a.txt');
    expect(austin.format).toBe('austin');
    expect(austin.invalidLineNumbers).toEqual([1]);
    expect(austin.warnings).toContain(
      'Line 1 holds a frame longer than 65,536 characters, and was skipped with any other such line.',
    );
    expect(austin.samples).toBe(4);
  });

  it('lists no function of a refused line in the table, as text and from bytes', async () => {
    const plain = Array.from({ length: 100 }, (_, i) => `m.py:main:1;m.py:f${i % 7}:2 ${i + 1}`).join('\n');
    const text = `${plain}\nm.py:refused:1;${'x'.repeat(MAX_FRAME_CHARS + 1)} 1\nm.py:kept:3 2\n`;
    for (const p of [parseStackText(text, 'x.folded'), await parseStackStream(new Blob([text]).stream(), 'x.folded')]) {
      expect(p.invalidLineNumbers).toEqual([101]);
      const s = sampledStats(p);
      const shown = Array.from(s.frame, (f) => stringAt(p.strings, p.frames.name[f]));
      expect(shown).toContain('kept');
      expect(shown).not.toContain('refused');
      expect(shown).toHaveLength(9);
      expect(s.self.reduce((a, b) => a + b, 0)).toBe(p.samples);
    }
  });

  it('stores a line number past 2^31 as none rather than wrapped', () => {
    const p = parseStackText('f.py:g:99999999999 1\nf.py:h:4294967295 1\nf.py:k:2147483647 1\n', 'x.folded');
    expect(Array.from(p.frames.line)).toEqual([-1, -1, 2147483647]);
    expect(allStrings(p.strings)).toContain('f.py:g:99999999999');
  });

  it(`counts a line whose count or time exceeds ${MAX_WEIGHT} as unreadable, so sums stay finite`, () => {
    const huge = '9'.repeat(400);
    const p = parseStackText(`a:f:1 ${huge}\na:f:1 2\n(idle) ${huge}\n(idle) 1\na:f:1 ${MAX_WEIGHT}\n`, 'x.samp');
    expect(p.invalidLineNumbers).toEqual([1, 3]);
    expect([p.samples, p.idle]).toEqual([MAX_WEIGHT + 2, 1]);
    const austin = parseStackText(
      `Thread 1;f (a.py);L1 ${huge}\nThread 1;f (a.py);L1 3\nThread 1;f (a.py);L1 1 2 ${huge}\nThread 1;f (a.py);L1 0\n`,
      'a.txt',
    );
    expect(austin.invalidLineNumbers).toEqual([1, 3]);
    expect(austin.samples).toBe(3);
  });

  it('counts a negative time as unreadable; in memory mode it is memory released', () => {
    const v1 = parseStackText(
      'Thread 1;f (a.py);L1 -5\nThread 1;f (a.py);L1 3\nThread 1;f (a.py);<idle> -2\nThread 1;f (a.py);L1 0\n',
      'a.txt',
    );
    expect(v1.invalidLineNumbers).toEqual([1, 3]);
    expect(v1.samples).toBe(3);
    const v3 = (mode: string) =>
      parseStackText(`# austin: 3.6.0\n# mode: ${mode}\nP1;T0:1;a.py:f:1 -4096\nP1;T0:1;a.py:f:1 2048\n`, 'a.txt');
    expect(v3('wall').invalidLineNumbers).toEqual([3]);
    expect(v3('memory').invalidLines).toBe(0);
    expect(v3('memory').samples).toBe(2);
  });

  it('puts flamechart samples whose clock went back in time order, from the earliest', () => {
    const t0 = 1514862014000000;
    const text = `${t0}\na.py:f:1;\n${t0 + 100}\na.py:g:2;\n${t0 - 50}\n(idle)\n${t0 + 100}\na.py:f:1;\n`;
    const p = parseStackText(text, 'x.samp');
    expect(p.format).toBe('pyflame');
    expect(Array.from(p.timeline!.time)).toEqual([0, 50, 150, 150]);
    expect(p.timeline!.firstUs).toBe(t0 - 50);
    const leafName = (k: number) => stringAt(p.strings, p.frames.name[p.tree.frame[p.timeline!.node[k]]]);
    expect(p.timeline!.node[0]).toBe(IDLE_NODE);
    expect([leafName(1), leafName(2), leafName(3)]).toEqual(['f', 'g', 'f']);
    expect(p.warnings).toContain(
      'Some timestamps are earlier than those before them: the time order shows the samples sorted by time.',
    );
  });

  it('reads no run of more than 16 digits as a flamechart timestamp', () => {
    const p = parseStackText(
      `1500000000000000\na:f:1;\n${'1'.repeat(400)}\na:f:1;\n1500000000000900\na:f:1;\n`,
      'x.samp',
    );
    expect(p.invalidLineNumbers).toEqual([3, 4]);
    expect(Array.from(p.timeline!.time)).toEqual([0, 900]);
  });

  it('skips a 50 MB line, as text and as a stream', async () => {
    const huge = `a.py:f:1;a.py:g:2 1\n${'a.py:f:1;'.repeat(50_000_000 / 9)} 5\na.py:f:1 2\n`;
    const p = parseStackText(huge, 'huge.folded');
    expect(p.samples).toBe(3);
    expect(p.invalidLineNumbers).toEqual([2]);

    const bytes = utf8(huge);
    const s = await parseStackStream(chunked(bytes, 1 << 20), 'huge.folded');
    expect(s.samples).toBe(3);
    expect(s.invalidLineNumbers).toEqual([2]);
  });
});

describe('line splitting', () => {
  const linesOf = (chunks: string[], maxChars?: number) => {
    const out: string[] = [];
    const splitter = new LineSplitter(
      (text, n) => out.push(`${n}:${text}`),
      (n) => out.push(`${n}:overlong`),
      maxChars,
    );
    for (const c of chunks) splitter.push(c);
    splitter.end();
    return out;
  };

  it('joins lines split across chunks, drops CR before LF and skips blank lines', () => {
    expect(linesOf(['ab', 'c\r', '\n\r\n  \nd', 'e\r\nf'])).toEqual(['1:abc', '4:de', '5:f']);
    expect(linesOf(['x\n', '', 'y'])).toEqual(['1:x', '2:y']);
  });

  it('reports an overlong line once, whichever chunks carry it', () => {
    expect(linesOf(['ok\n12345', '6789', '0\nok'], 8)).toEqual(['1:ok', '2:overlong', '3:ok']);
    expect(linesOf(['ok\n1234567890123\nok'], 8)).toEqual(['1:ok', '2:overlong', '3:ok']);
    expect(linesOf(['1234567890'], 8)).toEqual(['1:overlong']);
  });

  it('reads a CRLF file as the LF one', () => {
    const text = readFileSync(SAMPLE, 'utf8');
    const lf = parseStackText(text, 'x.samp');
    const crlf = parseStackText(text.replaceAll('\n', '\r\n'), 'x.samp');
    expect(crlf.samples).toBe(lf.samples);
    expect(crlf.idle).toBe(lf.idle);
    expect(crlf.tree.self).toEqual(lf.tree.self);
    expect(allStrings(crlf.strings)).toEqual(allStrings(lf.strings));
  });

  it('reads UTF-16 text that starts with a byte-order mark', async () => {
    const text = '\ufeffa.py:f:1;a.py:g:2 3\r\na.py:f:1 4\r\n';
    const bytes = new Uint8Array(text.length * 2);
    for (let i = 0; i < text.length; i++) {
      bytes[2 * i] = text.charCodeAt(i) & 0xff;
      bytes[2 * i + 1] = text.charCodeAt(i) >> 8;
    }
    const p = await parseStackStream(chunked(bytes, 5), 'ps.folded');
    expect(p.samples).toBe(7);
    expect(allStrings(p.strings)).toContain('a.py:g:2');
  });

  it('decodes characters split across byte chunks', async () => {
    const text = 'módulo.py:función:3;módulo.py:größe:7 2\n';
    const p = await parseStackStream(chunked(utf8(text), 3), 'x.folded');
    expect(p.samples).toBe(2);
    expect(allStrings(p.strings)).toContain('función');
    expect(allStrings(p.strings)).toContain('módulo.py:größe:7');
  });
});

describe('frame splitting', () => {
  it('splits colon frames from the right', () => {
    expect(splitColonFrame('/a/b.py:main:45')).toEqual({ file: '/a/b.py', name: 'main', line: 45 });
    expect(splitColonFrame('C:\\work\\b.py:main:45')).toEqual({ file: 'C:\\work\\b.py', name: 'main', line: 45 });
    expect(splitColonFrame('<frozen importlib._bootstrap>:_load:665')).toEqual({
      file: '<frozen importlib._bootstrap>',
      name: '_load',
      line: 665,
    });
    expect(splitColonFrame('/a/b.py:<module>')).toEqual({ file: '/a/b.py', name: '<module>', line: -1 });
    expect(splitColonFrame('main')).toEqual({ file: '', name: 'main', line: -1 });
    expect(splitColonFrame('main:12')).toEqual({ file: '', name: 'main', line: 12 });
  });

  it('splits parenthesised frames', () => {
    expect(splitParenFrame('run (/usr/lib/threading.py:870)')).toEqual({
      file: '/usr/lib/threading.py',
      name: 'run',
      line: 870,
    });
    expect(splitParenFrame('run (/home/me/My Work (copy)/t.py)')).toEqual({
      file: '/home/me/My Work (copy)/t.py',
      name: 'run',
      line: -1,
    });
    expect(splitParenFrame('thread (0x7F3B2C1E6740)')).toEqual({ file: '', name: 'thread (0x7F3B2C1E6740)', line: -1 });
    expect(splitParenFrame('<idle>')).toEqual({ file: '', name: '<idle>', line: -1 });
  });
});
