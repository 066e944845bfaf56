import { PythonValueError } from './python-values';

// timediff_lt / timediff_gt read the payload value as a date the way
// StackStorm's date_utils.parse does for the formats payloads carry: ISO 8601
// (RFC 3339), with a date alone, a space or T before the time, fractions of a
// second, and Z or an offset; a date without a zone is UTC. RFC 2822 dates
// (HTTP, mail) with a zone are read too.

const ISO_8601 = /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

function offsetMinutes(zone: string | undefined): number {
  if (!zone || zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0));
}

/** Milliseconds since the epoch of a payload date; a PythonValueError (as dateutil's ValueError) otherwise. */
export function parsePayloadDate(value: unknown): number {
  const text = typeof value === 'string' ? value.trim() : undefined;
  const iso = text === undefined ? null : ISO_8601.exec(text);
  if (iso) {
    const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '0', zone] = iso;
    const utc = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), Number(`0.${fraction}`) * 1000);
    const date = new Date(utc);
    // Date.UTC rolls 2024-02-31 over to March; Python refuses it.
    if (date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day) || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) {
      throw new PythonValueError(`${JSON.stringify(value)} is not a valid date`);
    }
    return utc - offsetMinutes(zone) * 60_000;
  }
  // RFC 2822 ("Tue, 22 Nov 2025 01:00:00 GMT"); without a zone Date.parse would use local time.
  if (text !== undefined && /^(?:[A-Za-z]{3},?\s+)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{2}:\d{2}(:\d{2})?\s+(GMT|UTC|UT|Z|[+-]\d{4})$/.test(text)) {
    const parsed = Date.parse(text);
    if (!Number.isNaN(parsed)) return parsed;
  }
  throw new PythonValueError(`${JSON.stringify(value ?? null)} is not a date (expected ISO 8601, e.g. 2025-11-22T01:00:00Z)`);
}
