// The DOCTYPE, read once by its grammar: what it declares for the conversion, fed in any pieces.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DoctypeFault, DoctypeReader, collapseSpaces } from '../../src/xml/doctype.js';

/** Reads a DOCTYPE given in these pieces; the characters of the last piece it used, and its DTD. */
function read(pieces: string[]) {
  const reader = new DoctypeReader();
  let used = -1;
  pieces.forEach((piece, i) => {
    if (used < 0) used = reader.feed(piece, i === pieces.length - 1);
  });
  return { used, dtd: reader.dtd };
}

describe('DoctypeReader', () => {
  const doctype = `<!DOCTYPE r SYSTEM "[not the subset]" [<!-- ' > --><!ENTITY e "v"><!ENTITY % p "x"><!ATTLIST r a NMTOKENS "  x  y " b CDATA #IMPLIED c (u|v) 'u'>]>`;

  it('reads attribute defaults, their types and the declared entities', () => {
    const { used, dtd } = read([doctype + '<r/>']);
    expect(used).toBe(doctype.length); // it stops right after the DOCTYPE's '>'
    expect([...dtd.entities]).toEqual(['e']); // a parameter entity is not a general one
    expect(dtd.unread).toBe(true); // SYSTEM: an external subset, never read
    const decls = dtd.attributesOf('r')!;
    expect(dtd.withDefaults(decls, { b: 'given' })).toEqual({ b: 'given', a: 'x y', c: 'u' });
    expect([...decls].map(([name, decl]) => [name, decl.cdata])).toEqual([['a', false], ['b', true], ['c', false]]);
  });

  it('reads the same in any pieces, down to a character a piece', () => {
    const whole = read([doctype]);
    const chars = read([...doctype]);
    expect(chars.used).toBe(1); // the last piece, '>', ends it
    expect(chars.dtd).toEqual(whole.dtd);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: doctype.length - 1 }), { maxLength: 6 }), (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), doctype.length];
        const pieces = points.slice(1).map((end, i) => doctype.slice(points[i], end));
        expect(read(pieces).dtd).toEqual(whole.dtd);
      }),
    );
  });

  it('a default that refers to an entity it cannot know is an error when it is applied, not before', () => {
    const { dtd } = read(['<!DOCTYPE r SYSTEM "r.dtd" [<!ATTLIST r a CDATA "x&e;">]>']);
    const decls = dtd.attributesOf('r')!;
    expect(() => dtd.withDefaults(decls, {})).toThrow('undefined entity &e; (an external DTD or parameter entity may declare it');
    expect(dtd.withDefaults(decls, { a: 'given' })).toEqual({ a: 'given' });
  });

  it('a default that refers to an entity declared here is refused where it is declared', () => {
    expect(() => read(['<!DOCTYPE r [<!ENTITY e "v"><!ATTLIST r a CDATA "x&e;">]>'])).toThrow(DoctypeFault);
  });

  it('after a parameter-entity reference, attribute declarations are ignored, as expat ignores them', () => {
    const { dtd } = read(['<!DOCTYPE r [<!ATTLIST r a CDATA "1">%p;<!ATTLIST r b CDATA "2">]>']);
    expect([...dtd.attributesOf('r')!.keys()]).toEqual(['a']);
  });

  it('a fault is placed by its offset from the "<"', () => {
    try {
      read(['<!DOCTYPE r [\n<!ELEMENT r (a,b|c)>]>']);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DoctypeFault);
      expect((error as DoctypeFault).offset).toBe('<!DOCTYPE r [\n<!ELEMENT r (a,b'.length); // at the "|"
    }
  });

  it('ends on any text, however malformed: the DTD, a fault, or a wait for more', () => {
    const piece = fc.constantFrom('<!ATTLIST', '<!ENTITY', '<!--', '<?', '(', ')', '"', "'", '#FIXED', '%', ' ', 'a', '>', '[', ']', '&', ';', '&#', 'x');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.boolean(), (pieces, final) => {
        const reader = new DoctypeReader();
        try {
          const used = reader.feed(`<!DOCTYPE r [${pieces.join('')}`, final);
          expect(used === -1 ? !final : used > 0).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(DoctypeFault);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('collapseSpaces', () => {
  it('drops leading and trailing spaces and makes each run of spaces one (§3.3.3)', () => {
    expect(collapseSpaces('  a   b  ')).toBe('a b');
    expect(collapseSpaces('a\tb')).toBe('a\tb'); // only spaces: a tab from a reference stays
  });
});
