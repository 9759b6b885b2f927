import { ProfileError } from '~/core/model/profile';

/** What to tell the user of a file that could not be read; anything else is a bug, and is thrown. */
export function messageOf(e: unknown): string {
  if (e instanceof ProfileError) return e.message;
  if (e instanceof RangeError) return `the file is too large to read here (${e.message})`;
  throw e;
}
