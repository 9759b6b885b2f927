import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FrameKind, frameKindOf } from '~/core/model/profile';
import { stringAt } from '~/core/model/string-pack';
import { fixtureFiles, readText } from '~/test/fixtures';
import { foldedStacks, stacksTruth } from '~/test/tachyon-truth';
import { parseStackText } from './read-stacks';

const files = fixtureFiles('tachyon', '.collapsed');

describe.each(files)('Tachyon collapsed %s', (path) => {
  const profile = parseStackText(readText(path), basename(path));
  const truth = stacksTruth(basename(path));
  const labelOf = (f: number) => stringAt(profile.strings, profile.frames.label[f]);

  it('is read as Tachyon with every sample and stack of the truth', () => {
    expect(profile.format).toBe('tachyon');
    expect(profile.invalidLines).toBe(0);
    expect(profile.samples).toBe(truth.samples);
    expect(foldedStacks(profile)).toEqual(truth.stacks);
  });

  it('has the threads as root frames, and only them', () => {
    const roots: Record<string, number> = {};
    for (let i = 0; i < profile.tree.count; i++) {
      const kind = frameKindOf(profile.frames, profile.tree.frame[i]);
      expect(kind === FrameKind.thread).toBe(profile.tree.depth[i] === 0);
      if (profile.tree.depth[i] === 0) roots[labelOf(profile.tree.frame[i])] = profile.tree.total[i];
    }
    expect(roots).toEqual(truth.threads);
  });

  it('marks made-up frames as synthetic and the rest as code', () => {
    for (let f = 0; f < profile.frames.count; f++) {
      const label = labelOf(f);
      const kind = frameKindOf(profile.frames, f);
      if (/^tid:\d+$/.test(label)) expect(kind).toBe(FrameKind.thread);
      else if (/^<[^:]*>$|^<task>:/.test(label)) expect(kind, label).toBe(FrameKind.synthetic);
      else expect(kind, label).toBe(FrameKind.code);
    }
  });
});

it('finds the made-up frames the recordings hold', () => {
  const labels = files.flatMap((path) => {
    const p = parseStackText(readText(path), basename(path));
    return Array.from({ length: p.frames.count }, (_, f) => f)
      .filter((f) => frameKindOf(p.frames, f) === FrameKind.synthetic)
      .map((f) => stringAt(p.strings, p.frames.label[f]));
  });
  expect(labels).toContain('<GC>');
  expect(labels.some((l) => l.startsWith('<task>:'))).toBe(true);
});
