import type { FormatReader } from '../format-reader';
import { headText } from '../json/json-value';
import { SPEEDSCOPE_SCHEMA, parseSpeedscopeStream } from './read-speedscope';

/** speedscope's JSON, by its schema address or its `shared.frames` and `profiles` keys near the start. */
export const speedscopeFormat: FormatReader = {
  name: 'speedscope',
  recognizes(head) {
    const text = headText(head);
    if (!/^\s*\{/.test(text)) return false;
    return (
      text.includes(SPEEDSCOPE_SCHEMA) || (/"shared"\s*:\s*\{\s*"frames"/.test(text) && text.includes('"profiles"'))
    );
  },
  input: 'stream',
  read: parseSpeedscopeStream,
};
