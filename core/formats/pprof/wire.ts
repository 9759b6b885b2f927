/**
 * A decoder of pprof's `profile.proto` (github.com/google/pprof/proto) for the fields Kiln reads,
 * straight from the protobuf wire format into numbers: a profile holds a location id per frame of
 * every sample, and 64-bit integers as bigints (a general runtime's choice) made decoding and every
 * lookup by id slow. Ids are only compared, so one past 2^53 (a writer may use addresses or hashes)
 * becomes a negative number of its own. Strict about the wire: a known field of the wrong wire type,
 * a length past its message, a varint over 10 bytes, invalid UTF-8 or a group are errors; unknown
 * fields are skipped, as protobuf readers skip them.
 */
import { ProfileError } from '~/core/model/profile';

export interface PprofValueType {
  type: number;
  unit: number;
}
export interface PprofLabel {
  key: number;
  str: number;
  num: number;
}
export interface PprofSample {
  locationId: number[];
  value: number[];
  label: PprofLabel[];
}
export interface PprofMapping {
  id: number;
  filename: number;
}
export interface PprofLine {
  functionId: number;
  line: number;
}
export interface PprofLocation {
  id: number;
  mappingId: number;
  address: bigint;
  line: PprofLine[];
}
export interface PprofFunction {
  id: number;
  name: number;
  systemName: number;
  filename: number;
}
export interface PprofProfile {
  sampleType: PprofValueType[];
  sample: PprofSample[];
  mapping: PprofMapping[];
  location: PprofLocation[];
  function: PprofFunction[];
  stringTable: string[];
  comment: number[];
  defaultSampleType: number;
}

const VARINT = 0,
  FIXED64 = 1,
  LENGTH = 2,
  FIXED32 = 5;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads one message's fields from `bytes[pos, end)`. */
class Reader {
  pos: number;
  field = 0;
  wire = 0;
  /** The low and high 32 bits of the last varint read. */
  private lo = 0;
  private hi = 0;

  constructor(
    private readonly bytes: Uint8Array,
    start: number,
    public end: number,
    /** Ids past 2^53 by their exact value, each given a negative number, shared by a profile's messages. */
    private readonly wideIds: Map<bigint, number> = new Map(),
  ) {
    this.pos = start;
  }

  fail(message: string): never {
    throw new ProfileError(`this pprof profile cannot be decoded: ${message}`, this.pos);
  }

  /** Reads the next field's tag; false at the end of the message. */
  next(): boolean {
    if (this.pos >= this.end) return false;
    this.varint();
    if (this.hi !== 0 || this.lo >>> 3 === 0) this.fail(`a field tag (${this.lo}) names no field`);
    this.field = this.lo >>> 3;
    this.wire = this.lo & 7;
    return true;
  }

  private varint(): void {
    const b = this.bytes;
    let lo = 0,
      hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail('the data ends inside a number');
      const c = b[this.pos++];
      if (i < 4) lo |= (c & 0x7f) << (7 * i);
      else if (i === 4) {
        lo |= (c & 0x0f) << 28;
        hi = (c & 0x7f) >> 4;
      } else hi |= (c & 0x7f) << (7 * i - 32);
      if (c < 0x80) {
        this.lo = lo >>> 0;
        this.hi = hi >>> 0;
        return;
      }
    }
    this.fail('a number is longer than 10 bytes');
  }

  /** An unsigned varint that must be exact as a number (ids, lengths). */
  uint(): number {
    this.varint();
    if (this.hi >= 0x200000) this.fail('a number is larger than 2^53');
    return this.hi * 2 ** 32 + this.lo;
  }

  /** A uint64 id: exact below 2^53, and past it a negative number standing for that one id. */
  id(): number {
    this.varint();
    if (this.hi < 0x200000) return this.hi * 2 ** 32 + this.lo;
    const wide = (BigInt(this.hi) << 32n) | BigInt(this.lo);
    let n = this.wideIds.get(wide);
    if (n === undefined) this.wideIds.set(wide, (n = -1 - this.wideIds.size));
    return n;
  }

  /** A signed 64-bit varint (int64), to the nearest number. */
  int(): number {
    this.varint();
    return this.hi >= 0x80000000 ? (this.hi - 2 ** 32) * 2 ** 32 + this.lo : this.hi * 2 ** 32 + this.lo;
  }

  /** An unsigned 64-bit varint, exactly. */
  big(): bigint {
    this.varint();
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  /** The end of the length-delimited value that starts here. */
  length(): number {
    const n = this.uint();
    if (n > this.end - this.pos) this.fail(`a value of ${n} bytes runs past its message`);
    return this.pos + n;
  }

  /** A reader of the embedded message that starts here, which this one then skips. */
  message(): Reader {
    const end = this.length();
    const r = new Reader(this.bytes, this.pos, end, this.wideIds);
    this.pos = end;
    return r;
  }

  text(): string {
    const end = this.length();
    try {
      return utf8.decode(this.bytes.subarray(this.pos, end));
    } catch {
      return this.fail('a string is not valid UTF-8');
    } finally {
      this.pos = end;
    }
  }

  /** Fails unless the current field has wire type `wire`. */
  expect(wire: number): void {
    if (this.wire !== wire) this.fail(`field ${this.field} has wire type ${this.wire}, not ${wire}`);
  }

  /** A repeated integer field's values, packed or one by one, read by `read` into `into`. */
  repeated(into: number[], read: () => number): void {
    if (this.wire === VARINT) {
      into.push(read());
      return;
    }
    this.expect(LENGTH);
    const end = this.length();
    const outer = this.end;
    // The packed values are read as a message of their own, so a number cannot run past them.
    this.end = end;
    while (this.pos < end) into.push(read());
    this.end = outer;
  }

  skipField(): void {
    switch (this.wire) {
      case VARINT:
        this.varint();
        return;
      case FIXED64:
      case FIXED32: {
        const n = this.wire === FIXED64 ? 8 : 4;
        if (n > this.end - this.pos) this.fail('the data ends inside a number');
        this.pos += n;
        return;
      }
      case LENGTH:
        this.pos = this.length();
        return;
      default:
        this.fail(`field ${this.field} has wire type ${this.wire}, which profile.proto does not use`);
    }
  }
}

