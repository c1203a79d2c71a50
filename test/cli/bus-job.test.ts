import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/run-bin.js';

describe("xml2json, the course's bus job on samples/buses.xml", () => {
  it("prints route 22's northbound buses as CSV", async () => {
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

  it('takes the options before FILE as well (a repeatable -w does not swallow it)', async () => {
    const { code, stdout } = await runBin(['-e', 'bus', '-w', 'route=22', '-w', 'direction=North Bound', 'samples/buses.xml', '--count']);
    expect(code).toBe(0);
    expect(stdout).toBe('3\n');
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
});
