// Numbers as xmltodict writes them: Python's str() of what json.loads made of the number's text — an
// int for `7` (every digit kept), a float for `7.0` or `7e0` (written `7.0`), `inf` beyond the range.

/** A number whose text a JS number cannot give back (`1.0`, `1e2`, an integer beyond 2^53): Python's text for it. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

/** Python's text for a JS number, which is what json.loads reads in JSON.stringify's text for it. */
export function pythonText(n: number): string {
  return Number.isInteger(n) && Math.abs(n) < 1e21 ? String(n) : pythonFloat(n); // JSON.stringify writes these as integers
}

/** Python's repr() of a float: the shortest digits that read back (as JS), laid out as Python does. */
function pythonFloat(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : n < 0 ? '-inf' : 'nan';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const [mantissa, exponent] = Math.abs(n).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const e = Number(exponent);
  const sign = n < 0 ? '-' : '';
  if (e < -4 || e >= 16) {
    return `${sign}${digits[0]}${digits.length > 1 ? '.' + digits.slice(1) : ''}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  const point = e + 1; // digits before the decimal point
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}.0`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** The value of a JSON number's text: a JS number where it says the same as Python's, else a JsonNumber. */
export function numberOf(lexeme: string, isFloat: boolean): number | JsonNumber {
  const n = Number(lexeme);
  if (isFloat) return Number.isInteger(n) || !Number.isFinite(n) ? new JsonNumber(pythonFloat(n)) : n;
  return Number.isSafeInteger(n) ? n : new JsonNumber(lexeme); // Python's int keeps every digit (and -0 is safe: 0)
}

/** What unparse writes for a JSON number's text: Python's str() of what json.loads makes of it. */
export function pythonNumberText(lexeme: string): string {
  const n = numberOf(lexeme, /[.eE]/u.test(lexeme));
  return n instanceof JsonNumber ? n.text : pythonText(n);
}
