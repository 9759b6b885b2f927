import type { Profile } from '~/core/model/profile';
import type { ThreadChoice, ThreadRoots } from '~/core/analysis/threads';
import { stringAt } from '~/core/model/string-pack';
import { visibleText } from '../flame/names';

interface Props {
  profile: Profile;
  roots: ThreadRoots;
  choice: ThreadChoice;
  onChoice(choice: ThreadChoice): void;
}

/**
 * Which threads (or processes) of a profile that recorded several are shown: all by default, side
 * by side as roots; one or several of them; and their identical stacks merged or not.
 */
export function ThreadPicker({ profile, roots, choice, onChoice }: Props) {
  const all = roots.frame.length;
  const total = roots.total.reduce((s, w) => s + w, 0);
  const shown = (f: number) => choice.only === null || choice.only.includes(f);
  const toggle = (f: number, on: boolean) => {
    const next = Array.from(roots.frame).filter((g) => (g === f ? on : shown(g)));
    onChoice({ ...choice, only: next.length === all ? null : next });
  };
  const count = choice.only === null ? all : choice.only.length;
  return (
    <details class="thread-picker" data-testid="thread-picker">
      <summary>
        Threads: {count === all ? `all ${all}` : `${count} of ${all}`}
        {choice.merge && ', merged'}
      </summary>
      <div class="thread-menu">
        <label>
          <input
            type="checkbox"
            checked={choice.merge}
            onChange={(e) => onChoice({ ...choice, merge: (e.target as HTMLInputElement).checked })}
          />{' '}
          merge threads <span class="muted">(sum identical stacks of different threads)</span>
        </label>
        <button type="button" disabled={choice.only === null} onClick={() => onChoice({ ...choice, only: null })}>
          Show all
        </button>
        {Array.from(roots.frame, (f, k) => (
          <label key={f}>
            <input
              type="checkbox"
              checked={shown(f)}
              onChange={(e) => toggle(f, (e.target as HTMLInputElement).checked)}
            />{' '}
            {visibleText(stringAt(profile.strings, profile.frames.label[f]))}{' '}
            <span class="muted">{total > 0 ? ((100 * roots.total[k]) / total).toFixed(1) : '0.0'} %</span>
          </label>
        ))}
      </div>
    </details>
  );
}