function valueType(r: Reader): PprofValueType {
  const v: PprofValueType = { type: 0, unit: 0 };
  while (r.next()) {
    if (r.field === 1 || r.field === 2) {
      r.expect(VARINT);
      v[r.field === 1 ? 'type' : 'unit'] = r.int();
    } else r.skipField();
  }
  return v;
}

function label(r: Reader): PprofLabel {
  const l: PprofLabel = { key: 0, str: 0, num: 0 };
  while (r.next()) {
    if (r.field >= 1 && r.field <= 3) {
      r.expect(VARINT);
      l[(['key', 'str', 'num'] as const)[r.field - 1]] = r.int();
    } else r.skipField();
  }
  return l;
}

function sample(r: Reader): PprofSample {
  const s: PprofSample = { locationId: [], value: [], label: [] };
  const id = () => r.id(),
    int = () => r.int();
  while (r.next()) {
    if (r.field === 1) r.repeated(s.locationId, id);
    else if (r.field === 2) r.repeated(s.value, int);
    else if (r.field === 3) {
      r.expect(LENGTH);
      s.label.push(label(r.message()));
    } else r.skipField();
  }
  return s;
}

function mapping(r: Reader): PprofMapping {
  const m: PprofMapping = { id: 0, filename: 0 };
  while (r.next()) {
    if (r.field === 1) {
      r.expect(VARINT);
      m.id = r.id();
    } else if (r.field === 5) {
      r.expect(VARINT);
      m.filename = r.int();
    } else r.skipField();
  }
  return m;
}

function line(r: Reader): PprofLine {
  const l: PprofLine = { functionId: 0, line: 0 };
  while (r.next()) {
    if (r.field === 1) {
      r.expect(VARINT);
      l.functionId = r.id();
    } else if (r.field === 2) {
      r.expect(VARINT);
      l.line = r.int();
    } else r.skipField();
  }
  return l;
}

function location(r: Reader): PprofLocation {
  const l: PprofLocation = { id: 0, mappingId: 0, address: 0n, line: [] };
  while (r.next()) {
    if (r.field === 1 || r.field === 2) {
      r.expect(VARINT);
      l[r.field === 1 ? 'id' : 'mappingId'] = r.id();
    } else if (r.field === 3) {
      r.expect(VARINT);
      l.address = r.big();
    } else if (r.field === 4) {
      r.expect(LENGTH);
      l.line.push(line(r.message()));
    } else r.skipField();
  }
  return l;
}

function fn(r: Reader): PprofFunction {
  const f: PprofFunction = { id: 0, name: 0, systemName: 0, filename: 0 };
  while (r.next()) {
    if (r.field === 1) {
      r.expect(VARINT);
      f.id = r.id();
    } else if (r.field >= 2 && r.field <= 4) {
      r.expect(VARINT);
      f[(['name', 'systemName', 'filename'] as const)[r.field - 2]] = r.int();
    } else r.skipField();
  }
  return f;
}

/** Decodes a `Profile` message (not gzip'd): the fields Kiln reads. */
export function decodeProfile(bytes: Uint8Array): PprofProfile {
  const p: PprofProfile = {
    sampleType: [],
    sample: [],
    mapping: [],
    location: [],
    function: [],
    stringTable: [],
    comment: [],
    defaultSampleType: 0,
  };
  const r = new Reader(bytes, 0, bytes.length);
  const int = () => r.int();
  while (r.next()) {
    switch (r.field) {
      case 1:
        r.expect(LENGTH);
        p.sampleType.push(valueType(r.message()));
        break;
      case 2:
        r.expect(LENGTH);
        p.sample.push(sample(r.message()));
        break;
      case 3:
        r.expect(LENGTH);
        p.mapping.push(mapping(r.message()));
        break;
      case 4:
        r.expect(LENGTH);
        p.location.push(location(r.message()));
        break;
      case 5:
        r.expect(LENGTH);
        p.function.push(fn(r.message()));
        break;
      case 6:
        r.expect(LENGTH);
        p.stringTable.push(r.text());
        break;
      case 13:
        r.repeated(p.comment, int);
        break;
      case 14:
        r.expect(VARINT);
        p.defaultSampleType = r.int();
        break;
      case 7:
      case 8:
      case 9:
      case 10:
      case 12:
      case 15:
        r.expect(VARINT);
        r.skipField();
        break;
      case 11:
        r.expect(LENGTH);
        r.skipField();
        break;
      default:
        r.skipField();
    }
  }
  return p;
}
