import { libraryKindTitle, type LibraryKind } from './library-code';
import type { Transform } from './transforms';

type FrameTransform = Extract<Transform, { frame: number }>;

const frameWords: Record<FrameTransform['kind'], string> = {
  'focus-function': 'focus-fn',
  'merge-function': 'merge',
  'drop-function': 'drop',
  'collapse-direct-recursion': 'rec-direct',
  'collapse-recursion': 'rec',
};
const frameKinds = new Map(Object.entries(frameWords).map(([kind, word]) => [word, kind as FrameTransform['kind']]));

/** A transform as a word and its argument, e.g. `merge:12`, `focus:0,4,9`, `collapse:/usr/lib/python3.12`. */
export function transformText(t: Transform): string {
  switch (t.kind) {
    case 'focus-subtree':
      return `focus:${t.path.join(',')}`;
    case 'collapse-resource':
      return `collapse:${t.path}`;
    case 'collapse-library':
      return `collapse-lib:${t.library}`;
    case 'hide-library':
      return 'hide-lib';
    default:
      return `${frameWords[t.kind]}:${t.frame}`;
  }
}

const frameId = (s: string) => (/^\d{1,9}$/.test(s) ? Number(s) : null);

/** Reads what `transformText` writes; null for anything else. */
export function parseTransform(text: string): Transform | null {
  const colon = text.indexOf(':');
  const word = colon < 0 ? text : text.slice(0, colon);
  const arg = colon < 0 ? '' : text.slice(colon + 1);
  if (word === 'hide-lib' && colon < 0) return { kind: 'hide-library' };
  if (colon < 0) return null;
  if (word === 'focus') {
    const path = arg.split(',').map(frameId);
    return path.every((f) => f !== null) ? { kind: 'focus-subtree', path: path as number[] } : null;
  }
  if (word === 'collapse') return arg ? { kind: 'collapse-resource', path: arg } : null;
  if (word === 'collapse-lib')
    return Object.hasOwn(libraryKindTitle, arg) ? { kind: 'collapse-library', library: arg as LibraryKind } : null;
  const kind = frameKinds.get(word);
  const frame = frameId(arg);
  return kind && frame !== null ? { kind, frame } : null;
}

/** What a transform does, for its chip in the breadcrumb list; `name` names a frame. */
export function transformTitle(t: Transform, name: (frame: number) => string): string {
  switch (t.kind) {
    case 'focus-subtree':
      return `Focus: ${t.path.map(name).join(' → ')}`;
    case 'focus-function':
      return `Focus on ${name(t.frame)}`;
    case 'merge-function':
      return `Merge ${name(t.frame)}`;
    case 'drop-function':
      return `Drop ${name(t.frame)}`;
    case 'collapse-direct-recursion':
      return `Collapse direct recursion of ${name(t.frame)}`;
    case 'collapse-recursion':
      return `Collapse recursion of ${name(t.frame)}`;
    case 'collapse-resource':
      return `Collapse ${t.path}`;
    case 'collapse-library':
      return `Collapse ${libraryKindTitle[t.library]}`;
    case 'hide-library':
      return 'Hide library code';
  }
}
