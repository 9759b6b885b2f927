/**
 * pprof profiles (`profile.proto`, gzip'd on disk: what Go, Pyroscope, Parca, Datadog and
 * `pprof -proto` write), decoded from the wire into numbers by `wire.ts`.
 * Each sample's locations (leaf first, each location's inlined functions before their caller) are
 * one stack, weighed by one of the sample's values, below the process and thread its labels name.
 */
import { grown } from '~/core/model/builders';
import { ProfileError, type Profile, type WeightUnit } from '~/core/model/profile';
import { MAX_STACK_FRAMES, MAX_WEIGHT, StackCollector } from '../stacks/stack-collector';
import type { FrameParts } from '../stacks/frame-parts';
import { decodeProfile, type PprofLocation, type PprofValueType } from './wire';
import { IdIndex } from './id-index';
import { SampleRoots } from './sample-labels';

/** Wire types of `Profile`'s fields 1..15: 2 length-delimited, 0 varint. `comment` (13) is packed or not. */
const PROFILE_WIRE = [-1, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 2, 0, -1, 0, 0];
/** Fields are walked this far into the data to tell a pprof profile. */
const SNIFF_FIELDS = 64;

/**
 * Whether the data reads as a `Profile` message: each top-level field a field of the schema with
 * its wire type, lengths inside the data (or running past the head). Text and marshal data fail
 * within a few bytes: no letter is a valid first tag with a valid wire type for long.
 */
export function looksLikePprof(head: Uint8Array): boolean {
  let at = 0,
    fields = 0;
  const varint = (): number => {
    let v = 0;
    for (let shift = 0; shift < 64; shift += 7) {
      if (at >= head.length) return -1;
      const b = head[at++];
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
    }
    return -2;
  };
  while (at < head.length && fields < SNIFF_FIELDS) {
    const tag = varint();
    if (tag < 0) return tag === -1 && fields > 0;
    const field = Math.floor(tag / 8),
      wire = tag % 8;
    if (field < 1 || field > 15 || (wire !== PROFILE_WIRE[field] && !(field === 13 && (wire === 0 || wire === 2))))
      return false;
    const v = varint();
    if (v === -2) return false;
    if (v === -1) return fields > 0;
    if (wire === 2) at += v;
    fields++;
  }
  return fields > 0;
}

/** How a sample type's values become the profile's weights. */
function unitOf(unit: string): { unit: WeightUnit; scale: number } {
  switch (unit) {
    case 'nanoseconds':
      return { unit: 'seconds', scale: 1e-9 };
    case 'microseconds':
      return { unit: 'seconds', scale: 1e-6 };
    case 'milliseconds':
      return { unit: 'seconds', scale: 1e-3 };
    case 'seconds':
      return { unit: 'seconds', scale: 1 };
    case 'count':
      return { unit: 'samples', scale: 1 };
    case 'bytes':
      return { unit: 'kilobytes', scale: 1 / 1024 };
    default:
      return { unit: 'events', scale: 1 };
  }
}

/**
 * The sample type shown: the one the file names its default, else `cpu`, else `samples`, else the
 * first. Go's CPU profiles hold `samples/count` and `cpu/nanoseconds`; Pyroscope's `cpu` or
 * `samples`; memory profiles several.
 */
function chosenType(types: PprofValueType[], text: (i: number) => string, defaultType: number): number {
  const named = (name: string) => types.findIndex((t) => text(t.type) === name);
  if (defaultType !== 0) {
    const i = named(text(defaultType));
    if (i >= 0) return i;
  }
  for (const name of ['cpu', 'samples']) {
    const i = named(name);
    if (i >= 0) return i;
  }
  return 0;
}

