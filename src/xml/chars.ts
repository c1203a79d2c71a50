// XML 1.0 (5th edition) character classes: §2.2 Char, §2.3 S, NameStartChar and NameChar.
// ASCII by a table (nearly every name is ASCII); everything else by the ranges, on the slow path.

/** §2.3 S: the four characters XML counts as white space, by char code. */
export const isXmlSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;

/** Where the white space from s[i] on stops: the index of the next other character, or `end`. */
export function spaceEnd(s: string, i: number, end: number): number {
  while (i < end && isXmlSpace(s.charCodeAt(i))) i++;
  return i;
}

/** NAME_CHARS[c] for c < 0x80: 0 not in a name, 1 may start one, 2 may only follow. */
export const NAME_CHARS = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_:') NAME_CHARS[c.charCodeAt(0)] = 1;
for (const c of '-.0123456789') NAME_CHARS[c.charCodeAt(0)] = 2;

/** [4] NameStartChar, for a code point at or above 0x80. */
function isNameStartCode(cp: number): boolean {
  return (
    (cp >= 0xc0 && cp <= 0xd6) || (cp >= 0xd8 && cp <= 0xf6) || (cp >= 0xf8 && cp <= 0x2ff) ||
    (cp >= 0x370 && cp <= 0x37d) || (cp >= 0x37f && cp <= 0x1fff) || cp === 0x200c || cp === 0x200d ||
    (cp >= 0x2070 && cp <= 0x218f) || (cp >= 0x2c00 && cp <= 0x2fef) || (cp >= 0x3001 && cp <= 0xd7ff) ||
    (cp >= 0xf900 && cp <= 0xfdcf) || (cp >= 0xfdf0 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0xeffff)
  );
}

/** [4a] NameChar, for a code point at or above 0x80. */
function isNameCode(cp: number): boolean {
  return isNameStartCode(cp) || cp === 0xb7 || (cp >= 0x300 && cp <= 0x36f) || (cp >= 0x203f && cp <= 0x2040);
}

/** Whether s[i] may begin a name. */
export function isNameStartAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c < 0x80 ? NAME_CHARS[c] === 1 : isNameStartCode(s.codePointAt(i)!);
}

/** Whether s[i] may go on a name. */
export function isNameCharAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c < 0x80 ? NAME_CHARS[c] !== 0 : isNameCode(s.codePointAt(i)!);
}

/** Where the name characters from s[i] on stop: the index of the first other character, or -1 if they reach `end`. */
export function nameEnd(s: string, i: number, end: number): number {
  for (let j = i; j < end; ) {
    const c = s.charCodeAt(j);
    if (c < 0x80) {
      if (NAME_CHARS[c] === 0) return j;
      j++;
    } else {
      const cp = s.codePointAt(j)!;
      if (!isNameCode(cp)) return j;
      j += cp > 0xffff ? 2 : 1;
    }
  }
  return -1;
}

/** Whether a whole string is an XML Name (§2.3 [5]). */
export function isName(name: string): boolean {
  return name !== '' && isNameStartAt(name, 0) && nameEnd(name, name.codePointAt(0)! > 0xffff ? 2 : 1, name.length) < 0;
}

/**
 * The first character §2.2 Char forbids: C0 controls but tab, LF and CR; U+FFFE, U+FFFF; a surrogate
 * without its pair. One scan of a chunk; a chunk of one-byte characters skips the two-byte classes.
 */
const FORBIDDEN = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Index of the first character XML forbids in `text` at or after `from`, or -1. */
export function forbiddenAt(text: string, from = 0): number {
  FORBIDDEN.lastIndex = from;
  const found = FORBIDDEN.exec(text);
  return found === null ? -1 : found.index;
}

/** `U+0001`: a character as the Unicode standard names it. */
export function codePointName(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** §2.2 Char, for one code point (a character reference's value). */
export function isChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}
