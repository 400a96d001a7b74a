/**
 * Personal data (UU 27/2022) shown only where it is needed whole. Everywhere else (mail, lists,
 * history, logs) a NIK is masked to its region and serial, `6203********0001`, enough for an
 * operator to find the row, not enough to use the number; names and birth dates are left out.
 */

/** `6203011506880001` -> `6203********0001`. Anything that is not 16 digits is masked whole but its length. */
export function maskNik(nik: string): string {
  const digits = nik.trim();
  if (/^\d{16}$/.test(digits)) return `${digits.slice(0, 4)}********${digits.slice(12)}`;
  return '*'.repeat(Math.min(digits.length, 16));
}

// A run of 12 or more digits (a NIK, whole or damaged, or its 15-digit spreadsheet form, with or
// without thousands separators) or a number in scientific notation as spreadsheets print a NIK.
const LONG_NUMBER = /\d(?:[\d.,]{10,}\d)|\d[.,]\d+E\+?\d+/gi;
// Quoted text in a message is the operator's own cell (a name, a date, a NIK as typed).
const QUOTED = /"[^"]*"/g;
// Dates as people write them: 12-05-1985, 12/05/1985, 1985-05-12.
const DATE = /\b(?:\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{4}-\d{2}-\d{2})\b/g;

/**
 * Redacts free text built from a row (an issue message, a cause): NIK-like numbers masked, quoted
 * cell contents and dates removed. For text built from a row; never for the report, which is whole.
 */
export function redactText(text: string): string {
  return maskNumbers(text.replace(QUOTED, '"…"')).replace(DATE, '**-**-****');
}

/** Masks NIK-like numbers in text that otherwise carries no row data (ids, keys, times stay). */
export function maskNumbers(text: string): string {
  return text.replace(LONG_NUMBER, (m, at: number) => {
    const digits = m.replace(/[^\d]/g, '');
    if (!/E/i.test(m) && digits.length < 12) return m; // an amount such as 16.800.000, not an id
    if (inHexIdentifier(text, at, m)) return m;
    return /E/i.test(m) || digits.length !== 16 ? '*'.repeat(Math.min(digits.length, 16)) : maskNik(digits);
  });
}

/**
 * Whether a run of digits is part of a hexadecimal identifier the product made (a proposal or claim
 * id, a hash in the audit chain): its hex run is 16 characters or more and mixes letters a-f and
 * other digits around the run, as
 * `prp-987c7e94860462603034` does. A NIK is decimal and stands apart from letters; masking digits
 * inside an id would only break the link an auditor follows.
 */
function inHexIdentifier(text: string, at: number, match: string): boolean {
  if (!/^\d+$/.test(match)) return false;
  let start = at;
  let end = at + match.length;
  while (start > 0 && /[0-9a-f]/.test(text[start - 1]!)) start--;
  while (end < text.length && /[0-9a-f]/.test(text[end]!)) end++;
  const around = text.slice(start, at) + text.slice(at + match.length, end);
  // Digits on the far side of a letter too: a word glued to a NIK (`desa6203…`) is not an id.
  return end - start >= 16 && /[a-f]/.test(around) && /\d/.test(around);
}

/** Fields that hold sentences built from a row (issue messages, error causes). */
const MESSAGES = new Set(['message', 'example', 'cause', 'errorMessage', 'note', 'reason']);
const DROP = new Set(['name', 'nama', 'birthDate', 'tanggalLahir', 'phone', 'account', 'accountNumber', 'email']);

/**
 * A copy of structured details (audit events) safe to show outside the report: `nik` fields and
 * NIKs inside strings masked, names, birth dates and account numbers dropped.
 */
export function redactDeep(value: unknown, key?: string): unknown {
  if (key && DROP.has(key)) return undefined;
  if (typeof value === 'string') {
    if (key === 'nik') return maskNik(value);
    return key && MESSAGES.has(key) ? redactText(value) : maskNumbers(value);
  }
  if (Array.isArray(value)) return value.map((v) => redactDeep(v));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = redactDeep(v, k);
      if (r !== undefined) out[k] = r;
    }
    return out;
  }
  return value;
}
