// The streaming forms of the way back: xmlChunks (an iterable of records), the Node Duplex for
// stream.pipeline and the web TransformStream all write what toXml writes for the same records, in
// chunks; a record the XML cannot hold comes out after the records before it, well-formed.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { ToXmlError } from '../../src/json/errors.js';
import { XmlTransformStream, toXml, xmlChunks, xmlTransform } from '../../src/to-xml.js';

const records = Array.from({ length: 3000 }, (_, i) => ({ '@id': String(i), name: `stop ${i} & co`, routes: { route: ['22', String(i % 7)] } }));
const options = { root: 'stops', item: 'stop', pretty: true };
const whole = toXml(records, options);

async function text(chunks: AsyncIterable<unknown>): Promise<{ text: string; chunks: number }> {
  let out = '';
  let count = 0;
  for await (const chunk of chunks) {
    out += String(chunk);
    count++;
  }
  return { text: out, chunks: count };
}

async function* slowly<T>(values: T[]): AsyncGenerator<T> {
  for (const value of values) {
    await Promise.resolve();
    yield value;
  }
}

describe('xmlChunks', () => {
  it('writes what toXml writes, in chunks of about 64 K characters', async () => {
    const { text: out, chunks } = await text(xmlChunks(slowly(records), options));
    expect(out).toBe(whole);
    expect(chunks).toBeGreaterThan(3);
    expect(whole.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<stops>\n\t<stop id="0">\n\t\t<name>stop 0 &amp; co</name>')).toBe(true);
  });

  it('a record the XML cannot hold: the records before it and the root end tag come out, then the ToXmlError', async () => {
    const bad = [{ a: '1' }, { 'no good': 1 }, { a: '3' }];
    let out = '';
    const read = async (): Promise<void> => {
      for await (const chunk of xmlChunks(bad, { root: 'r', item: 'i' })) out += chunk;
    };
    await expect(read()).rejects.toMatchObject({ name: 'ToXmlError', code: 'XML_NAME', path: '$["no good"]' });
    expect(out).toBe('<?xml version="1.0" encoding="utf-8"?>\n<r><i><a>1</a></i></r>');
  });

  it("a fault of the source: the same, with the source's error", async () => {
    async function* failing(): AsyncGenerator<unknown> {
      yield { a: '1' };
      throw new Error('the source broke');
    }
    let out = '';
    await expect((async () => {
      for await (const chunk of xmlChunks(failing(), { root: 'r', item: 'i' })) out += chunk;
    })()).rejects.toThrow('the source broke');
    expect(out).toBe('<?xml version="1.0" encoding="utf-8"?>\n<r><i><a>1</a></i></r>');
  });

  it('without a root, each record is a document: one with the declaration, any number in a fragment', async () => {
    expect((await text(xmlChunks([{ a: 1 }, { b: 2 }], { fullDocument: false }))).text).toBe('<a>1</a>\n<b>2</b>');
    await expect(text(xmlChunks([{ a: 1 }, { b: 2 }], {}))).rejects.toMatchObject({ code: 'XML_ROOT', path: '$.b' });
  });

  it('leaving the loop early closes the source', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<unknown> {
      try {
        for (let i = 0; ; i++) yield { n: 'x'.repeat(1000) };
      } finally {
        closed = true;
      }
    }
    for await (const chunk of xmlChunks(source(), { root: 'r', item: 'i' })) {
      expect(chunk.length).toBeGreaterThan(0);
      break;
    }
    expect(closed).toBe(true);
  });
});

describe('xmlTransform (Node) and XmlTransformStream (web)', () => {
  it('the Node stream: records in, the same XML out; undefined stands for null', async () => {
    let out = '';
    await pipeline(Readable.from(records), xmlTransform(options), async (chunks: AsyncIterable<string>) => {
      out = (await text(chunks)).text;
    });
    expect(out).toBe(whole);
    let empty = '';
    await pipeline(Readable.from([{ a: '1' }, undefined]), xmlTransform({ root: 'r', item: 'i' }), async (chunks: AsyncIterable<string>) => {
      empty = (await text(chunks)).text;
    });
    expect(empty).toBe('<?xml version="1.0" encoding="utf-8"?>\n<r><i><a>1</a></i><i></i></r>');
  });

  it('the Node stream fails the pipeline with the ToXmlError, after the records before it', async () => {
    let out = '';
    await expect(
      pipeline(Readable.from([{ a: '1' }, { a: '\u0000' }]), xmlTransform({ root: 'r', item: 'i' }), async (chunks: AsyncIterable<string>) => {
        for await (const chunk of chunks) out += chunk;
      }),
    ).rejects.toBeInstanceOf(ToXmlError);
    expect(out).toBe('<?xml version="1.0" encoding="utf-8"?>\n<r><i><a>1</a></i></r>');
  });

  it('the web stream: records in, the same XML out', async () => {
    const xml = ReadableStream.from(records).pipeThrough(new XmlTransformStream(options));
    expect((await text(xml)).text).toBe(whole);
  });
});
