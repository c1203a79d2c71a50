// What `import … from 'cosax'` gives.
export { type Coroutine, CoroutineClosedError, coroutine, send, close, fail } from './coroutine.js';
export { type XmlEvent, type Attributes } from './events.js';
export { XmlSyntaxError, type XmlErrorCode, type XmlPosition } from './errors.js';
export { feed, PARSERS, type Feed, type Chunk, type FeedOptions, type ParserName } from './parse/feed.js';
export { parse, parseSync, type ParseOptions } from './parse/parse.js';
export { pipeline, type PipelineOptions, type Format } from './pipeline.js';
export * from './stages/index.js';
