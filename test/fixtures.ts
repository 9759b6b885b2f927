import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared fixtures, read in place beside the project. */
export const fixturesDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/fixtures');

export function fixtureFiles(subdir: string, suffix: string): string[] {
  return readdirSync(join(fixturesDir, subdir))
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => join(fixturesDir, subdir, f));
}

export const readBytes = (path: string): Uint8Array => new Uint8Array(readFileSync(path));
export const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
export const readText = (path: string): string => readFileSync(path, 'utf8');
