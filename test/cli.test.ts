import { describe, expect, it } from 'vitest';
import { runBin } from './helpers/run-bin.js';

describe('xml2json, the course\'s bus job on samples/buses.xml', () => {
  it('prints route 22\'s northbound buses as CSV', async () => {
    const { code, stdout, stderr } = await runBin(['samples/buses.xml', '-e', 'bus', '-w', 'route=22', '-w', 'direction=North Bound', '-f', 'csv', '--fields', 'route,id,direction,latitude,longitude']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // Checked by hand, and against the course's own Python pipeline (xml.sax + coroutines).
    expect(stdout).toBe(
      'route,id,direction,latitude,longitude\n' +
        '22,3596,North Bound,41.6769713783637,-87.6473175983177\n' +
        '22,2181,North Bound,41.97072527650744,-87.556615446205\n' +
        '22,4489,North Bound,41.6971257960424,-87.7066194984363\n',
    );
  });

  it('prints one NDJSON record per bus (300 in the sample), each a complete bus', async () => {
    const { code, stdout } = await runBin(['samples/buses.xml', '-e', 'bus', '-f', 'ndjson']);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(300);
    expect(JSON.parse(lines[0]!)).toEqual({
      id: '8747', route: '77', color: '#996633', revenue: 'true', direction: 'North Bound',
      latitude: '41.9382972564548', longitude: '-87.5515531162964', pattern: '4939',
      patternDirection: 'North Bound', run: 'P404', finalStop: 'Pulaski & Midway Terminal', operator: '13128',
    });
  });

  it('reads stdin when FILE is "-" or absent, and writes a JSON array of records with -f json', async () => {
    const xml = '<r><x><v>1</v></x><x><v>2</v></x></r>';
    for (const args of [['-', '-e', 'x'], ['-e', 'x']]) {
      const { code, stdout } = await runBin(args, xml);
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toEqual([{ v: '1' }, { v: '2' }]);
    }
  });

  it('converts a whole document without -e', async () => {
    const { stdout } = await runBin([], '<a x="1">t<b/></a>');
    expect(JSON.parse(stdout)).toEqual({ a: { '@x': '1', b: null, '#text': 't' } });
  });
});

describe('xml2json on bad input', () => {
  it('a malformed document: one line with file, line and column; exit 1; earlier records written', async () => {
    const xml = '<r>\n<x><v>1</v></x>\n<x><v>2</oops></x></r>';
    const { code, stdout, stderr } = await runBin(['-e', 'x', '-f', 'ndjson'], xml);
    expect(code).toBe(1);
    expect(stdout).toBe('{"v":"1"}\n');
    expect(stderr).toBe('xml2json: <stdin>:3:14: Unexpected close tag\n');
  });

  it('a missing file is named', async () => {
    const { code, stderr } = await runBin(['no-such-file.xml']);
    expect(code).toBe(1);
    expect(stderr).toBe('xml2json: no-such-file.xml: no such file\n');
  });

  it('a wrong flag or a malformed --where is a usage error, exit 2', async () => {
    expect((await runBin(['--no-such-flag'], '<a/>')).code).toBe(2);
    const bad = await runBin(['-e', 'x', '-w', 'route'], '<a/>');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--where "route": expected FIELD=VALUE/);
  });
});
