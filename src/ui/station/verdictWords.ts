/** A station verdict as the station shows and the log lists it. */
import type { StationVerdict } from '../../storage/auditRecords';

export const VERDICT_WORDS: Record<StationVerdict, string> = { pass: 'PASS', fail: 'FAIL', review: 'NEEDS REVIEW', none: 'NO VERDICT' };
