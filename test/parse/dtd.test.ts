import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeAttribute, parseDoctype } from '../../src/parse/dtd.js';

describe('parseDoctype', () => {
  it('reads attribute defaults and declared entities from the internal subset', () => {
    const dtd = parseDoctype(` r SYSTEM "[not the subset]" [<!-- ' > --><!ENTITY e "v"><!ENTITY % p "x"><!ATTLIST r a NMTOKENS "  x  y " b CDATA #IMPLIED c (u|v) 'u'>]`)!;
    expect([...dtd.entities]).toEqual(['e']);
    expect(dtd.withDefaults('r', { b: 'given' }, (reason) => new Error(reason))).toEqual({ b: 'given', a: 'x y', c: 'u' });
    expect(dtd.collapses('r', 'a')).toBe(true);
    expect(dtd.collapses('r', 'b')).toBe(false);
  });

  it('a default that refers to a declared entity is an error naming it, when it is applied', () => {
    const dtd = parseDoctype(' r [<!ENTITY e "v"><!ATTLIST r a CDATA "x&e;">]')!;
    expect(() => dtd.withDefaults('r', {}, (reason) => new Error(reason))).toThrow('reference to the entity &e; declared in the DTD');
    expect(dtd.withDefaults('r', { a: 'given' }, (reason) => new Error(reason))).toEqual({ a: 'given' });
  });

  it('no internal subset, no DTD', () => {
    expect(parseDoctype(' html')).toBeUndefined();
  });

  it('ends on any text, however malformed (it reads what sax hands over, never loops)', () => {
    const piece = fc.constantFrom('<!ATTLIST', '<!ENTITY', '<!--', '<?', '(', ')', '"', "'", '#FIXED', '%', ' ', 'a', '>', '[', ']', '&', ';', '&#', 'x');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const dtd = parseDoctype(` r [${pieces.join('')}`);
        expect(dtd).toBeDefined();
      }),
      { numRuns: 2000 },
    );
  });
});

describe('normalizeAttribute', () => {
  it('literal tab and newline become spaces; characters from references stay', () => {
    expect(normalizeAttribute('a\tb\nc\td', [5], false)).toBe('a b c\td');
  });

  it('non-CDATA values collapse runs of spaces and trim them', () => {
    expect(normalizeAttribute('  a \t b  ', [], true)).toBe('a b');
  });
});
