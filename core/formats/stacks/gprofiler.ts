/**
 * gProfiler's collapsed files (`.col`, Granulate/gprofiler `merge.py`): a first line `# {JSON}` of
 * metadata, then folded stacks whose first frames say where the sample ran: the index of its
 * application's metadata (when that is enabled), its container (empty outside one), its process
 * (`comm`), then an optional `appid: …` frame, then the profiler's frames, each with a suffix
 * naming its source: `_[p]` Python (`function (file.py:12)`), `_[pn]` native under PyPerf, `_[k]`
 * kernel, `_[j]`/`_[i]`/`_[0]`/`_[1]` Java, `_[rb]` Ruby, `_[php]`, `_[net]`; native frames have none.
 */
import { FrameKind, type Profile } from '~/core/model/profile';
import { nameOnly, splitParenFrame, type FrameParts } from './frame-parts';
import { MAX_STACK_FRAMES, splitCount, type StackCollector, type StackLines } from './stack-collector';

const METADATA_LINE = /^# \{.*"(profiling_mode|container_names_enabled|application_metadata_enabled)"/;
const SUFFIX = /_\[([a-z0-9]{1,4})\]$/;

/** Whether the file starts with gProfiler's metadata line. */
export const looksLikeGprofiler = (lines: readonly string[]): boolean =>
  lines.length > 0 && METADATA_LINE.test(lines[0]);

/** A frame without its suffix: Python frames split into function, file and line; the others are names. */
export function splitGprofilerFrame(label: string): FrameParts {
  const m = SUFFIX.exec(label);
  const bare = m ? label.slice(0, m.index) : label;
  return m?.[1] === 'p' ? splitParenFrame(bare) : nameOnly(bare);
}

type Json = Record<string, unknown>;
const isRecord = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
const field = (o: unknown, key: string): unknown => (isRecord(o) && Object.hasOwn(o, key) ? o[key] : undefined);

/** The metadata worth a line above the profile: host, mode, time, and the averages gProfiler measured. */
function metadataSummary(meta: unknown): string {
  const m = field(meta, 'metadata');
  const metrics = field(meta, 'metrics');
  const parts: string[] = [];
  const add = (label: string, v: unknown, suffix = '') => {
    if (typeof v === 'string' || typeof v === 'number') parts.push(`${label} ${v}${suffix}`);
  };
  add('host', field(m, 'hostname'));
  add('mode', field(meta, 'profiling_mode'));
  add('from', field(m, 'start_time'));
  add('to', field(m, 'end_time'));
  add('agent', field(m, 'agent_version'));
  add('CPU', field(metrics, 'cpu_avg'), '%');
  add('memory', field(metrics, 'mem_avg'), '%');
  const containers = field(meta, 'containers');
  if (Array.isArray(containers) && containers.length) parts.push(`${containers.length} containers`);
  return `gProfiler metadata: ${parts.length ? parts.join(', ') : 'none readable'}`;
}

export class GprofilerLines implements StackLines {
  /** Whether each stack starts with an application metadata index; gProfiler says so in the metadata. */
  private appIndex = true;
  private metadata: string | undefined;

  constructor(
    private readonly collector: StackCollector,
    private readonly fileName: string,
  ) {}

  read(text: string, lineNo: number): void {
    if (lineNo === 1 && text.startsWith('# ')) return this.readMetadata(text, lineNo);
    if (text.startsWith('#')) return;
    const counted = splitCount(text);
    if (!counted) return this.collector.invalid(lineNo);
    const c = this.collector;
    const frames = text.slice(0, counted.stackEnd).split(';');
    if (frames.length > MAX_STACK_FRAMES) return c.oversize(lineNo, 'deep');
    let at = this.appIndex ? 1 : 0;
    if (frames.length < at + 3) return c.invalid(lineNo);
    c.begin();
    const container = frames[at++];
    if (container) c.pushId(c.frameId(`container: ${container}`, nameOnly, FrameKind.process));
    c.pushId(c.frameId(frames[at++], nameOnly, FrameKind.process));
    if (frames[at].startsWith('appid: ')) c.pushId(c.frameId(frames[at++], nameOnly, FrameKind.synthetic));
    for (; at < frames.length; at++) {
      if (!c.push(frames[at], splitGprofilerFrame)) return c.oversize(lineNo, c.refused);
    }
    c.commit(counted.weight);
  }

  private readMetadata(text: string, lineNo: number): void {
    let meta: unknown;
    try {
      meta = JSON.parse(text.slice(2));
    } catch {
      return this.collector.invalid(lineNo);
    }
    const enabled = field(meta, 'application_metadata_enabled');
    if (typeof enabled === 'boolean') this.appIndex = enabled;
    this.metadata = metadataSummary(meta);
  }

  build(): Profile {
    const { profile } = this.collector.build({ format: 'gprofiler', unit: 'samples', fileName: this.fileName });
    if (this.metadata) profile.warnings.unshift(this.metadata);
    return profile;
  }
}
