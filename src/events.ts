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

/**
 * The events of a stretch of the document, as one value: what the parser sends a stage marked with
 * `takesBatches` (the builder), one resume for a chunk's events, not one for each. The batch and its
 * events are reused: valid until the stage yields. `next()` hands out each event once, in order; a
 * fault a stage throws is placed at the event `next()` returned last. Its events have one shape (for
 * speed): all of `type`, `name`, `attrs` and `text`; read those of the event's type.
 */
export class EventBatch {
  private readonly events: Array<{ type: 'start' | 'text' | 'end'; name: string; attrs: Attributes; text: string }> = [];
  // a text event's characters, sliced only when next() hands it out
  private readonly sources: string[] = [];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** document offsets, for placing a stage's fault */
  readonly offsets: number[] = [];
  length = 0;
  private at = -1;

  next(): XmlEvent | undefined {
    const i = ++this.at;
    if (i >= this.length) return undefined;
    const event = this.events[i]!;
    if (event.type === 'text') {
      const source = this.sources[i]!;
      const start = this.starts[i]!;
      const end = this.ends[i]!;
      event.text = start === 0 && end === source.length ? source : source.slice(start, end);
    }
    return event;
  }

  /** The document offset of the event next() returned last (or of the first). */
  offset(): number {
    return this.offsets[Math.max(Math.min(this.at, this.length - 1), 0)]!;
  }

  /** Adds an event, at a document offset. */
  add(type: 'start' | 'text' | 'end', name: string, attrs: Attributes, offset: number): void {
    const i = this.length++;
    const event = this.events[i] ?? (this.events[i] = { type, name, attrs, text: '' });
    event.type = type;
    event.name = name;
    event.attrs = attrs;
    this.offsets[i] = offset;
  }

  /** Adds a text event: `source.slice(start, end)`. */
  addText(source: string, start: number, end: number, offset: number): void {
    const i = this.length;
    this.add('text', '', NO_ATTRIBUTES, offset);
    this.sources[i] = source;
    this.starts[i] = start;
    this.ends[i] = end;
  }

  /** Empties the batch for the next stretch. */
  clear(): void {
    this.length = 0;
    this.at = -1;
  }
}

// Stages that take EventBatch values from the parser (they also take single events from anyone else).
const batchTakers = new WeakSet<object>();

/** Marks `stage` as one that takes EventBatch values: the parser then sends it batches. */
export function takesBatches<S extends object>(stage: S): S {
  batchTakers.add(stage);
  return stage;
}

export function isBatchTaker(stage: object): boolean {
  return batchTakers.has(stage);
}
