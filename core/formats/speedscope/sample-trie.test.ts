import { describe, expect, it } from 'vitest';
import { toFolded } from '~/core/export/folded';
import { fixtureFiles, readBytes } from '~/test/fixtures';
import { AS_VALUE, NEED_MORE, splitJson, splitJsonBytes } from '../json/json-split';
import { EMPTY, ODD, SampleTrie } from './sample-trie';
import { parseSpeedscope, parseSpeedscopeStream } from './read-speedscope';
import { chunked, utf16WithMark } from '~/test/streams';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** The frame indices from the top of the trie to `leaf`. */
function pathOf(trie: SampleTrie, leaf: number): number[] {
  const path: number[] = [];
  for (let x = leaf; x >= 0; x = trie.parent[x]) path.unshift(trie.index[x]);
  return path;
}

describe('speedscope samples read from the bytes', () => {
  it('reads each profile’s samples by its index, and leaves the rest with them written []', () => {
    const file = `{"profiles":[{"type":"evented","events":[]}, {"name":"a \\"samples\\" [1]","samples" : [ [0,12, 3], [],[7], [1.0], [0, 12,4], [0,12,3], "x" ],"weights":[1,1,1,1,1,1,1]}],"shared":{"frames":[{"name":"samples","x":[[1]]}]}}`;
    const readers = new Map<unknown, SampleTrie>();
    const split = splitJsonBytes(
      bytes(file),
      (path) => {
        if (path[2] !== 'samples') return undefined;
        const r = new SampleTrie();
        readers.set(path[1], r);
        return r;
      },
      'x',
    );
    expect(split.rest).toBe(file.replace('[ [0,12, 3], [],[7], [1.0], [0, 12,4], [0,12,3], "x" ]', '[]'));
    expect([...readers.keys()]).toEqual([1]);
    const trie = readers.get(1)!;
    const pathOf = (leaf: number) => {
      const path: number[] = [];
      for (let x = leaf; x >= 0; x = trie.parent[x]) path.unshift(trie.index[x]);
      return path;
    };
    const leaves = [...trie.sampleLeaves()];
    expect(leaves.map((l) => (l < 0 ? l : pathOf(l)))).toEqual([
      [0, 12, 3],
      EMPTY,
      [7],
      [1],
      [0, 12, 4],
      [0, 12, 3],
      ODD,
    ]);
    expect(trie.nodes).toBe(6);
    expect(leaves[5]).toBe(leaves[0]);
    expect([...trie.odd]).toEqual([[6, 'x']]);
  });

  it('merges samples into one node per distinct path of frame indices, whatever the order they come in', () => {
    const samples = [[0, 1, 2], [0, 1], [3, 1, 2], [0, 1, 2, 5], [0, 1, 2], [3], [0, 4]];
    const trie = new SampleTrie();
    const text = samples.map((x) => `[${x.join(',')}]`).join(',') + ']';
    let at = 0;
    for (const _ of samples) at = trie.bytes(bytes(text), at, text.length) + 1;
    const prefixes = new Set(samples.flatMap((x) => x.map((_, d) => x.slice(0, d + 1).join(','))));
    expect(trie.nodes).toBe(prefixes.size);
    const leaves = trie.sampleLeaves();
    samples.forEach((x, s) => {
      const path: number[] = [];
      for (let n = leaves[s]; n >= 0; n = trie.parent[n]) path.unshift(trie.index[n]);
      expect(path).toEqual(x);
    });
  });

  it('reads many samples at a time in WebAssembly as it reads each from bytes, across any chunking', async () => {
    // Enough samples and indices to fill the module's output more than once; some spaced, some not plain.
    let seed = 7;
    const random = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
    const samples: string[] = [];
    for (let s = 0; s < 40_000; s++) {
      const depth = random(40);
      const indices = Array.from({ length: depth }, () => random(s % 3 ? 50 : 5000));
      const pick = random(100);
      samples.push(
        pick === 0 ? '[1.5, 2]' : pick === 1 ? '"x"' : pick === 2 ? `[ ${indices.join(' ,\n ')} ]` : `[${indices}]`,
      );
    }
    const file = bytes(`{"profiles":[{"samples":[${samples.join(', ')}]}]}`);
    const read = async (size: number) => {
      const trie = new SampleTrie();
      await splitJson(chunked(file, size), (path) => (path[2] === 'samples' ? trie : undefined), 'x');
      const leaves = [...trie.sampleLeaves()];
      return { nodes: trie.nodes, paths: leaves.map((l) => (l < 0 ? [l] : pathOf(trie, l))), odd: [...trie.odd] };
    };
    const whole = await read(file.length);
    expect(whole.paths.length).toBe(40_000);
    expect(whole.paths.map((p) => `[${p}]`)).toEqual(
      samples.map((x) => {
        const v = JSON.parse(x) as unknown;
        if (!Array.isArray(v) || !v.every(Number.isInteger)) return `[${ODD}]`;
        return `[${v.length === 0 ? EMPTY : v}]`;
      }),
    );
    for (const size of [97, 4096, 65536]) expect(await read(size), `chunks of ${size}`).toEqual(whole);
  });

  it('reads as JSON values the samples written otherwise than as arrays of plain integers', () => {
    for (const sample of ['[1.0]', '[-1]', '[01]', '2', '[[1]]', '[99999999999]', '[1e0]', '"x"'])
      expect(new SampleTrie().bytes(bytes(`${sample},`), 0, sample.length + 1), sample).toBe(AS_VALUE);
    expect(new SampleTrie().bytes(bytes('[1,2'), 0, 4)).toBe(NEED_MORE);
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
