import { SampleStatus, type Profile } from '../model/profile';
import { restrictToSamples } from './time-range';

/** The sample states a profile can be narrowed to, as the bits they need. */
export const statusFilters = [
  ['holding the GIL', SampleStatus.hasGil],
  ['on CPU', SampleStatus.onCpu],
  ['waiting for the GIL', SampleStatus.gilRequested],
  ['with an exception', SampleStatus.hasException],
] as const;

/** The profile as if only the samples whose status has every bit of `bits` had been recorded. */
export function restrictToStatus(p: Profile, bits: number): Profile {
  const status = p.timeline?.status;
  return status && bits ? restrictToSamples(p, (k) => (status[k] & bits) === bits) : p;
}
