import { FrameKind, frameKindOf, type Profile } from '../model/profile';
import { stringAt } from '../model/string-pack';

interface SampledProfile {
  type: 'sampled';
  name: string;
  unit: 'none' | 'seconds' | 'microseconds' | 'bytes';
  startValue: number;
  endValue: number;
  samples: number[][];
  weights: number[];
}

/** The subset of speedscope's file format (https://www.speedscope.app/file-format-schema.json) Kiln writes. */
export interface SpeedscopeFile {
  $schema: string;
  name: string;
  exporter: string;
  shared: { frames: { name: string; file?: string; line?: number }[] };
  profiles: SampledProfile[];
}

const units = {
  samples: 'none',
  events: 'none',
  seconds: 'seconds',
  microseconds: 'microseconds',
  kilobytes: 'bytes',
} as const;

const isThreadOrProcess = (p: Profile, frame: number) => {
  const kind = frameKindOf(p.frames, frame);
  return kind === FrameKind.thread || kind === FrameKind.process;
};

/**
 * The profile's tree as speedscope "sampled" profiles: one weighted sample per node with self
 * weight. When every root is a thread or a process (with no weight of its own), each is a profile of its own named by it (as
 * py-spy writes threads), which speedscope lets the user pick; otherwise one profile holds all.
 * Idle samples are empty stacks.
 */
export function toSpeedscope(p: Profile): SpeedscopeFile {
  const scale = p.unit === 'kilobytes' ? 1024 : 1;
  const frames = Array.from({ length: p.frames.count }, (_, f) => {
    const file = stringAt(p.strings, p.frames.file[f]);
    const line = p.frames.line[f];
    return {
      name: stringAt(p.strings, p.frames.name[f]) || stringAt(p.strings, p.frames.label[f]),
      // pstats' file of built-ins, `~`, is kept where it tells a built-in from a frame the profiler made up.
      ...(file && (file !== '~' || frameKindOf(p.frames, f) === FrameKind.code) ? { file } : {}),
      ...(line > 0 ? { line } : {}),
    };
  });
  const t = p.tree;
  let split = t.count > 0;
  for (let i = 0; i < t.count && split; i += t.size[i]) split = isThreadOrProcess(p, t.frame[i]) && t.self[i] === 0;
  const unit = units[p.unit];
  const profiles: SampledProfile[] = [];
  const start = (name: string) => {
    profiles.push({ type: 'sampled', name, unit, startValue: 0, endValue: 0, samples: [], weights: [] });
    return profiles[profiles.length - 1];
  };
  let out = split ? undefined : start(p.fileName);
  const path: number[] = [];
  for (let i = 0; i < t.count; i++) {
    if (split && t.depth[i] === 0) out = start(stringAt(p.strings, p.frames.label[t.frame[i]]));
    const depth = split ? t.depth[i] - 1 : t.depth[i];
    path.length = Math.max(depth, 0);
    if (depth >= 0) path.push(t.frame[i]);
    if (t.self[i] > 0 && path.length > 0) {
      out!.samples.push(path.slice());
      out!.weights.push(t.self[i] * scale);
      out!.endValue += t.self[i] * scale;
    }
  }
  if (p.idle + p.failed > 0) {
    const first = profiles[0] ?? start(p.fileName);
    first.samples.push([]);
    first.weights.push((p.idle + p.failed) * scale);
    first.endValue += (p.idle + p.failed) * scale;
  }
  return {
    $schema: 'https://www.speedscope.app/file-format-schema.json',
    name: p.fileName,
    exporter: 'kiln',
    shared: { frames },
    profiles,
  };
}
