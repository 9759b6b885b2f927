import type { Profile } from '../model/profile';
import { stringAt } from '../model/string-pack';

/** The subset of speedscope's file format (https://www.speedscope.app/file-format-schema.json) Kiln writes. */
export interface SpeedscopeFile {
  $schema: string;
  name: string;
  exporter: string;
  shared: { frames: { name: string; file?: string; line?: number }[] };
  profiles: {
    type: 'sampled';
    name: string;
    unit: 'none' | 'seconds' | 'microseconds' | 'bytes';
    startValue: number;
    endValue: number;
    samples: number[][];
    weights: number[];
  }[];
}

const units = {
  samples: 'none',
  events: 'none',
  seconds: 'seconds',
  microseconds: 'microseconds',
  kilobytes: 'bytes',
} as const;

/** The profile's tree as a speedscope "sampled" profile: one weighted sample per node with self weight. */
export function toSpeedscope(p: Profile): SpeedscopeFile {
  const scale = p.unit === 'kilobytes' ? 1024 : 1;
  const frames = Array.from({ length: p.frames.count }, (_, f) => {
    const file = stringAt(p.strings, p.frames.file[f]);
    const line = p.frames.line[f];
    return {
      name: stringAt(p.strings, p.frames.name[f]) || stringAt(p.strings, p.frames.label[f]),
      ...(file && file !== '~' ? { file } : {}),
      ...(line > 0 ? { line } : {}),
    };
  });
  const samples: number[][] = [],
    weights: number[] = [];
  const path: number[] = [];
  let total = 0;
  const t = p.tree;
  for (let i = 0; i < t.count; i++) {
    path.length = t.depth[i];
    path.push(t.frame[i]);
    if (t.self[i] > 0) {
      samples.push(path.slice());
      weights.push(t.self[i] * scale);
      total += t.self[i] * scale;
    }
  }
  return {
    $schema: 'https://www.speedscope.app/file-format-schema.json',
    name: p.fileName,
    exporter: 'kiln',
    shared: { frames },
    profiles: [
      { type: 'sampled', name: p.fileName, unit: units[p.unit], startValue: 0, endValue: total, samples, weights },
    ],
  };
}
