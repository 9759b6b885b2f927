import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Profile } from '~/core/model/profile';

/** The shared fixtures, read in place beside the project. */
export const fixturesDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/fixtures');

/** Files made for the project's own tests (each folder's README says how), kept in the repository. */
export const testDataDir = resolve(dirname(fileURLToPath(import.meta.url)), 'data');

export function fixtureFiles(subdir: string, suffix: string): string[] {
  return readdirSync(join(fixturesDir, subdir))
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => join(fixturesDir, subdir, f));
}

export const readBytes = (path: string): Uint8Array => new Uint8Array(readFileSync(path));
export const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
export const readText = (path: string): string => readFileSync(path, 'utf8');

/** A profile's tree as stacks of frames (root first, `;`-joined, each frame as `frameText` writes it) and their self weights. */
export function stacksOf(p: Profile, frameText: (p: Profile, frame: number) => string): Record<string, number> {
  const out: Record<string, number> = Object.create(null) as Record<string, number>;
  const path: string[] = [];
  for (let i = 0; i < p.tree.count; i++) {
    path.length = p.tree.depth[i];
    path.push(frameText(p, p.tree.frame[i]));
    if (p.tree.self[i] > 0) {
      const key = path.join(';');
      out[key] = (out[key] ?? 0) + p.tree.self[i];
    }
  }
  return out;
}

/** The stacks whose weights in `a` and `b` differ by more than `tolerance` (a stack one lacks weighs 0 there). */
export function sameStacks(a: Record<string, number>, b: Record<string, number>, tolerance = 1e-9): string[] {
  const wrong: string[] = [];
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)]))
    if (!(Math.abs((a[k] ?? 0) - (b[k] ?? 0)) <= tolerance)) wrong.push(`${k}: ${a[k]} vs ${b[k]}`);
  return wrong;
}
