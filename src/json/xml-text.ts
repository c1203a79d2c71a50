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
  return TEXT_SPECIAL.test(text) ? escapedChars(text, false) : text;
}

/** An attribute's value with its quotes, as saxutils.quoteattr writes it. Undefined: a forbidden character. */
export function quoteAttribute(value: string): string | undefined {
  if (!ATTRIBUTE_SPECIAL.test(value)) return `"${value}"`;
  const escaped = escapedChars(value, true);
  if (escaped === undefined) return undefined;
  if (!escaped.includes('"')) return `"${escaped}"`;
  return escaped.includes("'") ? `"${escaped.replaceAll('"', '&quot;')}"` : `'${escaped}'`;
}

/**
 * `&`, `<`, `>` and a carriage return escaped (in an attribute, a tab and a line feed too), in one pass
 * that also finds what XML forbids (then undefined): faster on short text than a test and a replace.
 */
function escapedChars(text: string, attribute: boolean): string | undefined {
  let out = '';
  let from = 0; // the text from here on is not in `out` yet
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x3e && c < 0xd800) continue; // most characters
    let escape: string;
    if (c === 0x26) escape = '&amp;';
    else if (c === 0x3c) escape = '&lt;';
    else if (c === 0x3e) escape = '&gt;';
    else if (c === 0x0d) escape = '&#13;';
    else if (c === 0x09 || c === 0x0a) {
      if (!attribute) continue;
      escape = c === 0x09 ? '&#9;' : '&#10;';
    } else if (c < 0x20) return undefined;
    else if (c < 0xd800) continue;
    else if (c <= 0xdbff) {
      const next = text.charCodeAt(i + 1); // a surrogate pair, or half of one
      if (!(next >= 0xdc00 && next <= 0xdfff)) return undefined;
      i++;
      continue;
    } else if (c <= 0xdfff || c === 0xfffe || c === 0xffff) return undefined;
    else continue;
    out += text.slice(from, i) + escape;
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}
