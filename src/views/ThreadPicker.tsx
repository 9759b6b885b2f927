import type { Profile } from '~/core/model/profile';
import type { ThreadChoice, ThreadList } from '~/core/analysis/threads';
import { stringAt } from '~/core/model/string-pack';
import { visibleText } from '../flame/names';

interface Props {
  profile: Profile;
  threads: ThreadList;
  choice: ThreadChoice;
  onChoice(choice: ThreadChoice): void;
}

/** The threads of the list in runs of one process each (a run of root threads has process -1). */
function byProcess(threads: ThreadList): { process: number; members: number[] }[] {
  const groups: { process: number; members: number[] }[] = [];
  threads.process.forEach((process, k) => {
    const last = groups[groups.length - 1];
    if (last && last.process === process) last.members.push(k);
    else groups.push({ process, members: [k] });
  });
  return groups;
}

/**
 * Which threads (or processes) of a profile that recorded several are shown: all by default, side
 * by side; one or several of them; and their identical stacks merged or not. Threads are listed
 * under the process they ran in, and each of several processes can be chosen whole.
 */
export function ThreadPicker({ profile, threads, choice, onChoice }: Props) {
  const all = threads.frame.length;
  const total = threads.total.reduce((s, w) => s + w, 0);
  // A thread is shown when it or its process is chosen (a process chosen whole).
  const shown = (k: number) =>
    choice.only === null || choice.only.includes(threads.frame[k]) || choice.only.includes(threads.process[k]);
  const choose = (entries: number[], on: boolean) => {
    const next = new Set<number>();
    for (let k = 0; k < all; k++) if (entries.includes(k) ? on : shown(k)) next.add(threads.frame[k]);
    onChoice({ ...choice, only: next.size === new Set(threads.frame).size ? null : [...next] });
  };
  const count = threads.frame.filter((_, k) => shown(k)).length;
  const label = (f: number) => visibleText(stringAt(profile.strings, profile.frames.label[f]));
  const share = (w: number) => (total > 0 ? ((100 * w) / total).toFixed(1) : '0.0');
  const groups = byProcess(threads);
  const processes = groups.filter((g) => g.process >= 0).length;
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
        {groups.map(({ process, members }) => {
          const on = members.filter(shown).length;
          return (
            <div
              key={`${process}:${members[0]}`}
              class="thread-group"
              role="group"
              aria-label={process >= 0 ? label(process) : 'threads'}
            >
              {process >= 0 &&
                (processes > 1 ? (
                  <label class="thread-process">
                    <input
                      type="checkbox"
                      checked={on === members.length}
                      indeterminate={on > 0 && on < members.length}
                      onChange={(e) => choose(members, (e.target as HTMLInputElement).checked)}
                    />{' '}
                    {label(process)}{' '}
                    <span class="muted">{share(members.reduce((s, k) => s + threads.total[k], 0))} %</span>
                  </label>
                ) : (
                  <span class="thread-process">{label(process)}</span>
                ))}
              {members.map((k) => (
                <label key={k} class={process >= 0 ? 'thread-in-process' : undefined}>
                  <input
                    type="checkbox"
                    checked={shown(k)}
                    onChange={(e) => choose([k], (e.target as HTMLInputElement).checked)}
                  />{' '}
                  {label(threads.frame[k])} <span class="muted">{share(threads.total[k])} %</span>
                </label>
              ))}
            </div>
          );
        })}
      </div>
    </details>
  );
}
