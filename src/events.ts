// The one contract between a parser backend and the stages: what the course sends as
// ('start', (name, attrs)), ('text', text) and ('end', name).

/** Attributes of a start tag, in document order; keys are XML names, never prototype keys. */
export type Attributes = Record<string, string>;

export type XmlEvent =
  | { readonly type: 'start'; readonly name: string; readonly attrs: Attributes }
  /** Character data: text, CDATA and character references, in as many pieces as the parser likes. */
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'end'; readonly name: string };

/** The attributes of a start tag that has none: one shared frozen object, which the builder knows at a glance. */
export const NO_ATTRIBUTES: Attributes = Object.freeze({}) as Attributes;

/** Sets `obj[key] = value` as an own property, even for `__proto__` (a plain assignment would change the prototype). */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}
