import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { ProfileError } from '~/core/model/profile';
import { pprofBytes, webServerPprof } from '~/test/pprof-writer';
import { ProfileSchema } from './profile-schema';
import { decodeProfile, type PprofProfile } from './wire';

/** What the protobuf runtime decodes, in the decoder's shape: the reference the decoder must match. */
function byRuntime(bytes: Uint8Array): PprofProfile {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const m = fromBinary(ProfileSchema, bytes) as any;
  const n = (v: bigint) => Number(v);
  return {
    sampleType: m.sampleType.map((t: { type: bigint; unit: bigint }) => ({ type: n(t.type), unit: n(t.unit) })),
    sample: m.sample.map((s: { locationId: bigint[]; value: bigint[]; label: Record<string, bigint>[] }) => ({
      locationId: s.locationId.map(n),
      value: s.value.map(n),
      label: s.label.map((l) => ({ key: n(l.key), str: n(l.str), num: n(l.num) })),
    })),
    mapping: m.mapping.map((x: Record<string, bigint>) => ({ id: n(x.id), filename: n(x.filename) })),
    location: m.location.map(
      (l: { id: bigint; mappingId: bigint; address: bigint; line: Record<string, bigint>[] }) => ({
        id: n(l.id),
        mappingId: n(l.mappingId),
        address: l.address,
        line: l.line.map((x) => ({ functionId: n(x.functionId), line: n(x.line) })),
      }),
    ),
    function: m.function.map((f: Record<string, bigint>) => ({
      id: n(f.id),
      name: n(f.name),
      systemName: n(f.systemName),
      filename: n(f.filename),
    })),
    stringTable: m.stringTable,
    comment: m.comment.map(n),
    defaultSampleType: n(m.defaultSampleType),
  };
}

/** A message with the values a general runtime must get right: negatives, 64-bit addresses, labels, comments. */
const unusual = () =>
  toBinary(
    ProfileSchema,
    create(ProfileSchema, {
      sampleType: [{ type: 1n, unit: 2n }],
      sample: [
        { locationId: [1n, 2n, 300n], value: [-5n], label: [{ key: 3n, num: -1n }] },
        { locationId: [2n ** 53n - 1n], value: [2n ** 40n], label: [{ key: 3n, str: 4n, numUnit: 2n }] },
      ],
      mapping: [{ id: 7n, memoryStart: 2n ** 63n, filename: 4n, hasFunctions: true, buildId: 1n }],
      location: [
        { id: 1n, mappingId: 7n, address: 2n ** 64n - 1n, line: [], isFolded: true },
        {
          id: 300n,
          address: 0x7f00n,
          line: [
            { functionId: 9n, line: -1n, column: 4n },
            { functionId: 9n, line: 70n },
          ],
        },
      ],
      function: [{ id: 9n, name: 1n, systemName: 2n, filename: 3n, startLine: 5n }],
      stringTable: ['', 'cpu', 'nanoseconds', 'thread id', 'é 𝄞'],
      timeNanos: -1n,
      dropFrames: 2n,
      periodType: { type: 1n, unit: 2n },
      period: 10n,
      comment: [1n, 2n],
      defaultSampleType: 1n,
      docUrl: 0n,
    } as never),
  );

/** A Profile field `field` holding `payload` (length-delimited). */
const field = (f: number, payload: number[]) => [(f << 3) | 2, payload.length, ...payload];

describe('pprof wire decoder', () => {
  it('decodes what the protobuf runtime decodes', () => {
    for (const bytes of [
      webServerPprof(),
      unusual(),
      pprofBytes({ samples: [[['a@x.py:1'], 3, { tid: 12, name: 'w' }]], comment: 'c' }),
    ]) {
      expect(decodeProfile(bytes)).toEqual(byRuntime(bytes));
    }
  });

  it('reads repeated ids packed or one by one, and skips unknown fields of every wire type', () => {
    // A sample with location ids 5 and 6 unpacked, then 7 packed; unknown fields 20 (varint), 21 (fixed64), 22 (fixed32).
    const sample = [
      0x08, 5, 0x08, 6, 0x0a, 1, 7, 0xa0, 0x01, 1, 0xa9, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0xb5, 0x01, 1, 2, 3, 4,
    ];
    const bytes = Uint8Array.from([...field(2, sample), ...field(6, []), 0xa0, 0x01, 0x2a]);
    const p = decodeProfile(bytes);
    expect(p.sample).toEqual([{ locationId: [5, 6, 7], value: [], label: [] }]);
    expect(p.stringTable).toEqual(['']);
  });

  it('keeps ids past 2^53 apart, each the same number wherever it is named', () => {
    const wide = [2n ** 53n, 2n ** 53n + 1n, 2n ** 64n - 1n];
    const bytes = toBinary(
      ProfileSchema,
      create(ProfileSchema, {
        sample: [{ locationId: [wide[2], wide[0], wide[1], wide[0]], value: [1n] }],
        location: wide.map((id, i) => ({ id, line: [{ functionId: wide[2 - i] }] })),
        function: wide.map((id) => ({ id })),
        stringTable: [''],
      } as never),
    );
    const p = decodeProfile(bytes);
    const ids = p.location.map((l) => l.id);
    expect(new Set(ids).size).toBe(3);
    expect(p.sample[0].locationId).toEqual([ids[2], ids[0], ids[1], ids[0]]);
    expect(p.location.map((l) => l.line[0].functionId)).toEqual([ids[2], ids[1], ids[0]]);
    expect(p.function.map((f) => f.id)).toEqual(ids);
  });

  const fails = (bytes: number[], message: RegExp) => {
    const run = () => decodeProfile(Uint8Array.from(bytes));
    expect(run).toThrow(ProfileError);
    expect(run).toThrow(message);
  };

  it('refuses what is not a well-formed profile', () => {
    fails([0x12, 5, 0x08], /runs past its message/);
    fails(field(2, [0x0a, 3, 1, 2]), /runs past its message/);
    fails(field(2, [0x0a, 1, 0x80]), /ends inside a number/);
    fails([0x12, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], /longer than 10 bytes/);
    fails(field(6, [0xff, 0xfe]), /not valid UTF-8/);
    fails([0x10, 1], /field 2 has wire type 0, not 2/);
    fails(field(4, [0x0a, 0]), /field 1 has wire type 2, not 0/);
    fails([0x0b], /wire type 3/);
    fails([0x00], /names no field/);
  });
});
