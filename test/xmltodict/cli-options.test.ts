// The JSON options on the command line (the built bin, spawned), judged by xmltodict with the same options.
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/run-bin.js';
import { judge } from './oracle.js';

const doc = `<?xml version="1.0"?>
<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:m="urn:m">
  <soap:Body>
    <m:Quote m:currency="USD" id="q1"><m:Symbol>IBM</m:Symbol><m:Price>34.50</m:Price></m:Quote>
    <m:Quote id="q2">no symbol</m:Quote>
  </soap:Body>
</soap:Envelope>`;

describe('xml2json JSON options, judged by xmltodict', () => {
  it.each([
    [['--array', 'm:Symbol', '--array', 'soap:Body'], { forceList: ['m:Symbol', 'soap:Body'] }],
    [['--attr-prefix', '_', '--text-key', 'value'], { attrPrefix: '_', textKey: 'value' }],
    [['--strip-ns', '--array', 'Symbol'], { stripNs: true, forceList: ['Symbol'] }],
  ])('xml2json %j', async (flags, opts) => {
    const [theirs] = judge([{ xml: Buffer.from(doc), opts }]);
    const ran = await runBin(flags, doc);
    expect(ran.stderr).toBe('');
    expect(ran.stdout.trimEnd()).toBe(theirs!.ok && theirs!.doc);
  });

  it('--coerce: numbers and booleans, but never a lost digit', async () => {
    const ran = await runBin(['--coerce'], '<r n="1.5"><a>42</a><a>007</a><a>34.50</a><a>-0</a><a>9007199254740993</a><a>1e3</a><b>true</b><b>False</b><c/></r>');
    expect(JSON.parse(ran.stdout)).toEqual({ r: { '@n': 1.5, a: [42, '007', '34.50', '-0', '9007199254740993', '1e3'], b: [true, 'False'], c: null } });
  });

  it('--coerce comes after --where, which compares the text as written', async () => {
    const ran = await runBin(['-e', 'bus', '-w', 'route=22', '-f', 'ndjson', '--coerce'], '<r><bus><route>22</route><id>007</id></bus><bus><route>8</route></bus></r>');
    expect(ran.stdout).toBe('{"route":22,"id":"007"}\n');
  });
});
