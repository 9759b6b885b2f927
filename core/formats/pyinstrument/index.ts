import type { FormatReader } from '../format-reader';
import { headText } from '../json/json-value';
import { SESSION_DATA, parsePyinstrumentStream } from './read-pyinstrument';

/** A session or `-r json` file (JSON with pyinstrument's session keys), or a page pyinstrument wrote. */
export const pyinstrumentFormat: FormatReader = {
  name: 'pyinstrument',
  recognizes(head) {
    const text = headText(head, head.length);
    if (/^\s*</.test(text)) return text.includes('pyinstrumentHTMLRenderer') || text.includes(SESSION_DATA);
    return (
      /^\s*\{\s*"start_time"/.test(text) &&
      /"(frame_records|root_frame|start_call_stack|min_interval|cpu_time)"\s*:/.test(text)
    );
  },
  input: 'stream',
  read: parsePyinstrumentStream,
};
