// The oracle: Python's xmltodict (on expat), run once over a batch of documents. With entity
// declarations allowed (its default refuses any DTD that declares one, which says nothing about
// well-formedness); expat never fetches an external entity.
import { spawnSync } from 'node:child_process';

export type Verdict = { json: string } | { error: string };

const SCRIPT = `
import base64, json, sys, xmltodict
out = []
for doc in json.load(sys.stdin):
    try:
        out.append({"json": json.dumps(xmltodict.parse(base64.b64decode(doc), disable_entities=False), ensure_ascii=False, separators=(",", ":"))})
    except Exception as e:
        out.append({"error": type(e).__name__ + ": " + str(e)})
json.dump(out, sys.stdout)
`;

/** xmltodict.parse(doc) for each document, as compact JSON text, or its error. */
export function xmltodict(docs: Uint8Array[]): Verdict[] {
  const input = JSON.stringify(docs.map((doc) => Buffer.from(doc).toString('base64')));
  const ran = spawnSync('python3', ['-c', SCRIPT], { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (ran.status !== 0) throw new Error(`python3 xmltodict failed: ${ran.stderr}`);
  return JSON.parse(ran.stdout) as Verdict[];
}
