import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { SERVICE, writeFolded, type StackShape } from '~/bench/folded-gen';
import { MAX_FRAME_CHARS, MAX_STACK_FRAMES } from './stack-collector';
import { openProfile } from '../open-profile';
import type { Profile } from '~/core/model/profile';
import { parseStackStream, parseStackText } from './read-stacks';
import { concat } from '~/core/io/file-bytes';
import { stringAt, stringCount } from '~/core/model/string-pack';
import { chunked } from '~/test/streams';

/**
 * Plain folded stacks are read from their bytes once the first lines have told the dialect. Every
 * profile read that way must equal the one read from the decoded text, whatever the chunks.
 */

const encode = (text: string) => new TextEncoder().encode(text);

const join8 = (parts: (string | number[])[]) =>
  concat(parts.map((p) => (typeof p === 'string' ? encode(p) : Uint8Array.from(p))));

/** Enough plain lines (and text) for the dialect to be told before the lines under test. */
const opening = Array.from(
  { length: 200 },
  (_, i) => `app/main.py:main:3;app/work.py:step_${i % 9}:${10 + i} ${i + 1}\n`,
).join('');

/** The profile with its string table as the list of its entries: how they are packed into chunks may differ. */
function entries(profile: Profile): Omit<Profile, 'strings'> & { strings: string[] } {
  return {
    ...profile,
    strings: [...Array(stringCount(profile.strings)).keys()].map((i) => stringAt(profile.strings, i)),
  };
}

async function expectSameAsText(bytes: Uint8Array, sizes = [1, 7, 100, 4096, 65536, bytes.length]): Promise<void> {
  const text = entries(parseStackText(new TextDecoder().decode(bytes), 'x.folded'));
  for (const size of sizes) expect(entries(await parseStackStream(chunked(bytes, size), 'x.folded'))).toEqual(text);
}

