import { describe, expect, it } from 'vitest';
import { toFolded } from '~/core/export/folded';
import { fixtureFiles, readBytes } from '~/test/fixtures';
import { AS_VALUE, NEED_MORE, splitJsonBytes } from '../json/json-split';
import { SampleReader } from './packed-samples';
import { parseSpeedscope, parseSpeedscopeStream } from './read-speedscope';
import { chunked, utf16WithMark } from '~/test/streams';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('speedscope samples read from the bytes', () => {
  it('reads each profile’s samples by its index, and leaves the rest with them written []', () => {
    const file = `{"profiles":[{"type":"evented","events":[]}, {"name":"a \\"samples\\" [1]","samples" : [ [0,12, 3], [],[7], [1.0] ],"weights":[1,1,1,1]}],"shared":{"frames":[{"name":"samples","x":[[1]]}]}}`;
    const readers = new Map<unknown, SampleReader>();
    const split = splitJsonBytes(
      bytes(file),
      (path) => {
        if (path[2] !== 'samples') return undefined;
        const r = new SampleReader();
        readers.set(path[1], r);
        return r;
      },
      'x',
    );
    expect(split.rest).toBe(file.replace('[ [0,12, 3], [],[7], [1.0] ]', '[]'));
    expect([...readers.keys()]).toEqual([1]);
    const packed = readers.get(1)!.packed();
    expect([...packed.frames]).toEqual([0, 12, 3, 7]);
    expect([...packed.start]).toEqual([0, 3, 3, 4, 4]);
    expect([...packed.odd]).toEqual([[3, [1]]]);
  });

  it('reads as JSON values the samples written otherwise than as arrays of plain integers', () => {
    for (const sample of ['[1.0]', '[-1]', '[01]', '2', '[[1]]', '[99999999999]', '[1e0]', '"x"'])
      expect(new SampleReader().bytes(bytes(`${sample},`), 0, sample.length + 1), sample).toBe(AS_VALUE);
    expect(new SampleReader().bytes(bytes('[1,2'), 0, 4)).toBe(NEED_MORE);
  });

  it('reads every speedscope fixture to the same profile as JSON.parse does, in chunks of any size', async () => {
    const files = [...fixtureFiles('pyspy', '.speedscope.json'), ...fixtureFiles('pyinstrument', '.speedscope.json')];
    expect(files.length).toBeGreaterThan(10);
    for (const path of files) {
      const b = readBytes(path);
      const read = parseSpeedscope(b, 'x');
      const parsed = parseSpeedscope(utf16WithMark(text(b)), 'x');
      expect(toFolded(read), path).toBe(toFolded(parsed));
      expect(read.samples, path).toBe(parsed.samples);
      expect(read.warnings, path).toEqual(parsed.warnings);
      expect(read.frames.label.length, path).toBe(parsed.frames.label.length);
      for (const size of [1, 7, 4096]) {
        const streamed = await parseSpeedscopeStream(chunked(b, size), 'x');
        expect(toFolded(streamed), `${path} in chunks of ${size}`).toBe(toFolded(read));
        expect(streamed.samples).toBe(read.samples);
      }
    }
  });

  it('says at which byte a file stops being JSON, as the file is, not as it is cut', () => {
    const file = '{"profiles":[{"type":"sampled","samples":[[0],[1]],"weights":[1,1]}],"shared":{"frames":[}';
    const at = file.indexOf('[}') + 1;
    expect(() => parseSpeedscope(bytes(file), 'x')).toThrow(new RegExp(`not valid JSON at byte ${at}\\b`));
    const outside = '{"profiles":[{"type":"sampled","samples":[[0],[1]],"weights":[1,1}],"shared":{"frames":[]}}';
    expect(() => parseSpeedscope(bytes(outside), 'x')).toThrow(
      new RegExp(`not valid JSON at byte ${outside.indexOf('1}') + 1}\\b`),
    );
    const element = '{"shared":{"frames":[{"name":"a"},{"name":"b",}]},"profiles":[]}';
    expect(() => parseSpeedscope(bytes(element), 'x')).toThrow(
      new RegExp(`not valid JSON at byte ${element.indexOf(',}') + 1}\\b`),
    );
  });
});
