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
 * fault a stage throws is placed at the event `next()` returned last.
 */
export class EventBatch {
  // Kept as codes and offsets in typed arrays, names and texts' chunks in one array: the fewest stores
  // an event; next() fills one of three event objects from them (a text's characters sliced only then).
  private kinds = new Uint8Array(64);
  private offsets = new Float64Array(64); // document offsets, for placing a stage's fault
  private starts = new Int32Array(64); // a text's slice of its chunk
  private ends = new Int32Array(64);
  private readonly values: string[] = []; // a tag's name, or a text's chunk
  private readonly attrs: Attributes[] = []; // a start tag's attributes, when it has some
  private readonly started = { type: 'start' as const, name: '', attrs: NO_ATTRIBUTES };
  private readonly texts = { type: 'text' as const, text: '' };
  private readonly ended = { type: 'end' as const, name: '' };
  length = 0;
  /** the characters pass() went over, last it was called */
  counted = 0;
  private at = -1;

  next(): XmlEvent | undefined {
    const i = ++this.at;
    if (i >= this.length) return undefined;
    const kind = this.kinds[i]!;
    if (kind === TEXT) {
      const source = this.values[i]!;
      const start = this.starts[i]!;
      const end = this.ends[i]!;
      this.texts.text = start === 0 && end === source.length ? source : source.slice(start, end);
      return this.texts;
    }
    if (kind === END) {
      this.ended.name = this.values[i]!;
      return this.ended;
    }
    this.started.name = this.values[i]!;
    this.started.attrs = kind === START ? NO_ATTRIBUTES : this.attrs[i]!;
    return this.started;
  }

  /**
   * Passes over the events inside `open` elements (a stage that does not read them: the builder's
   * children passed over), up to the last one's end tag or the batch's end, making no event of them.
   * Returns how many are still open; `counted` is set to the characters of their names (`local`: after
   * the prefix), attributes and texts. Stops early at the event that takes `counted` beyond `room`: it
   * is then the event next() returned last, for the fault to be placed there.
   */
  pass(open: number, room: number, local: boolean): number {
    let counted = 0;
    let i = this.at;
    while (open > 0 && counted <= room && ++i < this.length) {
      const kind = this.kinds[i]!;
      if (kind === TEXT) counted += this.ends[i]! - this.starts[i]!;
      else if (kind === END) open--;
      else {
        const name = this.values[i]!;
        counted += local ? name.length - name.indexOf(':') - 1 : name.length;
        if (kind === START_WITH_ATTRIBUTES) {
          const attrs = this.attrs[i]!;
          for (const key in attrs) counted += key.length + attrs[key]!.length;
        }
        open++;
      }
    }
    this.at = Math.min(i, this.length - 1);
    this.counted = counted;
    return open;
  }

  /** The document offset of the event next() returned last (or of the first). */
  offset(): number {
    return this.offsets[Math.max(Math.min(this.at, this.length - 1), 0)]!;
  }

  /** Adds a start tag at a document offset. */
  start(name: string, attrs: Attributes, offset: number): void {
    const i = this.slot(offset);
    if (attrs === NO_ATTRIBUTES) this.kinds[i] = START;
    else {
      this.kinds[i] = START_WITH_ATTRIBUTES;
      this.attrs[i] = attrs;
    }
    this.values[i] = name;
  }

  /** Adds an end tag. */
  end(name: string, offset: number): void {
    const i = this.slot(offset);
    this.kinds[i] = END;
    this.values[i] = name;
  }

  /** Adds a text event: `source.slice(start, end)`. */
  text(source: string, start: number, end: number, offset: number): void {
    const i = this.slot(offset);
    this.kinds[i] = TEXT;
    this.values[i] = source;
    this.starts[i] = start;
    this.ends[i] = end;
  }

  /** Empties the batch for the next stretch. */
  clear(): void {
    this.length = 0;
    this.at = -1;
  }

  private slot(offset: number): number {
    const i = this.length++;
    if (i === this.kinds.length) this.grow();
    this.offsets[i] = offset;
    return i;
  }

  private grow(): void {
    const size = 2 * this.kinds.length;
    const kinds = new Uint8Array(size);
    const offsets = new Float64Array(size);
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    kinds.set(this.kinds);
    offsets.set(this.offsets);
    starts.set(this.starts);
    ends.set(this.ends);
    [this.kinds, this.offsets, this.starts, this.ends] = [kinds, offsets, starts, ends];
  }
}

const START = 0;
const START_WITH_ATTRIBUTES = 1;
const TEXT = 2;
const END = 3;

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