/** The profile with its typed arrays as base64, which compares in one step where a long array compares element by element. */
function inBase64(p: Profile): { tree: Record<string, unknown>; frames: Record<string, unknown> } {
  const profile = entries(p);
  const columns = (table: object) =>
    Object.fromEntries(
      Object.entries(table).map(([k, v]) => [
        k,
        ArrayBuffer.isView(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') : v,
      ]),
    );
  return { ...profile, tree: columns(profile.tree), frames: columns(profile.frames) };
}

describe('folded stacks read from bytes', () => {
  it('read every kind of line as the text reader does', async () => {
    const lines: (string | number[])[] = [
      opening,
      'a.py:f:1;a.py:g:2 3\r\n',
      '\n',
      '   \n',
      ' a.py:f:1 2\n',
      '\t\n',
      'a.py:f:1;;a.py:h:4 5\n',
      ';a.py:f:1 1\n',
      'a.py:f:1; 1\n',
      'a.py:f:1\t\t7\n',
      'a.py:f:1 2.5\n',
      'k.py:first:1 2.5\n',
      'k.py:first:1;k.py:g:2 3\n',
      'a.py:f:1 .5\n',
      'a.py:f:1 12345678901234567\n',
      'a.py:f:1 99999999999999999999\n',
      'a.py:f:1 007\n',
      '12 34\n',
      '42\n',
      'no count here\n',
      'a.py:f:1 1 \n',
      'a.py:f:1 3\r\r\n',
      '(idle) 4\n',
      '(failed) 2\n',
      '(idle);a.py:f:1 1\n',
      'b.py:caf\u00e9:3;b.py:\u{1f600}:4 2\n',
      'b.py:f\u00a0:3 1\n',
      '\u00a0\n',
      [
        'b.py:bad'.split('').map((c) => c.charCodeAt(0)),
        [0xff, 0xfe],
        ':1;b.py:g:2 1\n'.split('').map((c) => c.charCodeAt(0)),
      ].flat(),
      [0x62, 0x3a, 0xe2, 0x82, 0x3b, 0x62, 0x3a, 0x67, 0x20, 0x31, 0x0a],
      [0xef, 0xbb, 0xbf, ...encode('c.py:f:1 1\n')],
      'c.py:ctl\u0001:1;c.py:nul\u0000:2 1\n',
      `${'d.py:deep:1;'.repeat(MAX_STACK_FRAMES)}d.py:leaf:2 1\n`,
      `${'d.py:deep:1;'.repeat(MAX_STACK_FRAMES - 1)}d.py:leaf:2 1\n`,
      `e.py:f:1;${'x'.repeat(MAX_FRAME_CHARS + 1)};e.py:new:9 1\n`,
      `e.py:f:1;${'y'.repeat(MAX_FRAME_CHARS)} 1\n`,
      'g.py:last:1 8',
    ];
    await expectSameAsText(join8(lines));
  });

  it("read Tachyon's threads, made-up and task frames from bytes as the text reader does", async () => {
    const tachyonOpening = Array.from({ length: 200 }, (_, i) => `tid:7;main.py:main:3;work.py:step:${i % 9} 1\n`);
    const lines = [
      'tid:7;main.py:main:3;<GC> 2\n',
      'tid:7;<native>;<task>:fetch:0;work.py:step:4 3\n',
      'tid:8;<frozen importlib._bootstrap>:_load:1;C:\\app\\x.py:f:2 1\n',
      'tid:8;x.py:f;:g:5;y.py:h:12x;tid:9 4\n',
      'tid:8;;<task>:;:;tid:x 1\n',
      'tid:7;main.py:caf\u00e9:3;<GC>;tid:7 2\n',
      'tid:7;<task>:fetch:0;main.py:main:3 1\n',
    ];
    const bytes = encode([...tachyonOpening, ...lines].join(''));
    await expectSameAsText(bytes);
    const profile = await parseStackStream(chunked(bytes, 4096), 'x.txt');
    expect(profile.format).toBe('tachyon');
    expect(profile.invalidLines).toBe(0);
  });

  it("read py-spy's frames from bytes as the text reader does, thread and process frames too", async () => {
    const pyspyOpening = Array.from({ length: 200 }, (_, i) => `main (app.py:3);step (work.py:${i % 9}) 1\n`);
    const lines = [
      'main (app.py:3);thread (12) 2\n',
      'thread (12);main (app.py:3);step (work.py:4) 3\n',
      'thread (13): Worker;process 40:"python app.py" 5\n',
      'Process 41:"x";thread (14);main (app.py:3) 1\n',
      'PROCESS 42;main (app.py:3);wait (<frozen threading>) 2\n',
      'Thread 15 "T";tid:16;main (app.py:3) 1\n',
      'main (app.py:3);Thread 15 "T";process 43;tid:17 4\n',
      ' 39\n',
      'thread (0x7f00);main (app.py:3) 2\n',
      'run (C:\\a (x)\\b.py:9);caf\u00e9 (b.py:1);plain 6\n',
    ];
    const bytes = encode([...pyspyOpening, ...lines].join(''));
    await expectSameAsText(bytes);
    const profile = await parseStackStream(chunked(bytes, 4096), 'x.txt');
    expect(profile.format).toBe('py-spy');
    expect(profile.idle).toBe(44);
  });

  it('tell frames apart by every byte, and read held lines, the last one too', async () => {
    // Alike in length and in the 4-byte groups a frame's hash is made of; different in the rest.
    const alike = [
      'm.py:aaaa_bbbb_cccc_dddd:1',
      'm.py:aaab_bbbb_cccc_dddd:1',
      'n.py:aaaa_bbbb_cccc_dddd:1',
      'm.py:abaa_bbbb_cccc_dddd:1',
    ];
    const lines = alike.flatMap((a, i) => [
      `${a} ${i + 1}\n`,
      `${a};${alike[(i + 1) % alike.length]} ${i + 5}\n`,
      `${alike[3 - i]} 1\n`,
    ]);
    await expectSameAsText(encode(`${opening}${lines.join('')}`));
    const profile = await parseStackStream(chunked(encode(`${opening}${lines.join('')}`), 3), 'x.folded');
    const labels = new Set(
      [...Array(profile.frames.count).keys()].map((f) => stringAt(profile.strings, profile.frames.label[f])),
    );
    for (const a of alike) expect(labels).toContain(a);
    // A held single-frame line, then a last line without a line feed, held too.
    const held = encode(`${opening}q.py:a:1 1\nq.py:b:2;q.py:c:3 1`);
    const cut = held.length - 'a:1 1\nq.py:b:2;q.py:c:3 1'.length;
    const twoChunks = new ReadableStream<Uint8Array>({
      start: (controller) => {
        controller.enqueue(held.slice(0, cut));
        controller.enqueue(held.slice(cut));
        controller.close();
      },
    });
    expect(entries(await parseStackStream(twoChunks, 'x.folded'))).toEqual(
      entries(parseStackText(new TextDecoder().decode(held), 'x.folded')),
    );
  });

  it('count the length of a frame in characters, not bytes', async () => {
    // Over the limit in bytes, under it in characters: read as the text reader reads it.
    const wide = `${opening}e.py:${'\u00e9'.repeat(MAX_FRAME_CHARS / 2 + 10)}:1 3\ne.py:after:1 1\n`;
    await expectSameAsText(encode(wide), [4096, 65536]);
    const profile = await parseStackStream(chunked(encode(wide), 4096), 'x.folded');
    expect(profile.invalidLines).toBe(0);
  });

  it('count lines across chunks and read a last line without a line feed', async () => {
    await expectSameAsText(encode(`${opening}h.py:f:1 1\n\n\nh.py:g:2 2\n   h.py:h:3 3`));
    await expectSameAsText(encode(`${opening}h.py:f:1 1\r\n`));
  });

  it('count a line over the length limit as unreadable, held or not', async () => {
    const huge = `${opening}${'i.py:f:1;'.repeat(1_900_000)}i.py:g:2 1\ni.py:after:1 1\n`;
    await expectSameAsText(encode(huge), [65536, huge.length]);
    const wide = `${opening}i.py:\u00e9${'\u00e9'.repeat(9_000_000)} 1\ni.py:after:1 1\n`;
    await expectSameAsText(encode(wide), [65536]);
    const long = `${opening}${'f.py:wide:1;'.repeat(120_000)}f.py:end:2 3\nf.py:after:1 1\n`;
    await expectSameAsText(encode(long), [4096, 65536, long.length]);
  });

  it.each([
    SERVICE,
    { functions: 32_000, lineLevel: true, syntax: 'folded' },
    { functions: 32_000, lineLevel: true, syntax: 'py-spy' },
    { functions: 3_000, lineLevel: true, syntax: 'tachyon' },
  ] satisfies StackShape[])(
    'read a generated profile of many deep stacks as the text reader does: %o',
    async (shape) => {
      const dir = mkdtempSync(join(tmpdir(), 'kiln-folded-'));
      try {
        const path = join(dir, 'profile.folded');
        writeFolded(path, 200_000, shape, 3);
        await expectSameAsText(new Uint8Array(readFileSync(path)), [4096, 65536]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it("read a large file, plain and gzip'd, as the text reader reads it", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-folded-'));
    try {
      const path = join(dir, 'profile.folded');
      writeFolded(path, 3_000_000, SERVICE, 5);
      const bytes = new Uint8Array(readFileSync(path));
      const text = inBase64(parseStackText(new TextDecoder().decode(bytes), 'x.folded'));
      expect(text.tree.count).toBeGreaterThan(10_000);
      expect(text.tree.total).toMatch(/^[A-Za-z0-9+/]{1000,}/);
      expect(inBase64(await openProfile(new Blob([bytes]), 'x.folded'))).toEqual(text);
      expect(inBase64(await openProfile(new Blob([gzipSync(bytes)]), 'x.folded'))).toEqual(text);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("read a gzip'd file whole when the decompressor holds every chunk until the end", async () => {
    // Counts of nine random digits keep the gzip'd file large: it comes in many chunks.
    let x = 7;
    const count = () => 1e8 + ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) % 9e8);
    const lines = Array.from({ length: 640_000 }, (_, i) => `a.py:f:1;b.py:g:${i % 50} ${count()}\n`);
    const bytes = encode(`${opening}${lines.join('')}`);
    const gz = gzipSync(bytes);
    expect(gz.length).toBeGreaterThan(3.5 * (1 << 20));
    const Real = globalThis.DecompressionStream;
    /** Takes every compressed byte before it inflates any. */
    class Holding {
      readonly writable: WritableStream<Uint8Array>;
      readonly readable: ReadableStream<Uint8Array>;
      constructor(format: CompressionFormat) {
        const held: Uint8Array[] = [];
        const hold = new TransformStream<Uint8Array, Uint8Array>({
          transform: (chunk) => void held.push(chunk),
          flush: (controller) => held.forEach((chunk) => controller.enqueue(chunk)),
        });
        this.writable = hold.writable;
        this.readable = hold.readable.pipeThrough(new Real(format) as ReadableWritablePair<Uint8Array, Uint8Array>);
      }
    }
    vi.stubGlobal('DecompressionStream', Holding);
    try {
      const read = inBase64(await openProfile(new Blob([gz]), 'x.folded'));
      vi.unstubAllGlobals();
      expect(read).toEqual(inBase64(await openProfile(new Blob([bytes]), 'x.folded')));
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
