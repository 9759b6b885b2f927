import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toSpeedscope } from '~/core/export/speedscope';
import { flameSvg } from './svg';
import { imageHeader } from './image-header';
import { diffTrees } from '~/core/analysis/tree-diff';
import { diffColor } from '../flame/diff-color';
import { canvasPalette } from '../flame/colors';
import { nodeStarts, treeTotal } from '../flame/layout';
import { parsePstats } from '~/core/formats/pstats/read-pstats';
import { parseStackText } from '~/core/formats/stacks/read-stacks';
import { fixtureFiles, readBytes, readJson, readText } from '~/test/fixtures';
import type { Profile } from '~/core/model/profile';

const samp = (name: string) => {
  const path = fixtureFiles('pyflame', '.samp').find((f) => basename(f) === name)!;
  return {
    profile: parseStackText(readText(path), name),
    truth: readJson<{ samples: number; stacks: Record<string, number> }>(`${path}.truth.json`),
  };
};

const pstatsFixture = (name: string) =>
  parsePstats(readBytes(fixtureFiles('pstats/out', '.prof').find((f) => basename(f) === name)!), name);

/** The whole flame graph of a pstats profile, in seconds, as the export draws it. */
const wholeFlame = (profile: Profile) => ({
  profile,
  tree: profile.tree,
  starts: nodeStarts(profile.tree),
  orientation: 'flame' as const,
  x0: 0,
  x1: treeTotal(profile.tree),
  formatWeight: (w: number) => `${w.toFixed(3)} s`,
  grandTotal: profile.pstats!.totalTt,
});

