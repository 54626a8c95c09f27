// Numbers as the page shows them, and the checks that turn feed values into numbers or gaps.
// Chart states carry finite JSON numbers or null (no value); anything else is treated as null,
// so a gap stays a gap and never becomes a zero.

/** Longest array the page draws from one state; a bigger one is cut (bounded work per frame). */
export const MAX_POINTS = 100000;

const whole = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const threeDigits = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 3 });

/** The value when it is a finite number, else null. */
export function finite(value) {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** An array of finite numbers or nulls (gaps), at most MAX_POINTS long; a non-array is empty. */
export function numbers(value) {
  return Array.isArray(value) ? value.slice(0, MAX_POINTS).map(finite) : [];
}

/** An array of strings, at most MAX_POINTS long; a non-array is empty. */
export function strings(value) {
  return Array.isArray(value) ? value.slice(0, MAX_POINTS).map((v) => (v == null ? '' : String(v))) : [];
}

/**
 * Integers in full ("1,234"), other numbers to about three significant digits ("0.0123",
 * "45.6", "1,235" for 1234.5), tiny ones in exponent form; no value as an en dash.
 */
export function formatValue(value) {
  const n = finite(value);
  if (n === null) return '–';
  if (Number.isInteger(n)) return whole.format(n);
  const size = Math.abs(n);
  if (size >= 1000) return whole.format(n);
  if (size < 0.001) return n.toPrecision(3);
  return threeDigits.format(n);
}
