import type { Profile } from '~/core/model/profile';
import { stringAt } from '~/core/model/string-pack';
import { libraryKindTitle, type LibraryKind } from '~/core/analysis/transforms/library-code';
import { transformTitle } from '~/core/analysis/transforms/transform-text';
import type { Transform } from '~/core/analysis/transforms/transforms';
import { displayName, visibleText } from '../flame/names';
import { MenuButton } from './MenuButton';

interface Props {
  /** The profile the transforms were applied to: names in them are its frames. */
  profile: Profile;
  transforms: Transform[];
  /** Whether the last of them is still being applied. */
  pending: boolean;
  /** A frame of `profile`, or null. */
  selected: number | null;
  onChange(transforms: Transform[]): void;
}

const libraries = Object.keys(libraryKindTitle) as LibraryKind[];

/** A crumb's text: a focus path shown by its ends, the focused function last, where the crumb keeps its text. */
function crumbText(t: Transform, name: (frame: number) => string): string {
  if (t.kind !== 'focus-subtree' || t.path.length < 3) return transformTitle(t, name);
  return `Focus: ${name(t.path[0])} → … → ${name(t.path[t.path.length - 1])}`;
}

/** The menu that adds a transform (most act on the selected function) and the breadcrumbs of those applied. */
export function Transforms({ profile, transforms, pending, selected, onChange }: Props) {
  const frame = selected !== null && selected < profile.frames.count ? selected : null;
  const name = (f: number) => (f < profile.frames.count ? displayName(profile, f) : `#${f}`);
  const file = frame === null ? '' : stringAt(profile.strings, profile.frames.file[frame]);
  const slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  const folder = slash > 0 ? file.slice(0, slash) : '';
  const options: [string, Transform][] = [];
  if (frame !== null) {
    const fn = name(frame);
    options.push(
      [`Focus on ${fn}`, { kind: 'focus-function', frame }],
      [`Merge ${fn} into its callers`, { kind: 'merge-function', frame }],
      [`Drop samples through ${fn}`, { kind: 'drop-function', frame }],
      [`Collapse direct recursion of ${fn}`, { kind: 'collapse-direct-recursion', frame }],
      [`Collapse recursion of ${fn}`, { kind: 'collapse-recursion', frame }],
    );
    if (file && file !== '~') options.push([`Collapse file ${file}`, { kind: 'collapse-resource', path: file }]);
    if (folder) options.push([`Collapse package ${folder}`, { kind: 'collapse-resource', path: folder }]);
  }
  for (const library of libraries)
    options.push([`Collapse ${libraryKindTitle[library]}`, { kind: 'collapse-library', library }]);
  options.push(['Hide library code', { kind: 'hide-library' }]);

  return (
    <>
      <MenuButton
        class="transform-menu"
        items={options.map(([text], k) => ({ id: String(k), text: visibleText(text) }))}
        onChoose={(id) => onChange([...transforms, options[Number(id)][1]])}
        title="Rewrite the profile every view shows: focus, merge, drop, collapse"
      >
        Transform…
      </MenuButton>
      {transforms.length > 0 && (
        <nav class="transforms" aria-label="Transforms applied" aria-busy={pending} data-testid="transforms">
          <button class="link" onClick={() => onChange([])} title="Show the profile as read">
            Whole profile
          </button>
          {transforms.map((t, k) => (
            <span class="crumb" key={k}>
              ›{' '}
              {k < transforms.length - 1 ? (
                <button
                  class="link crumb-text"
                  onClick={() => onChange(transforms.slice(0, k + 1))}
                  title={`${transformTitle(t, name)} (back to this step)`}
                >
                  <bdi>{crumbText(t, name)}</bdi>
                </button>
              ) : (
                <>
                  <span class="crumb-text" title={transformTitle(t, name)} data-testid="last-transform">
                    <bdi>{crumbText(t, name)}</bdi>
                  </span>
                  <button
                    class="link"
                    aria-label="Remove the last transform"
                    title="Remove"
                    onClick={() => onChange(transforms.slice(0, -1))}
                  >
                    ×
                  </button>
                </>
              )}
            </span>
          ))}
          {pending && <span class="muted"> applying…</span>}
        </nav>
      )}
    </>
  );
}
