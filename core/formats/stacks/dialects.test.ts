import { describe, expect, it } from 'vitest';
import type { Profile } from '~/core/model/profile';
import { stringAt } from '~/core/model/string-pack';
import { stacksOf } from '~/test/fixtures';
import { parseStackStream, parseStackText } from './read-stacks';

const labels = (p: Profile) => stacksOf(p, (q, f) => stringAt(q.strings, q.frames.label[f]));
const parts = (p: Profile, label: string) => {
  const f = [...Array(p.frames.count).keys()].find((i) => stringAt(p.strings, p.frames.label[i]) === label)!;
  return [stringAt(p.strings, p.frames.file[f]), stringAt(p.strings, p.frames.name[f]), p.frames.line[f]];
};
const streamOf = (bytes: Uint8Array) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(bytes);
      c.close();
    },
  });

describe('stack text as the tools write it', () => {
  it('austin 2.x: a line item `L884` is the line of the frame before it, not a function', () => {
    const p = parseStackText(
      '# austin: 2.1.1\nP42;T7f3a;/app/main.py:<module>;L12;/usr/lib/python3.9/json/encoder.py:encode;L884 150\nP42;T7f3a;/app/main.py:<module>:13 50\n',
      'a.austin',
    );
    expect(p.format).toBe('austin');
    expect(labels(p)).toEqual({
      'P42;T7f3a;/app/main.py:<module>:12;/usr/lib/python3.9/json/encoder.py:encode:884': 150,
      'P42;T7f3a;/app/main.py:<module>:13': 50,
    });
    expect(parts(p, '/usr/lib/python3.9/json/encoder.py:encode:884')).toEqual([
      '/usr/lib/python3.9/json/encoder.py',
      'encode',
      884,
    ]);
  });

  it('an empty stack (` 2`) is counted, as idle', () => {
    const p = parseStackText('a.py:main:1;a.py:f:2 5\n 2\n', 'x.folded');
    expect([p.samples, p.idle, p.invalidLines]).toEqual([5, 2, 0]);
  });

  it('two-count lines (difffolded.pl) are two profiles: the second counts, the first its baseline', () => {
    const p = parseStackText('main;a;b 16 20\nmain;c 4 0\nmain 0 3\n 1 2\n', 'diff.folded');
    expect(labels(p)).toEqual({ 'main;a;b': 20, main: 3 });
    expect([p.samples, p.idle, p.tree.count]).toEqual([23, 2, 3]);
    const base = p.baseline!;
    expect(labels(base)).toEqual({ 'main;a;b': 16, 'main;c': 4 });
    expect([base.samples, base.idle, base.tree.count]).toEqual([20, 1, 4]);
    expect([base.fileName, base.format, base.baseline]).toEqual(['diff.folded (before)', 'folded', undefined]);
    expect([...p.warnings, ...base.warnings]).toEqual([]);
  });

  it('CRLF line endings and UTF-16 with a byte-order mark read as UTF-8 with LF does', async () => {
    const text = 'main;é.py:f:1 3\nmain;g 2\n';
    const plain = labels(parseStackText(text, 'x'));
    expect(labels(parseStackText(text.replace(/\n/g, '\r\n'), 'x'))).toEqual(plain);
    const utf16 = new Uint8Array(2 + 2 * text.length);
    utf16.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) new DataView(utf16.buffer).setUint16(2 + 2 * i, text.charCodeAt(i), true);
    expect(labels(await parseStackStream(streamOf(utf16), 'x'))).toEqual(plain);
  });
});
