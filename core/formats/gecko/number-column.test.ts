import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toFolded } from '~/core/export/folded';
import type { Profile } from '~/core/model/profile';
import { fixtureFiles, readBytes } from '~/test/fixtures';
import { splitJson } from '../json/json-split';
import { NumberColumnReader, elementAt } from './number-column';
import { parseGecko, parseGeckoStream } from './read-gecko';
import { chunked, utf16WithMark } from '~/test/streams';

/** Number literals as JSON writes them and as hands write them, with the elements that are not numbers. */
function literals(): string[] {
  const fixed = ['0', '-0', '7', '-7', '0.5', '1.25', '123456789012345', '1234567890123456789', '9007199254740993'];
  fixed.push('1e3', '1E-7', '-2.5e+10', '0.1', '0.30000000000000004', '3.141592653589793', '1.0000000000000002');
  fixed.push('12.3456789012345678901234', '0.000001', 'null', '"text"', '{"a":1}', '[1,2]', 'true', '2147483648');
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let k = 0; k < 3000; k++) {
    const r = next();
    if (r < 0.4) fixed.push(String(Math.floor(next() * 10 ** Math.floor(next() * 16))));
    else if (r < 0.8) fixed.push(String((next() - 0.5) * 10 ** Math.floor(next() * 12)));
    else fixed.push(String(next() * 10 ** (Math.floor(next() * 40) - 20)));
  }
  return fixed;
}

describe('a table column read from its bytes', () => {
  it('holds each element as JSON.parse reads it, in chunks of any size', async () => {
    const items = literals();
    const doc = `{"t":[${items.join(', ')}]}`;
    const expected = JSON.parse(doc).t as unknown[];
    for (const size of [1, 7, 4096]) {
      const reader = new NumberColumnReader();
      await splitJson(chunked(new TextEncoder().encode(doc), size), (p) => (p[0] === 't' ? reader : undefined), 'x');
      const column = reader.column();
      expect(column.values.length).toBe(expected.length);
      for (let i = 0; i < expected.length; i++) {
        const want = expected[i];
        const got = elementAt(column, i);
        if (typeof want === 'number')
          expect(Object.is(got, want), `${items[i]} in chunks of ${size}: ${got}`).toBe(true);
        else expect(got).toEqual(want);
      }
    }
  });
});

function sameProfile(a: Profile, b: Profile, what: string): void {
  expect(toFolded(a), what).toBe(toFolded(b));
  expect(a.samples, what).toBe(b.samples);
  expect(a.timeline?.time, what).toEqual(b.timeline?.time);
  expect(a.timeline?.node, what).toEqual(b.timeline?.node);
  expect(a.intervals?.start, what).toEqual(b.intervals?.start);
  expect(a.intervals?.end, what).toEqual(b.intervals?.end);
}

describe.each(fixtureFiles('tachyon', '.gecko.json'))('Tachyon gecko %s read as it arrives', (path) => {
  const b = readBytes(path);
  const text = new TextDecoder().decode(b);
  // The same document read by JSON.parse alone, since UTF-16 is not scanned.
  const parsed = parseGecko(utf16WithMark(text), basename(path));

  it('gives what JSON.parse of the whole file gives, in chunks of any size', async () => {
    sameProfile(parseGecko(b, basename(path)), parsed, 'whole');
    for (const size of [1, 7, 4096]) sameProfile(await parseGeckoStream(chunked(b, size), 'x'), parsed, `${size}`);
  });

  it('reads the file written with other spacing to the same profile', () => {
    const spaced = new TextEncoder().encode(JSON.stringify(JSON.parse(text), null, 1).replace(/,\n/g, '\n ,'));
    sameProfile(parseGecko(spaced, basename(path)), parsed, 'spaced');
  });
});
