// No entity is ever expanded and nothing is ever fetched: a DTD cannot make the converter do work.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/run-bin.js';
import { convert } from './convert.js';

// The classic: ten levels of ten references, 10^9 "lol"s if expanded (about 3 GB).
const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<lolz>&lol9;</lolz>
`;

describe('entities declared in a DTD', () => {
  it('billion laughs: the reference is an error naming the entity, nothing is expanded', () => {
    const { out, error } = convert(BILLION_LAUGHS);
    expect(out).toBe('');
    expect(error).toMatchObject({ code: 'XML_SYNTAX', message: '14:7: entity &lol9; is declared in the DTD, but entities are never expanded (see SECURITY.md)' });
  });

  it('billion laughs through the CLI: one line, exit 1, no output', async () => {
    const ran = await runBin([], BILLION_LAUGHS);
    expect(ran).toEqual({ code: 1, stdout: '', stderr: 'xml2json: <stdin>:14:7: entity &lol9; is declared in the DTD, but entities are never expanded (see SECURITY.md)\n' });
  });

  it('billion laughs in an attribute default is refused where it is declared', () => {
    const xml = BILLION_LAUGHS.replace(']>', '<!ATTLIST lolz a CDATA "&lol9;">\n]>').replace('&lol9;</lolz>', '</lolz>');
    expect(convert(xml).error?.reason).toBe('entity &lol9; is declared in the DTD, but entities are never expanded (see SECURITY.md)');
  });

  it('a DTD that declares entities but whose document does not use them converts', () => {
    expect(convert(BILLION_LAUGHS.replace('&lol9;', 'ok'))).toEqual({ out: '{"lolz":"ok"}\n' });
  });

  it('a reference to an entity nobody declared is an error naming it, at its "&"', () => {
    expect(convert('<a>\n&nbsp;</a>').error?.message).toBe('2:1: undefined entity &nbsp;');
  });

  it('the five predefined entities and character references still work', () => {
    expect(convert('<a b="&lt;&#x41;">&amp;&#169;&gt;</a>').out).toBe('{"a":{"@b":"<A","#text":"&©>"}}\n');
  });
});

describe('external entities and DTDs are never fetched', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cosax-xxe-'));
  const secret = join(dir, 'secret.txt');
  writeFileSync(secret, 'TOP SECRET');
  const dtd = join(dir, 'defaults.dtd');
  writeFileSync(dtd, '<!ATTLIST r leaked CDATA "from the external DTD">');
  const url = (path: string) => pathToFileURL(path).href;

  it('an external general entity is an error naming it, and its file is not read', async () => {
    const xml = `<!DOCTYPE r [<!ENTITY x SYSTEM "${url(secret)}">]><r>&x;</r>`;
    expect(convert(xml).error?.reason).toBe('entity &x; is declared in the DTD, but entities are never expanded (see SECURITY.md)');
    const ran = await runBin([], xml);
    expect(ran.code).toBe(1);
    expect(ran.stdout + ran.stderr).not.toContain('TOP SECRET');
  });

  it('an external DTD subset is not read: its default attributes do not appear', async () => {
    const xml = `<!DOCTYPE r SYSTEM "${url(dtd)}"><r>x</r>`;
    expect(convert(xml)).toEqual({ out: '{"r":"x"}\n' });
    expect(await runBin([], xml)).toEqual({ code: 0, stdout: '{"r":"x"}\n', stderr: '' });
  });

  it('an external parameter entity is not read', () => {
    const xml = `<!DOCTYPE r [<!ENTITY % ext SYSTEM "${url(dtd)}"> %ext;]><r>x</r>`;
    expect(convert(xml)).toEqual({ out: '{"r":"x"}\n' });
  });
});

describe('an entity that an unread part of the DTD may declare', () => {
  it('is an error that says why it is not looked for', () => {
    expect(convert('<!DOCTYPE r SYSTEM "r.dtd"><r>&e;</r>').error?.reason).toBe('undefined entity &e; (an external DTD or parameter entity may declare it, but they are never read)');
  });
});