describe('exports', () => {
  it('speedscope JSON holds every stack with its weight', () => {
    const { profile, truth } = samp('cpu-py36-default.samp');
    const file = toSpeedscope(profile);
    const p = file.profiles[0];
    expect(p.unit).toBe('none');
    expect(p.endValue).toBe(truth.samples);
    const stacks: Record<string, number> = {};
    const label = (i: number) => {
      const f = file.shared.frames[i];
      return `${f.file}:${f.name}:${f.line}`;
    };
    p.samples.forEach((s, k) => (stacks[s.map(label).join(';')] = p.weights[k]));
    expect(stacks).toEqual(truth.stacks);
  });

  it('SVG keeps names as escaped text and details in titles', () => {
    const profile = pstatsFixture('seeds-py312-cprofile.prof');
    const svg = flameSvg({ ...wholeFlame(profile), title: 'seeds <&> "test"' });
    expect(svg).toContain('seeds &lt;&amp;&gt; &quot;test&quot;');
    expect(svg).toContain('>seeds</text>');
    const seeds = profile.pstats!.ct[profile.tree.frame[0]];
    const share = ((100 * seeds) / profile.pstats!.totalTt).toFixed(2);
    expect(svg).toContain(`<title>/home/dev/shop/workloads.py:78(seeds)\n${seeds.toFixed(3)} s (${share} %)</title>`);
    expect(svg).not.toMatch(/<[^/?a-z]/);
  });

  it("SVG is drawn in the page's colours: the dark page's background and text, names on frames as on the canvas", () => {
    const profile = pstatsFixture('seeds-py312-cprofile.prof');
    const dark = canvasPalette('dark');
    const svg = flameSvg({
      ...wholeFlame(profile),
      title: 'seeds',
      legend: { keys: [], lines: ['total: 1 s'] },
      colors: { background: 'rgb(22, 24, 29)', text: dark.text, label: dark.label },
    });
    expect(svg).toContain('<rect width="100%" height="100%" fill="rgb(22, 24, 29)"/>');
    const headers = [...svg.matchAll(/<text class="header"[^>]*>/g)].map((m) => m[0]);
    expect(headers.length).toBe(2);
    for (const h of headers) expect(h).toContain(`fill="${dark.text}"`);
    // Every frame's name is in the group that gives it the label colour.
    const frames = svg.slice(svg.indexOf(`<g fill="${dark.label}">`));
    expect(frames).toContain('>seeds</text>');
    expect(svg.match(/<text x=/g)!.length).toBe(frames.match(/<text x=/g)!.length);
  });

  it('SVG of the differential graph keeps its colours and both values in each title', () => {
    const base = pstatsFixture('seeds-py311-cprofile.prof'),
      next = pstatsFixture('seeds-py312-cprofile.prof');
    const diff = diffTrees(base, next);
    let changed = 0;
    for (let i = 0; i < next.tree.count; i++) {
      if (Math.abs(diff.newValue[i] - diff.baseValue[i]) > Math.abs(diff.newValue[changed] - diff.baseValue[changed]))
        changed = i;
    }
    expect(Math.abs(diff.newValue[changed] - diff.baseValue[changed])).toBeGreaterThan(0.0001);
    const shares = (i: number) => `before: ${diff.baseValue[i]} s, after: ${diff.newValue[i]} s`;
    const svg = flameSvg({
      ...wholeFlame(next),
      title: 'diff',
      width: 100000,
      nodeColor: (i) => diffColor(diff.newValue[i] - diff.baseValue[i], diff.maxChange),
      details: (i) => [shares(i)],
    });
    const label = svg.split('<g>').find((g) => g.includes(`${shares(changed)}</title>`));
    expect(label).toBeDefined();
    expect(label).toContain(`fill="${diffColor(diff.newValue[changed] - diff.baseValue[changed], diff.maxChange)}"`);
  });

  it('SVG writes markup in frame names as text, and characters XML cannot hold as U+FFFD', () => {
    const names = [
      '<img src=x onerror=alert(1)>',
      '</script><script>alert(2)</script>',
      'a\u0001b\ud800c',
      `R&D "it's"`,
    ];
    const profile = parseStackText(names.map((n, i) => `evil.py:${n}:${i + 1} ${i + 1}\n`).join(''), 'evil.folded');
    const svg = flameSvg({
      profile,
      tree: profile.tree,
      starts: nodeStarts(profile.tree),
      orientation: 'icicle',
      x0: 0,
      x1: treeTotal(profile.tree),
      title: '<b>evil</b>',
      formatWeight: (w) => `${w}`,
      grandTotal: profile.samples,
      width: 8000,
    });
    expect(svg).toContain('>&lt;img src=x onerror=alert(1)&gt;</text>');
    expect(svg).toContain('>&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;</text>');
    expect(svg).toContain('>a\ufffdb\ufffdc</text>');
    expect(svg).toContain('>R&amp;D &quot;it&apos;s&quot;</text>');
    expect(svg).toContain('&lt;b&gt;evil&lt;/b&gt;');
    expect(svg).not.toMatch(/<(?!\/?(svg|rect|text|title|g)\b|\?xml)/);
    // eslint-disable-next-line no-control-regex -- the controls XML forbids are what is looked for
    expect(svg).not.toMatch(/[\u0000-\u0008\ud800-\udfff]/);
  });

  it('an exported graph stands alone: its title, its colour key and totals above it, and no room below its deepest row', () => {
    const path = fixtureFiles('pstats/out', '.prof').find((f) => basename(f) === 'seeds-py312-cprofile.prof')!;
    const profile = parsePstats(readBytes(path), 'seeds.prof');
    const legend = {
      keys: [
        { color: diffColor(-1, 1), text: 'less than before' },
        { color: diffColor(1, 1), text: 'more than before' },
      ],
      lines: ['before: 0.031 s (seeds-py311.prof)', 'after: 0.034 s (seeds-py312.prof)'],
    };
    const options = { ...wholeFlame(profile), title: 'seeds.prof — flame graph — zoomed to seeds', legend };
    for (const width of [1200, 240]) {
      const svg = flameSvg({ ...options, width });
      const header = imageHeader(options.title, legend, width);
      expect(svg).toContain('font-size="14">seeds.prof — flame graph — zoomed to seeds</text>');
      for (const key of legend.keys) {
        expect(
          svg.split('\n').some((l) => l.startsWith('<rect class="key"') && l.endsWith(`fill="${key.color}"/>`)),
        ).toBe(true);
        expect(svg).toContain(`>${key.text}</text>`);
      }
      for (const line of legend.lines) expect(svg).toContain(`>${line}</text>`);
      for (const part of header.parts) {
        expect(part.x).toBeGreaterThanOrEqual(0);
        if (part.kind === 'swatch') expect(part.x + part.size).toBeLessThanOrEqual(width);
        expect(part.y).toBeLessThan(header.height);
      }
      const height = Number(/<svg [^>]*height="(\d+)"/.exec(svg)![1]);
      const frameRows = [...svg.matchAll(/<g><title>[^<]*<\/title><rect x="[\d.]+" y="(\d+)"/g)].map((m) =>
        Number(m[1]),
      );
      expect(Math.min(...frameRows)).toBe(header.height);
      expect(Math.max(...frameRows) + 17 + 10).toBe(height);
    }
    // Narrow, the keys wrap onto more lines.
    expect(imageHeader(options.title, legend, 240).height).toBeGreaterThan(
      imageHeader(options.title, legend, 1200).height,
    );
  });
});
