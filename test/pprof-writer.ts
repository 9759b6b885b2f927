/**
 * pprof profiles written with the same protobuf runtime and schema the reader decodes with, shaped
 * like a Python CPU profile from a continuous profiler: `samples/count` and `cpu/nanoseconds`
 * values, a 10 ms period, functions with files and lines, an inlined call, and a native frame
 * with no symbol (an address in a mapping).
 */
import { create, toBinary } from '@bufbuild/protobuf';
import { ProfileSchema } from '~/core/formats/pprof/profile-schema';

export interface PprofSpec {
  /**
   * Each sample: its stack root first, as `name@file:line` (or `0xADDR` for an unsymbolized frame),
   * its count, and its labels (a string label or a numeric one).
   */
  samples: [stack: string[], count: number, labels?: Record<string, string | number>][];
  /** Index into [samples, cpu] of the default sample type, if the file names one. */
  defaultType?: 'samples' | 'cpu';
  comment?: string;
}

export const PERIOD_NS = 10_000_000;

/** The message's bytes (not gzip'd). */
export function pprofBytes(spec: PprofSpec): Uint8Array {
  const strings = [''];
  const str = (s: string): bigint => {
    let i = strings.indexOf(s);
    if (i < 0) i = strings.push(s) - 1;
    return BigInt(i);
  };
  const functions: { id: bigint; name: bigint; systemName: bigint; filename: bigint; startLine: bigint }[] = [];
  const functionId = (name: string, file: string): bigint => {
    const found = functions.find((f) => strings[Number(f.name)] === name && strings[Number(f.filename)] === file);
    if (found) return found.id;
    const id = BigInt(functions.length + 1);
    functions.push({ id, name: str(name), systemName: str(name), filename: str(file), startLine: 1n });
    return id;
  };
  const locations: { id: bigint; mappingId: bigint; address: bigint; line: { functionId: bigint; line: bigint }[] }[] =
    [];
  const locationIds = new Map<string, bigint>();
  const locationId = (frames: string[]): bigint => {
    const key = frames.join('|');
    const known = locationIds.get(key);
    if (known !== undefined) return known;
    const id = BigInt(locations.length + 1);
    locationIds.set(key, id);
    if (frames.length === 1 && frames[0].startsWith('0x')) {
      locations.push({ id, mappingId: 1n, address: BigInt(frames[0]), line: [] });
      return id;
    }
    // Leaf first: the inlined callee, then the caller it was inlined into.
    const line = frames.map((frame) => {
      const [, name, file, lineNo] = /^(.*)@(.*):(\d+)$/.exec(frame)!;
      return { functionId: functionId(name, file), line: BigInt(lineNo) };
    });
    locations.push({ id, mappingId: 1n, address: BigInt(0x1000 + locations.length * 16), line });
    return id;
  };
  const samples = spec.samples.map(([stack, count, labels = {}]) => {
    // `a@f:1+b@f:2`: b inlined into a, one location.
    const locs = stack.map((frame) => locationId(frame.split('+').reverse())).reverse();
    const label = Object.entries(labels).map(([key, v]) =>
      typeof v === 'string' ? { key: str(key), str: str(v) } : { key: str(key), num: BigInt(v) },
    );
    return { locationId: locs, value: [BigInt(count), BigInt(count * PERIOD_NS)], label };
  });
  const samplesType = { type: str('samples'), unit: str('count') };
  const cpuType = { type: str('cpu'), unit: str('nanoseconds') };
  const message = create(ProfileSchema, {
    sampleType: [samplesType, cpuType],
    sample: samples,
    mapping: [{ id: 1n, memoryStart: 0x1000n, memoryLimit: 0x9000n, filename: str('/usr/bin/python3.12') }],
    location: locations,
    function: functions,
    stringTable: strings,
    timeNanos: 1_700_000_000_000_000_000n,
    durationNanos: 10_000_000_000n,
    periodType: cpuType,
    period: BigInt(PERIOD_NS),
    comment: spec.comment ? [str(spec.comment)] : [],
    defaultSampleType: spec.defaultType ? str(spec.defaultType) : 0n,
  } as never);
  return toBinary(ProfileSchema, message);
}

/** A small web-server CPU profile. */
export const webServerPprof = (): Uint8Array =>
  pprofBytes({
    samples: [
      [['<module>@app.py:1', 'serve@app.py:20', 'handle@app.py:31', 'render@views.py:8'], 40],
      [['<module>@app.py:1', 'serve@app.py:20', 'handle@app.py:31', 'query@db.py:12'], 25],
      [['<module>@app.py:1', 'serve@app.py:20', 'handle@app.py:33+dumps@json/__init__.py:231'], 7],
      [['<module>@app.py:1', 'serve@app.py:20', '0x7f00'], 3],
    ],
  });
