import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROFILER_COMMANDS } from './profiler-commands';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('the commands that make a profile', () => {
  it('README opens with a quick start that lists the first screen’s command for each profiler, before the details', () => {
    const sections = readme.split(/^## /m).slice(1);
    expect(sections[0]).toMatch(/^Quick start\n/);
    for (const { profiler, command } of PROFILER_COMMANDS) {
      expect(sections[0]).toContain(`| ${profiler} | \`${command}\` |`);
    }
  });

  it('writes each profile to a file named after what it holds, one command per profiler', () => {
    expect(new Set(PROFILER_COMMANDS.map((c) => c.profiler)).size).toBe(PROFILER_COMMANDS.length);
    for (const { command } of PROFILER_COMMANDS)
      expect(command).toMatch(/ -o out\.(prof|txt|austin|bin|json) .*app\.py$/);
  });
});
