import type { CodeKind } from '~/core/analysis/code-kind';

export { codeKind, type CodeKind } from '~/core/analysis/code-kind';

const families: Record<CodeKind, { hue: [number, number]; sat: number; light: number }> = {
  user: { hue: [8, 45], sat: 82, light: 62 },
  stdlib: { hue: [195, 225], sat: 55, light: 70 },
  thirdparty: { hue: [95, 140], sat: 45, light: 60 },
  builtin: { hue: [260, 290], sat: 30, light: 76 },
  synthetic: { hue: [170, 180], sat: 18, light: 84 },
  other: { hue: [30, 40], sat: 8, light: 78 },
};

export const kindLegend: [CodeKind, string][] = [
  ['user', 'your code'],
  ['stdlib', 'standard library'],
  ['thirdparty', 'site-packages'],
  ['builtin', 'built-in'],
  ['synthetic', 'made up by the profiler (<GC>, <native>, tasks)'],
];

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0) / 4294967296;
}

/** A stable colour per function name within its family, so the same function looks the same everywhere. */
export function frameColor(kind: CodeKind, name: string): string {
  const f = families[kind];
  const t = hash(name);
  const hue = f.hue[0] + t * (f.hue[1] - f.hue[0]);
  return `hsl(${hue.toFixed(0)} ${f.sat}% ${(f.light - 6 + 12 * hash(name + '#')).toFixed(0)}%)`;
}

export const legendColor = (kind: CodeKind): string => {
  const f = families[kind];
  return `hsl(${(f.hue[0] + f.hue[1]) / 2} ${f.sat}% ${f.light}%)`;
};

/**
 * What the graphs draw besides frame fills, per page scheme. Frame fills are light in both, with
 * dark names; what stands back (frames a search leaves out, runs too narrow to draw one by one)
 * goes dark on the dark page, so its names turn light.
 */
export interface CanvasPalette {
  /** Frames the search matches (with `matchLabel` names), and the others while a search is on. */
  match: string;
  matchLabel: string;
  dim: string;
  dimLabel: string;
  /** Siblings drawn as one run, and time spent idle. */
  tiny: string;
  /** Names on frame fills. */
  label: string;
  /** The selected function's frames. */
  outline: string;
  /** The focused frame's ring: the page's accent. */
  focus: string;
  /** Text and ticks on the page's background. */
  text: string;
  muted: string;
  /** A dragged time range and its edges. */
  shade: string;
  shadeEdge: string;
}

const LIGHT: CanvasPalette = {
  match: '#d63cc4',
  matchLabel: '#fff',
  dim: '#ddd8d0',
  dimLabel: '#1f2430',
  tiny: '#cfc8be',
  label: '#1f2430',
  outline: '#1f2430',
  focus: '#c2410c',
  text: '#1f2430',
  muted: '#6b7280',
  shade: 'rgba(194, 65, 12, 0.15)',
  shadeEdge: 'rgba(31, 36, 48, 0.35)',
};

const DARK: CanvasPalette = {
  ...LIGHT,
  dim: '#3a3e48',
  dimLabel: '#c9c5be',
  tiny: '#5a5e68',
  outline: '#0b0c10',
  focus: '#f08a4b',
  text: '#e6e3dd',
  muted: '#9ca3af',
  shade: 'rgba(240, 138, 75, 0.2)',
  shadeEdge: 'rgba(230, 227, 221, 0.45)',
};

export const canvasPalette = (theme: 'light' | 'dark'): CanvasPalette => (theme === 'dark' ? DARK : LIGHT);
