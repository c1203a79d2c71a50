// ③ --shape: each record made to one shape — the elements the shape names always arrays, always
// objects (text alone as {"#text": …}; an empty element stays null) — so that all records share it.
// Receives records (or whole documents); sends them on, changed in place; keeps nothing.

import { type Coroutine, close, coroutine, send } from '../coroutine.js';
import { setOwn } from '../events.js';
import { type Shape, type ShapeNode, type ShapeRule, mergeNodes, recordNodes } from '../shape.js';
import { type Json, TEXT_KEY } from './build.js';

export interface ShapeOptions {
  /** the records' elements (names, /paths); none: whole documents, {root: …} */
  element?: readonly string[] | undefined;
  /** records are {name: …} */
  tag?: boolean | undefined;
  attrPrefix?: string | undefined;
  textKey?: string | undefined;
}

const NONE: ShapeRule = { array: false, object: false };

export const shapeRecords = coroutine(function* (shape: Shape, options: ShapeOptions, target: Coroutine<Json>) {
  const textKey = options.textKey ?? TEXT_KEY;
  const attrPrefix = options.attrPrefix ?? '@';
  const ruleOf = (node: ShapeNode | undefined, name: string): ShapeRule => {
    const byName = shape.byName.get(name);
    if (byName === undefined) return node ?? NONE;
    return node === undefined ? byName : { array: node.array || byName.array, object: node.object || byName.object };
  };
  const shapedObject = (value: Json, object: boolean): Json => {
    if (!object || value === null || typeof value === 'object') return value;
    const made = {};
    setOwn(made, textKey, value);
    return made;
  };
  // The elements still to be shaped, each a key of an object already shaped: a stack, not recursion (any depth).
  const stack: Array<{ parent: Record<string, Json>; key: string; node: ShapeNode | undefined }> = [];
  const childrenOf = (value: Json, node: ShapeNode | undefined): void => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    for (const key of Object.keys(value)) {
      if (key === textKey || (attrPrefix !== '' && key.startsWith(attrPrefix))) continue;
      const child = node?.children.get(key);
      if (child !== undefined || shape.byName.size > 0) stack.push({ parent: value, key, node: child });
    }
  };
  // One value of an element (one of them, when it repeats), and everything in it.
  const valueOf = (value: Json, node: ShapeNode | undefined, object: boolean): Json => {
    const top = shapedObject(value, object);
    childrenOf(top, node);
    while (stack.length > 0) {
      const { parent, key, node: child } = stack.pop()!;
      const rule = ruleOf(child, key);
      const values = parent[key]!;
      if (Array.isArray(values)) {
        for (let i = 0; i < values.length; i++) childrenOf((values[i] = shapedObject(values[i]!, rule.object)), child);
      } else {
        const one = shapedObject(values, rule.object);
        setOwn(parent, key, rule.array ? [one] : one);
        childrenOf(one, child);
      }
    }
    return top;
  };

  // A record is one element: an object when the shape says so, never an array of itself.
  const elements = options.element;
  const named = elements === undefined ? shape.roots : recordNodes(shape, elements);
  const names = (elements ?? []).map((element) => element.slice(element.lastIndexOf('/') + 1));
  const record = mergeNodes([...named.values()]);
  const recordObject = record.object || names.some((name) => shape.byName.get(name)?.object === true);
  const wrapped = elements === undefined || options.tag === true; // {name: …}
  try {
    for (;;) {
      const value: Json = yield;
      if (!wrapped) send(target, valueOf(value, record, recordObject));
      else {
        for (const name of Object.keys(value as object)) {
          const node = named.get(name);
          setOwn(value as Record<string, Json>, name, valueOf((value as Record<string, Json>)[name]!, node, ruleOf(node, name).object));
        }
        send(target, value);
      }
    }
  } finally {
    close(target);
  }
});
