// The elements of a document, counted by path: what the CLI names when the record element never
// occurs ("no <itemz> element in feed.xml; the repeated elements, outermost first: item (20, at
// /rss/channel/item), …").
// The record selector tells it of each element only while no record has started, so a run that
// finds records pays for one boolean test per element outside them. Bounded: 4,096 paths at most.

const MOST_PATHS = 4096;

export interface Repeated {
  name: string;
  /** how many elements of this name, at any path */
  count: number;
  /** where most of them are: /rss/channel/item */
  path: string;
}

export class ElementInventory {
  /** count of elements at each path ('/rss/channel/item'), and the name at its end */
  readonly #paths = new Map<string, { name: string; count: number }>();
  #root: string | undefined;

  /** One more element `name`, inside the open elements `path` (outermost first). */
  see(name: string, path: readonly string[]): void {
    if (path.length === 0) this.#root ??= name;
    const key = path.length === 0 ? `/${name}` : `/${path.join('/')}/${name}`;
    const seen = this.#paths.get(key);
    if (seen !== undefined) seen.count++;
    else if (this.#paths.size < MOST_PATHS) this.#paths.set(key, { name, count: 1 });
  }

  /** the document's root element, once seen */
  get root(): string | undefined {
    return this.#root;
  }

  /** The names that occur more than once, each with the path most of them are at: outermost first, then most, then by name. */
  repeated(howMany = 3): Repeated[] {
    const byName = new Map<string, Repeated & { most: number }>();
    for (const [path, { name, count }] of this.#paths) {
      const entry = byName.get(name);
      if (entry === undefined) byName.set(name, { name, count, path, most: count });
      else {
        entry.count += count;
        if (count > entry.most) Object.assign(entry, { path, most: count });
      }
    }
    return [...byName.values()]
      .filter((entry) => entry.count > 1)
      .sort((a, b) => depth(a.path) - depth(b.path) || b.count - a.count || (a.name < b.name ? -1 : 1))
      .slice(0, howMany)
      .map(({ name, count, path }) => ({ name, count, path }));
  }
}

const depth = (path: string): number => path.split('/').length;
