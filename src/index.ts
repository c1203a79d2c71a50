// What `import … from 'cosax'` gives, from the highest level down (README "Library" shows each in use).

// Convert: a document in memory → its JSON value; a source → its records, one at a time.
export { convert, records, parse, type ConvertOptions, type RecordsOptions, type Where, type SourceInput } from './api.js';

// Streams: Node Transforms for stream.pipeline, a web TransformStream for pipeThrough.
export { recordTransform, ndjsonTransform, RecordTransformStream } from './streams.js';

// Back to XML: a JSON value → its XML (xmltodict's unparse), records → XML text in chunks, and the stream forms.
export { toXml, xmlChunks, xmlTransform, XmlTransformStream, type XmlOptions, type XmlRecordOptions } from './to-xml.js';
export { ToXmlError, type ToXmlErrorCode } from './json/errors.js';

// The course's vocabulary: coroutine(), send(), close(), fail().
export { type Coroutine, CoroutineClosedError, coroutine, send, close, fail } from './coroutine.js';

// What the parser sends down the chain: one event a send, or batches to a stage that takes them.
export { type XmlEvent, type Attributes, setOwn, EventBatch, takesBatches } from './events.js';

// The one error class of every entry point.
export { XmlSyntaxError, type XmlErrorCode, type XmlPosition } from './errors.js';

// The driver underneath parse(): a push parser (feed) and a synchronous one for text in memory.
export { feed, PARSERS, type Feed, type Chunk, type FeedOptions, type ParserName } from './driver.js';
export { parseSync, type ParseOptions } from './driver.js';

// The stages: builder, filters, emitters, broadcast — and the CLI's chain composed of them.
export * from './stages/index.js';
export { broadcast } from './stages/broadcast.js';
export { emitXml } from './stages/emit-xml.js';
export { pipeline, type PipelineOptions, type Format } from './chain.js';
