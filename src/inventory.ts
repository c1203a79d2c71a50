// The elements of a document, by absolute path: what `--paths` prints to choose -e and --array (how
// many, how many in one parent, attributes, text, children, a sample), what `--shape` reads back, and
// what the CLI names when the record element never occurs ("no <itemz> element in feed.xml; the
// repeated elements, outermost first: item (20, all at /rss/channel/item), …").
// Two ways in: see() from the record selector, while no record has started (counts only, so a run
// that finds records pays one test per element outside them), and start()/text()/end() from --paths's
// stage, for every element. Bounded on any input: 4,096 paths, 32 attribute names a path, a sample of
// 40 characters; what is beyond is counted, and said.

import type { Attributes } from './events.js';
import { pyStrip } from './stages/build.js';

const MOST_PATHS = 4096;
const MOST_ATTRIBUTES = 32;
const SAMPLE = 40;

export interface Repeated {
  name: string;
  /** how many elements of this name, at any path */
  count: number;
  /** where most of them are: /rss/channel/item */
  path: string;
  /** some are at other paths too */
  elsewhere: boolean;
}

/** One path of the inventory, as --paths -f json writes it. */
export interface PathSummary {
  path: string;
  name: string;
  /** elements at this path */
  count: number;
  /** parent elements that have one or more of them */
  parents: number;
  /** fewest and most of them in one of those parents */
  min: number;
  max: number;
  /** how many had attributes, text, child elements; and text alone (a string in JSON, where the others are objects) */
  attributed: number;
  text: number;
  children: number;
  textOnly: number;
  /** the attribute names seen, in order of first appearance */
  attributes: string[];
  /** more attribute names were seen than are listed */
  moreAttributes: boolean;
  /** the first text, stripped, cut to 40 characters */
  sample: string | null;
}

interface Entry {
  name: string;
  count: number;
  parents: number;
  min: number;
  max: number;
  /** how many in the parent they were last seen in (`parent`, a serial number) */
  run: number;
  parent: number;
  attributed: number;
  text: number;
  children: number;
  textOnly: number;
  attributes: Set<string>;
  moreAttributes: boolean;
  sample: string | null;
}

interface Open {
  key: string;
  entry: Entry | undefined; // undefined: its path is beyond the cap
  serial: number;
  text: string; // the first characters of its text, for the sample
  texted: boolean;
  children: boolean;
  attributed: boolean;
}

export interface InventoryOptions {
  /** names without their prefix, xmlns attributes left out (as --strip-ns converts them) */
  stripNamespaces?: boolean | undefined;
  /** white space is text (as --keep-space converts it) */
  keepSpace?: boolean | undefined;
}

export class ElementInventory {
  /** each path ('/rss/channel/item'), in order of first appearance */
  readonly #paths = new Map<string, Entry>();
  #root: string | undefined;
  #unlisted = 0; // elements at paths beyond the cap
  readonly #open: Open[] = [];
  #serial = 0;
  readonly #stripNs: boolean;
  readonly #keepSpace: boolean;

  constructor(options: InventoryOptions = {}) {
    this.#stripNs = options.stripNamespaces === true;
    this.#keepSpace = options.keepSpace === true;
  }

  /** One more element `name`, inside the open elements `path` (outermost first): counted only. */
  see(name: string, path: readonly string[]): void {
    if (path.length === 0) this.#root ??= name;
    const entry = this.#entry(path.length === 0 ? `/${name}` : `/${path.join('/')}/${name}`, name);
    if (entry !== undefined) entry.count++;
  }

  /** An element starts, inside the one started last and not ended. */
  start(written: string, attrs: Attributes): void {
    const name = this.#stripNs ? written.slice(written.indexOf(':') + 1) : written;
    const parent = this.#open[this.#open.length - 1];
    if (parent === undefined) this.#root ??= name;
    else parent.children = true;
    const key = `${parent?.key ?? ''}/${name}`;
    const entry = this.#entry(key, name);
    const open: Open = { key, entry, serial: ++this.#serial, text: '', texted: false, children: false, attributed: false };
    this.#open.push(open);
    if (entry === undefined) return;
    entry.count++;
    const within = parent?.serial ?? 0;
    if (entry.parent !== within) {
      if (entry.run > 0) this.#ranOut(entry);
      entry.parent = within;
      entry.run = 0;
      entry.parents++;
    }
    entry.run++;
    for (const attribute in attrs) {
      if (this.#stripNs && (attribute === 'xmlns' || attribute.startsWith('xmlns:'))) continue;
      open.attributed = true;
      const local = this.#stripNs ? attribute.slice(attribute.indexOf(':') + 1) : attribute;
      if (entry.attributes.size < MOST_ATTRIBUTES) entry.attributes.add(local);
      else if (!entry.attributes.has(local)) entry.moreAttributes = true;
    }
    if (open.attributed) entry.attributed++;
  }

  /** Text directly inside the element started last. */
  text(text: string): void {
    const open = this.#open[this.#open.length - 1]!;
    open.texted ||= this.#keepSpace ? text !== '' : pyStrip(text) !== '';
    if (open.text.length < 2 * SAMPLE) open.text += open.text === '' && !this.#keepSpace ? text.trimStart() : text;
  }

  /** The element started last ends. */
  end(): void {
    const { entry, texted, children, attributed, text } = this.#open.pop()!;
    if (entry === undefined) return;
    if (texted) entry.text++;
    if (children) entry.children++;
    if (texted && !children && !attributed) entry.textOnly++;
    if (texted && entry.sample === null) {
      const sample = this.#keepSpace ? text : pyStrip(text);
      entry.sample = sample.length > SAMPLE ? `${sample.slice(0, SAMPLE - 1)}…` : sample;
    }
  }

  /** An input has ended: elements a fault left open are not followed into the next one (--keep-going). */
  inputEnded(): void {
    this.#open.length = 0;
  }

  /** the document's root element, once seen */
  get root(): string | undefined {
    return this.#root;
  }

  /** elements not listed: their paths came after the first 4,096 */
  get unlisted(): number {
    return this.#unlisted;
  }

  /** The paths, in order of first appearance. */
  paths(): PathSummary[] {
    return [...this.#paths].map(([path, entry]) => ({
      path,
      name: entry.name,
      count: entry.count,
      parents: entry.parents,
      min: Math.min(entry.min, entry.run),
      max: Math.max(entry.max, entry.run),
      attributed: entry.attributed,
      text: entry.text,
      children: entry.children,
      textOnly: entry.textOnly,
      attributes: [...entry.attributes],
      moreAttributes: entry.moreAttributes,
      sample: entry.sample,
    }));
  }

