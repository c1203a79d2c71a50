// --shape FILE: which elements are always arrays and which always objects, so that every record has
// one shape (a warehouse's schema breaks on a field that is a string in one record, an array in the
// next). Read from `--paths -f json` (an element that ever repeats in a parent is an array; one that
// ever has attributes or children, an object), or from a small hand-written list:
//   # a line each: an absolute /path, or a NAME (any element of that name), then array and/or object
//   /rss/channel/item/category  array object
//   guid                        object

import type { PathSummary } from './inventory.js';
import { QuerySyntaxError } from './query.js';

/** What a shape says of an element: always an array, always an object. */
export interface ShapeRule {
  array: boolean;
  object: boolean;
}

/** The rules by element: a tree of absolute paths, and rules by name that hold at any path. */
export interface ShapeNode extends ShapeRule {
  children: Map<string, ShapeNode>;
}

export interface Shape {
  /** the root elements, by name */
  roots: Map<string, ShapeNode>;
  byName: Map<string, ShapeRule>;
}

/** What `--paths -f json` wrote, the same parsed, or the hand-written list. Throws QuerySyntaxError saying where it is wrong. */
export type ShapeSource = string | { paths: ReadonlyArray<Pick<PathSummary, 'path' | 'max' | 'attributed' | 'children'>> };

export function parseShape(source: ShapeSource): Shape {
  const shape: Shape = { roots: new Map(), byName: new Map() };
  if (typeof source === 'string' && source.trimStart().startsWith('{')) {
    try {
      source = JSON.parse(source) as Exclude<ShapeSource, string>;
    } catch (error) {
      throw new QuerySyntaxError(`not the JSON of --paths -f json: ${(error as Error).message}`);
    }
  }
  if (typeof source !== 'string') {
    if (!Array.isArray(source?.paths)) throw new QuerySyntaxError('not the JSON of --paths -f json: it has no "paths" list');
    for (const [i, entry] of source.paths.entries()) {
      const { path, max, attributed, children } = entry ?? {};
      if (typeof path !== 'string' || !path.startsWith('/') || ![max, attributed, children].every((n) => typeof n === 'number')) {
        throw new QuerySyntaxError(`paths[${i}]: expected a path, max, attributed and children, as --paths -f json writes them`);
      }
      add(shape, path, { array: max > 1, object: attributed + children > 0 });
    }
    return shape;
  }
  for (const [i, line] of source.split('\n').entries()) {
    const words = line.replace(/#.*/u, '').trim().split(/\s+/u).filter(Boolean);
    if (words.length === 0) continue;
    const [element, ...kinds] = words as [string, ...string[]];
    const wrong = kinds.find((kind) => kind !== 'array' && kind !== 'object');
    if (kinds.length === 0 || wrong !== undefined) throw new QuerySyntaxError(`line ${i + 1}: expected a /path or NAME, then array and/or object${wrong === undefined ? '' : `, not "${wrong}"`}`);
    const rule = { array: kinds.includes('array'), object: kinds.includes('object') };
    if (element.startsWith('/')) add(shape, element, rule);
    else shape.byName.set(element, merged(shape.byName.get(element), rule));
  }
  return shape;
}

function add(shape: Shape, path: string, rule: ShapeRule): void {
  const steps = path.split('/').slice(1);
  let level = shape.roots;
  let node: ShapeNode | undefined;
  for (const step of steps) {
    node = level.get(step);
    if (node === undefined) level.set(step, (node = { array: false, object: false, children: new Map() }));
    level = node.children;
  }
  node!.array ||= rule.array;
  node!.object ||= rule.object;
}

function merged(a: ShapeRule | undefined, b: ShapeRule): ShapeRule {
  return { array: (a?.array ?? false) || b.array, object: (a?.object ?? false) || b.object };
}

/** One node holding what all of `nodes` say, at every depth below. */
export function mergeNodes(nodes: readonly ShapeNode[]): ShapeNode {
  const node: ShapeNode = { array: nodes.some((n) => n.array), object: nodes.some((n) => n.object), children: new Map() };
  const names = new Set(nodes.flatMap((n) => [...n.children.keys()]));
  for (const name of names) node.children.set(name, mergeNodes(nodes.flatMap((n) => n.children.get(name) ?? [])));
  return node;
}

/**
 * The nodes of the records: every outermost element with one of these names, or at one of these
 * /paths, merged by the name the record is written under (all into one when records are not tagged).
 */
export function recordNodes(shape: Shape, elements: readonly string[]): Map<string, ShapeNode> {
  const names = new Set(elements.filter((element) => !element.startsWith('/')));
  const paths = new Set(elements.filter((element) => element.startsWith('/')));
  const found = new Map<string, ShapeNode[]>();
  const visit = (level: Map<string, ShapeNode>, above: string): void => {
    for (const [name, node] of level) {
      const path = `${above}/${name}`;
      if (names.has(name) || paths.has(path)) found.set(name, [...(found.get(name) ?? []), node]);
      else visit(node.children, path);
    }
  };
  visit(shape.roots, '');
  return new Map([...found].map(([name, nodes]) => [name, mergeNodes(nodes)]));
}
