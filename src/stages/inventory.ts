// ③ --paths: tells an ElementInventory of every element, its attributes and its text. Receives
// XmlEvents; sends nothing (the inventory is the table that is printed at the end).

import { coroutine } from '../coroutine.js';
import type { XmlEvent } from '../events.js';
import type { ElementInventory } from '../inventory.js';

export const takeInventory = coroutine(function* (inventory: ElementInventory): Generator<unknown, void, XmlEvent> {
  try {
    for (;;) {
      const event = yield;
      if (event.type === 'start') inventory.start(event.name, event.attrs);
      else if (event.type === 'text') inventory.text(event.text);
      else inventory.end();
    }
  } finally {
    inventory.inputEnded(); // (an input that failed may leave elements open)
  }
});
