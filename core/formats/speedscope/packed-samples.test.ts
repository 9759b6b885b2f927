import { describe, expect, it } from 'vitest';
import { toFolded } from '~/core/export/folded';
import { fixtureFiles, readBytes } from '~/test/fixtures';
import { splitSamples } from './packed-samples';
import { parseSpeedscope } from './read-speedscope';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** The same file as UTF-16 with its mark: read by JSON.parse alone, since only UTF-8 bytes are packed. */
function utf16(b: Uint8Array): Uint8Array {
  const s = text(b);
  const out = new Uint8Array(2 + 2 * s.length);
  out[0] = 0xff;
  out[1] = 0xfe;
  for (let i = 0; i < s.length; i++) {
    out[2 + 2 * i] = s.charCodeAt(i) & 0xff;
    out[3 + 2 * i] = s.charCodeAt(i) >> 8;
  }
  return out;
}

describe('speedscope samples packed from the bytes', () => {
  it('cuts each profile’s samples out, by its index, and leaves the rest as it was', () => {
    const file = `{"profiles":[{"type":"evented","events":[]}, {"name":"a \\"samples\\" [1]","samples" : [ [0,12, 3], [],[7] ],"weights":[1,1,1]}],"shared":{"frames":[{"name":"samples","x":[[1]]}]}}`;
    const split = splitSamples(bytes(file))!;
    expect(text(split.rest)).toBe(file.replace('[ [0,12, 3], [],[7] ]', '[]'));
    expect([...split.samples.keys()]).toEqual([1]);
    const packed = split.samples.get(1)!;
    expect([...packed.frames]).toEqual([0, 12, 3, 7]);
    expect([...packed.start]).toEqual([0, 3, 3, 4]);
  });

  it('leaves the file to JSON.parse when its samples or its layout are anything else', () => {
    const refused = [
      '{"profiles":[{"samples":[[1.0]]}]}',
      '{"profiles":[{"samples":[[-1]]}]}',
      '{"profiles":[{"samples":[[01]]}]}',
      '{"profiles":[{"samples":[[1],2]}]}',
      '{"profiles":[{"samples":[[[1]]]}]}',
      '{"profiles":[{"samples":[[1]],"samples":[[2]]}]}',
      '{"profiles":[[],{"samples":[[1]]}]}',
      '{"profiles":["x",{"samples":[[1]]}]}',
      '{"profiles":[{"samples":[[1]]}],"profiles":[]}',
      '{"prof\\u0069les":[{"samples":[[1]]}]}',
      '{"profiles":[{"sampl\\u0065s":[[1]]}]}',
      '[{"samples":[[1]]}]',
      '{"profiles":[{"samples":[[99999999999]]}]}',
      '{"profiles":[{"samples":[[1]',
    ];
    for (const file of refused) expect(splitSamples(bytes(file)), file).toBeNull();
  });

  it('reads every speedscope fixture to the same profile as JSON.parse does', () => {
    const files = [...fixtureFiles('pyspy', '.speedscope.json'), ...fixtureFiles('pyinstrument', '.speedscope.json')];
    expect(files.length).toBeGreaterThan(10);
    let packedFiles = 0;
    for (const path of files) {
      const b = readBytes(path);
      if (splitSamples(b)) packedFiles++;
      const packed = parseSpeedscope(b, 'x');
      const parsed = parseSpeedscope(utf16(b), 'x');
      expect(toFolded(packed), path).toBe(toFolded(parsed));
      expect(packed.samples, path).toBe(parsed.samples);
      expect(packed.warnings, path).toEqual(parsed.warnings);
    }
    expect(packedFiles).toBeGreaterThan(10);
  });

  it('says where a file stops being JSON as the file is, not as it is cut', () => {
    const file = bytes('{"profiles":[{"type":"sampled","samples":[[0],[1]],"weights":[1,1]}],"shared":{"frames":[}');
    expect(() => parseSpeedscope(file, 'x')).toThrow(/not valid JSON/);
  });
});