export function parsePprof(bytes: Uint8Array, fileName: string): Profile {
  if (bytes.length === 0) throw new ProfileError('the file is empty');
  const p = decodeProfile(bytes);
  const strings = p.stringTable;
  const text = (i: number): string => {
    if (!(i >= 0 && i < strings.length))
      throw new ProfileError(`a string index (${i}) lies outside the string table of ${strings.length}`);
    return strings[i];
  };
  if (p.sampleType.length === 0) throw new ProfileError('the pprof profile names no sample type');
  const typeIndex = chosenType(p.sampleType, text, p.defaultSampleType);
  const typeName = (t: PprofValueType) => `${text(t.type)} (${text(t.unit)})`;
  const { unit, scale } = unitOf(text(p.sampleType[typeIndex].unit));
  const warnings: string[] = [];
  if (p.sampleType.length > 1) {
    const others = p.sampleType.filter((_, i) => i !== typeIndex).map(typeName);
    warnings.push(`values are ${typeName(p.sampleType[typeIndex])}; the file also holds ${others.join(', ')}`);
  }
  for (const c of p.comment) warnings.push(`comment: ${text(c)}`);

  const functions = p.function.map((f) => ({ name: text(f.name) || text(f.systemName), file: text(f.filename) }));
  const functionAt = new IdIndex(p.function.length, (i) => p.function[i].id);
  const mappings = new Map<number, string>();
  for (const m of p.mapping) mappings.set(m.id, text(m.filename));

  const collector = new StackCollector();
  let parts: FrameParts = { file: '', line: -1, name: '' };
  const split = () => parts;
  const frameOf = (name: string, file: string, line: number): number => {
    parts = { name, file, line };
    const at = file ? `${file}${line > 0 ? `:${line}` : ''}` : '';
    return collector.frameId(at ? `${name} (${at})` : name, split);
  };
  /** Each location's frames, root first: its last line is the caller its others were inlined into. */
  const framesAt = new Int32Array(p.location.length).fill(-1),
    framesLength = new Int32Array(p.location.length);
  let frameList = new Int32Array(1024),
    frameListLength = 0;
  const locationFrames = (loc: PprofLocation): Int32Array => {
    if (loc.line.length === 0) {
      const address = `0x${loc.address.toString(16)}`;
      return Int32Array.of(frameOf(address, mappings.get(loc.mappingId) ?? '', -1));
    }
    const ids = new Int32Array(loc.line.length);
    for (let i = 0; i < loc.line.length; i++) {
      const l = loc.line[loc.line.length - 1 - i];
      const fn = functions[functionAt.get(l.functionId)];
      if (!fn)
        throw new ProfileError(`location ${loc.id} names function ${l.functionId}, which the file does not define`);
      ids[i] = frameOf(fn.name || `function ${l.functionId}`, fn.file, l.line);
    }
    return ids;
  };
  const locationAt = new IdIndex(p.location.length, (i) => p.location[i].id);

  const roots = new SampleRoots(collector, text);
  let skipped = 0,
    empty = 0;
  for (const s of p.sample) {
    const raw = s.value[typeIndex];
    const weight = raw === undefined ? NaN : raw * scale;
    if (!(weight >= 0 && weight <= MAX_WEIGHT)) {
      skipped++;
      continue;
    }
    if (weight === 0) continue;
    collector.begin();
    roots.push(s.label);
    let depth = 0;
    for (let i = s.locationId.length - 1; i >= 0; i--) {
      const id = s.locationId[i];
      const at = locationAt.get(id);
      if (at < 0) throw new ProfileError(`a sample names location ${id}, which the file does not define`);
      if (framesAt[at] < 0) {
        const frames = locationFrames(p.location[at]);
        if (frameListLength + frames.length > frameList.length)
          frameList = grown(frameList, frameListLength + frames.length);
        frameList.set(frames, frameListLength);
        framesAt[at] = frameListLength;
        framesLength[at] = frames.length;
        frameListLength += frames.length;
      }
      depth += framesLength[at];
      if (depth > MAX_STACK_FRAMES)
        throw new ProfileError(`a sample is deeper than ${MAX_STACK_FRAMES.toLocaleString('en')} frames`);
      for (let k = framesAt[at], end = k + framesLength[at]; k < end; k++) collector.pushId(frameList[k]);
    }
    if (depth === 0) empty += weight;
    else collector.commit(weight);
  }
  if (skipped)
    warnings.push(
      `${skipped} sample${skipped === 1 ? ' has' : 's have'} no usable ${text(p.sampleType[typeIndex].type)} value (missing, negative or too large) and ${skipped === 1 ? 'was' : 'were'} skipped`,
    );
  if (empty) warnings.push(`samples with no location, weighing ${empty.toLocaleString('en')}, are not counted`);
  const { profile } = collector.build({ format: 'pprof', unit, fileName });
  profile.warnings.push(...warnings);
  return profile;
}