  /** The names that occur more than once, each with the path most of them are at: outermost first, then most, then by name. */
  repeated(howMany = 3): Repeated[] {
    const byName = new Map<string, Repeated & { most: number }>();
    for (const [path, { name, count }] of this.#paths) {
      const entry = byName.get(name);
      if (entry === undefined) byName.set(name, { name, count, path, elsewhere: false, most: count });
      else {
        entry.count += count;
        entry.elsewhere = true;
        if (count > entry.most) Object.assign(entry, { path, most: count });
      }
    }
    return [...byName.values()]
      .filter((entry) => entry.count > 1)
      .sort((a, b) => depth(a.path) - depth(b.path) || b.count - a.count || (a.name < b.name ? -1 : 1))
      .slice(0, howMany)
      .map(({ name, count, path, elsewhere }) => ({ name, count, path, elsewhere }));
  }

  #entry(key: string, name: string): Entry | undefined {
    let entry = this.#paths.get(key);
    if (entry === undefined) {
      if (this.#paths.size >= MOST_PATHS) {
        this.#unlisted++;
        return undefined;
      }
      entry = { name, count: 0, parents: 0, min: Number.POSITIVE_INFINITY, max: 0, run: 0, parent: -1, attributed: 0, text: 0, children: 0, textOnly: 0, attributes: new Set(), moreAttributes: false, sample: null };
      this.#paths.set(key, entry);
    }
    return entry;
  }

  #ranOut(entry: Entry): void {
    entry.min = Math.min(entry.min, entry.run);
    entry.max = Math.max(entry.max, entry.run);
  }
}

const depth = (path: string): number => path.split('/').length;

/** --paths: the table, a path a line, and what it suggests for -e, --array and --shape. */
export function pathsTable(inventory: ElementInventory): string {
  const paths = inventory.paths();
  const counted = new Map(paths.map((p) => [p.path, p.count]));
  const rows = paths.map((p) => [
    p.path,
    String(p.count),
    p.min === p.max ? String(p.max) : `${p.min}–${p.max}`,
    `${p.parents}/${counted.get(p.path.slice(0, p.path.lastIndexOf('/'))) ?? 1}`,
    String(p.text),
    String(p.children),
    p.attributes.map((a) => `@${a}`).join(',') + (p.moreAttributes ? ',…' : ''),
    p.sample === null ? '' : JSON.stringify(p.sample),
  ]);
  const header = ['PATH', 'COUNT', 'PER PARENT', 'IN PARENTS', 'TEXT', 'CHILDREN', 'ATTRIBUTES', 'SAMPLE'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const right = [false, true, true, true, true, true, false, false];
  const line = (cells: string[]) => cells.map((cell, i) => (right[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  const notes: string[] = [];
  const repeated = paths.filter((p) => p.max > 1).sort((a, b) => depth(a.path) - depth(b.path) || b.count - a.count).slice(0, 3);
  if (repeated.length > 0) notes.push(`# records (-e): elements that repeat in their parent, outermost first: ${repeated.map((p) => `${p.name} (${p.count}, at ${p.path})`).join(', ')}`);
  const several = paths.filter((p) => p.min === 1 && p.max > 1).map((p) => p.path);
  if (several.length > 0) notes.push(`# one in some parents, several in others, so an array only sometimes (--array NAME, or --shape): ${listed(several)}`);
  const objects = paths.filter((p) => p.textOnly > 0 && p.attributed + p.children > 0).map((p) => p.path);
  if (objects.length > 0) notes.push(`# text alone in some, with attributes or children in others, so an object only sometimes (--shape): ${listed(objects)}`);
  if (inventory.unlisted > 0) notes.push(`# capped: ${inventory.unlisted.toLocaleString('en-US')} elements at paths after the first ${MOST_PATHS.toLocaleString('en-US')} are not listed`);
  return [line(header), ...rows.map(line), ...notes].join('\n') + '\n';
}

/** --paths -f json: the paths, and whether some were left out. */
export function pathsJson(inventory: ElementInventory, indent?: number): string {
  return `${JSON.stringify({ paths: inventory.paths(), unlisted: inventory.unlisted }, null, indent)}\n`;
}

function listed(paths: readonly string[]): string {
  return paths.length <= 5 ? paths.join(', ') : `${paths.slice(0, 5).join(', ')} and ${paths.length - 5} more`;
}
