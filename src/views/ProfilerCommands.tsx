import { PROFILER_COMMANDS } from '../profiler-commands';

/** How to make a profile of one's own program: one command per profiler, then drop the file. */
export function ProfilerCommands() {
  return (
    <table class="profiler-commands" data-testid="profiler-commands">
      <tbody>
        {PROFILER_COMMANDS.map(({ profiler, command }) => (
          <tr key={profiler}>
            <th scope="row">{profiler}</th>
            <td>
              <code>{command}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
