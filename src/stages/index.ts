export { buildElements, recordSelector, pyStrip, type BuildOptions, type Json, type JsonObject, type RecordSelector } from './build.js';
export { where, whereField, fieldOf } from './where.js';
export { emitJsonLines, emitJsonArray, type Write } from './emit-json.js';
export { emitCsv } from './emit-csv.js';
