// What XML allows in names and text, and xmltodict's escaping (Python's saxutils.escape and quoteattr).
// A check refuses what would not be well-formed; the escaping writes what it writes, byte for byte.

// XML 1.0 §2.3 NameStartChar and NameChar (fifth edition).
const NAME_START = 'A-Z_a-z:\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = NAME_START + '\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040';
const NAME = new RegExp(`^[${NAME_START}][${NAME_CHAR}]*$`, 'u');

/** Whether `name` is an XML 1.0 Name (prefixes and all: `soap:Body`). */
export function isXmlName(name: string): boolean {
  return NAME.test(name);
}

// A character of text that needs a look: escaped, or forbidden (XML 1.0 §2.2 Char), or half of a pair.
const TEXT_SPECIAL = /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
const ATTRIBUTE_SPECIAL = /[&<>"\t\n\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

// What XML 1.0 forbids: C0 controls but tab and line ends, U+FFFE, U+FFFF, and half a surrogate pair.
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const TEXT_ESCAPES = /[&<>\r]/g;
const ATTRIBUTE_ESCAPES = /[&<>\t\n\r]/g;
const ESCAPE: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };
const escapeOne = (char: string): string => ESCAPE[char]!;

/** Where the first character XML 1.0 forbids is in `text` (an index in code points), or -1. */
export function forbiddenAt(text: string): number {
  let at = 0;
  for (const char of text) {
    const c = char.codePointAt(0)!;
    if (c < 0x20 ? c !== 0x9 && c !== 0xa && c !== 0xd : (c >= 0xd800 && c <= 0xdfff) || c === 0xfffe || c === 0xffff) return at;
    at++;
  }
  return -1;
}

/**
 * Text as saxutils.escape writes it (`&`, `<`, `>`), and a carriage return as `&#13;`: written as it
 * is (as xmltodict does), a parser would read it back as a line feed. Undefined: a forbidden character.
 */
export function escapeText(text: string): string | undefined {
  if (!TEXT_SPECIAL.test(text)) return text;
  if (FORBIDDEN.test(text)) return undefined;
  return text.replace(TEXT_ESCAPES, escapeOne);
}

/** An attribute's value with its quotes, as saxutils.quoteattr writes it. Undefined: a forbidden character. */
export function quoteAttribute(value: string): string | undefined {
  if (!ATTRIBUTE_SPECIAL.test(value)) return `"${value}"`;
  if (FORBIDDEN.test(value)) return undefined;
  const escaped = value.replace(ATTRIBUTE_ESCAPES, escapeOne);
  if (!escaped.includes('"')) return `"${escaped}"`;
  return escaped.includes("'") ? `"${escaped.replaceAll('"', '&quot;')}"` : `'${escaped}'`;
}
