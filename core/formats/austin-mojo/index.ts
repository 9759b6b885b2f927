import type { FormatReader } from '../format-reader';
import { looksLikeMojo, parseMojo } from './read-mojo';

/** austin's binary output (`austin --binary`), magic "MOJ". */
export const austinMojoFormat: FormatReader = {
  name: 'austin mojo',
  recognizes: looksLikeMojo,
  input: 'bytes',
  read: parseMojo,
};
