export { buildElements, pyStrip, type BuildOptions, type Json, type JsonObject } from './build.js';
export { recordSelector, type RecordSelector } from '../query.js';
export { where, whereField, fieldOf } from './where.js';
export { emitJsonLines, emitJsonArray, type Write } from './emit-json.js';
export { emitCsv, CsvColumnsError } from './emit-csv.js';
