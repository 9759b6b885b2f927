/**
 * The process and thread a pprof sample's labels name, as root frames. Continuous profilers write
 * them as labels: Pyroscope `pid`, `thread_id` and `thread_name` (strings); Datadog `thread id`,
 * `thread native id` (numbers) and `thread name`; others spell the same keys with spaces, dashes or
 * capitals, and ids as strings or numbers.
 */
import { FrameKind } from '~/core/model/profile';
import type { StackCollector } from '../stacks/stack-collector';
import type { FrameParts } from '../stacks/frame-parts';
import type { PprofLabel } from './wire';

type Role = 'pid' | 'processName' | 'threadId' | 'nativeId' | 'threadName';

const ROLES: Record<string, Role> = {
  pid: 'pid',
  process_id: 'pid',
  process_name: 'processName',
  thread_id: 'threadId',
  tid: 'threadId',
  thread_native_id: 'nativeId',
  os_thread_id: 'nativeId',
  thread_name: 'threadName',
};

/** Names are cut here: a thread or process name is a few words. */
const MAX_NAME_CHARS = 200;

const rootParts =
  (kind: FrameKind) =>
  (label: string): FrameParts => ({ file: '', name: label, line: -1, kind });
const THREAD = rootParts(FrameKind.thread);
const PROCESS = rootParts(FrameKind.process);

/** Reads each sample's labels into its process and thread root frames. */
export class SampleRoots {
  private readonly roles = new Map<number, Role | null>();
  private readonly values: Partial<Record<Role, string>> = {};

  constructor(
    private readonly collector: StackCollector,
    private readonly text: (i: number) => string,
  ) {}

  /** Pushes the sample's process and thread root frames, the process first; returns how many. */
  push(labels: readonly PprofLabel[]): number {
    if (labels.length === 0) return 0;
    const v = this.values;
    v.pid = v.processName = v.threadId = v.nativeId = v.threadName = undefined;
    for (const l of labels) {
      const role = this.roleOf(l.key);
      if (role) v[role] = (l.str !== 0 ? this.text(l.str) : String(l.num)).slice(0, MAX_NAME_CHARS);
    }
    const c = this.collector;
    let pushed = 0;
    if (v.pid !== undefined) {
      const name = v.processName === undefined ? '' : `:"${v.processName}"`;
      c.pushId(c.frameId(`process ${v.pid}${name}`, PROCESS, FrameKind.process));
      pushed++;
    }
    const id = v.nativeId ?? v.threadId;
    if (id !== undefined || v.threadName !== undefined) {
      const label =
        id === undefined ? `thread: ${v.threadName}` : `thread (${id})${v.threadName ? `: ${v.threadName}` : ''}`;
      c.pushId(c.frameId(label, THREAD, FrameKind.thread));
      pushed++;
    }
    return pushed;
  }

  private roleOf(key: number): Role | null {
    let role = this.roles.get(key);
    if (role === undefined) {
      const name = this.text(key)
        .trim()
        .toLowerCase()
        .replace(/[\s-]+/g, '_');
      role = Object.hasOwn(ROLES, name) ? ROLES[name] : null;
      this.roles.set(key, role);
    }
    return role;
  }
}
