import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsvTable } from '@openphm/reference-data';
import type { CliIo } from '../io.js';
import { parseStartAges } from '../options.js';
import { runCli } from '../program.js';
import { computeStats, runStats, statsCommand, type StatsCommandOptions } from './stats.js';

const opts = (method: StatsCommandOptions['method'], extra: Partial<StatsCommandOptions> = {}): StatsCommandOptions => ({ method, input: 'in.csv', confidence: [0.95], format: 'csv', ...extra });
const table = (text: string) => readCsvTable(text, 'in.csv');

describe('phm stats', () => {
  it('computes a Wilson proportion per row, keeping other columns as groups', () => {
    const [leeds, kirklees] = runStats(table('area,numerator,denominator\nleeds,75,100\nkirklees,0,10\n'), opts('proportion'));
    expect(leeds!.area).toBe('leeds');
    expect(leeds!.value).toBeCloseTo(75, 10);
    expect(leeds!.lower_95).toBeCloseTo(65.70, 1);
    expect(kirklees!.value).toBe(0);
  });

  it('uses exact limits for a rate from fewer than 10 events and Byar\'s above', () => {
    const rows = runStats(table('count,denominator\n5,10000\n50,10000\n'), opts('rate'));
    expect(rows.map((r) => r.method)).toEqual(['exact', 'byars']);
    expect(rows[1]!.value).toBeCloseTo(500, 10);
  });

  it('standardises a DSR per group over its age bands', () => {
    const bands = ['0-4', '5-9', '10-14', '15-19', '20-24', '25-29', '30-34', '35-39', '40-44', '45-49', '50-54', '55-59', '60-64', '65-69', '70-74', '75-79', '80-84', '85-89', '90+'];
    const csv = ['area,age_band,count,population', ...bands.map((b) => `x,${b},10,1000`)].join('\n');
    const [r] = runStats(table(csv), opts('dsr'));
    expect(r!.value).toBeCloseTo(1000, 8); // the same rate in every band: DSR = crude = 1,000 per 100,000
    expect(r!.count).toBe(190);
  });

  it('rejects a missing column with the file, line and field', () => {
    expect(() => runStats(table('count\n3\n'), opts('rate'))).toThrow("in.csv, line 1, field 'denominator': missing column (rate needs count, denominator)");
  });

  it.each<[string, string, string]>([
    ['a value that is not a number', 'numerator,denominator\nmany,10\n', "line 2, field 'numerator': 'many' is not a number"],
    ['a numerator above the denominator', 'numerator,denominator\n1,10\n11,10\n', 'line 3: numerator (11) must not be greater than the denominator (10) for a proportion'],
  ])('gives %s a blank value and the reason in its row, and counts it as failed', (_, csv, reason) => {
    const run = computeStats(table(csv), opts('proportion'));
    const bad = run.rows.find((r) => r.reason !== '')!;
    expect(bad.value).toBeNull();
    expect(bad.reason).toBe(reason);
    expect(run.failed).toBe(1);
  });

  describe('life expectancy at a start age', () => {
    // The worked example published with PHEindicatormethods (phe_life_expectancy), whose expected
    // values come from the PHE Life Expectancy Calculator: e at 0, 5, 65, 85 and 90.
    const bands = ['0', '1-4', '5-9', '10-14', '15-19', '20-24', '25-29', '30-34', '35-39', '40-44', '45-49', '50-54', '55-59', '60-64', '65-69', '70-74', '75-79', '80-84', '85-89', '90+'];
    const populations = [7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601, 50209, 56416, 46411, 39820, 37978, 37039, 33288, 23306, 11936, 11936];
    const deaths = [17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390, 1605, 1936, 1937];
    const published: Record<number, number> = { 0: 80.16960813, 5: 75.44193645, 65: 18.76856852, 85: 6.163942934, 90: 6.16210635 };
    const csv = (areas: readonly string[]) =>
      ['area,age_band,deaths,population', ...areas.flatMap((a) => bands.map((b, i) => `${a},${b},${deaths[i]},${populations[i]}`))].join('\n');

    it.each([[0], [5], [65], [85], [90]])('e%i matches the published value', (age) => {
      const [row] = runStats(table(csv(['x'])), opts('life-expectancy', { startAges: [age] }));
      expect(row!.start_age).toBe(age);
      expect(Math.abs((row!.value as number) - published[age]!)).toBeLessThan(1e-8);
      expect(row!.population).toBe(populations.reduce((a, b) => a + b, 0));
    });

    it('gives one row per group and age, in the order asked, or every band with all', () => {
      const rows = runStats(table(csv(['x', 'y'])), opts('life-expectancy', { startAges: [65, 0] }));
      expect(rows.map((r) => [r.area, r.start_age])).toEqual([['x', 65], ['x', 0], ['y', 65], ['y', 0]]);
      const all = runStats(table(csv(['x'])), opts('life-expectancy', { startAges: 'all' }));
      expect(all.map((r) => r.start_age)).toEqual([0, 1, ...Array.from({ length: 18 }, (_, i) => 5 * (i + 1))]);
      for (const r of all.filter((r) => published[r.start_age as number] !== undefined)) {
        expect(Math.abs((r.value as number) - published[r.start_age as number]!)).toBeLessThan(1e-8);
      }
    });

    it('e85 by hand from the Chiang II formulas when only 85-89 and 90+ have deaths', () => {
      // M85 = 100/1000, q85 = 5M/(1 + 5M × 0.5) = 0.4, l90 = 0.6 l85, d85 = 0.4 l85,
      // L85 = 5(l90 + 0.5 d85) = 4 l85; M90 = 200/500, L90 = l90/M90 = 1.5 l85 → e85 = 5.5, e90 = 2.5;
      // e0 = 85 + e85 (nobody dies before 85: L = n l for each band).
      const rows = bands.map((b, i) => `${b},${i === 18 ? 100 : i === 19 ? 200 : 0},${i === 19 ? 500 : 1000}`);
      const result = runStats(table(['age_band,deaths,population', ...rows].join('\n')), opts('life-expectancy', { startAges: [0, 85, 90] }));
      expect(result.map((r) => r.value)).toEqual([expect.closeTo(90.5, 10), expect.closeTo(5.5, 10), expect.closeTo(2.5, 10)]);
    });

    it.each(['3', '0,0', 'ninety', '-5', '95'])('rejects --start-age %s', (text) => {
      expect(() => parseStartAges(text)).toThrow(/--start-age/);
    });

    it('parses --start-age lists and all', () => {
      expect(parseStartAges('65')).toEqual([65]);
      expect(parseStartAges('0, 65,85')).toEqual([0, 65, 85]);
      expect(parseStartAges('ALL')).toBe('all');
    });
  });

  describe('slope index of inequality', () => {
    // Deciles of a life-expectancy-like indicator (the phe_sii documentation example, area 1).
    const populations = [7291, 7997, 6105, 7666, 5790, 6934, 5918, 5974, 7147, 7534];
    const values = [75.9, 78.3, 83.8, 83.6, 80.5, 81.1, 81.7, 84.2, 80.6, 86.3];
    const lower = [72.7, 75.3, 80.9, 80.2, 77.1, 78, 79, 81.4, 75.8, 83.2];
    const upper = [79.1, 81.4, 86.8, 87.1, 83.8, 84.2, 84.4, 86.9, 85.4, 89.4];
    const ses = [1.64, 1.58, 1.51, 1.78, 1.7, 1.56, 1.37, 1.4, 2.43, 1.57];
    const limitsCsv = ['area,decile,value,population,lower_ci,upper_ci', ...values.map((v, i) => `a,${i + 1},${v},${populations[i]},${lower[i]},${upper[i]}`)].join('\n');
    const seCsv = ['decile,value,population,standard_error', ...values.map((v, i) => `${i + 1},${v},${populations[i]},${ses[i]}`)].join('\n');
    const sii = (csv: string, extra: Partial<StatsCommandOptions> = {}) => runStats(table(csv), opts('sii', { columns: { rank: 'decile' }, simulations: 10_000, ...extra }))[0]!;

    it('gives the SII, RII and intercept with limits from standard errors or 95% limits', () => {
      const fromLimits = sii(limitsCsv);
      const fromSe = sii(seCsv);
      expect(fromLimits.area).toBe('a');
      expect(fromLimits.quantiles).toBe(10);
      expect(fromLimits.sii as number).toBeCloseTo(fromSe.sii as number, 12);
      expect(fromLimits.sii_lower_95 as number).toBeLessThan(fromLimits.sii as number);
      expect(fromLimits.rii_upper_95 as number).toBeGreaterThan(fromLimits.rii as number);
      // The SEs above are the limits' (upper − lower) / 3.92 rounded to 2 places: limits agree closely.
      expect(Math.abs((fromLimits.sii_lower_95 as number) - (fromSe.sii_lower_95 as number))).toBeLessThan(0.1);
      expect(fromLimits.simulations).toBe(10_000);
      expect(fromLimits.transform).toBe('none');
    });

    it('is reproducible by seed, and another seed moves the limits a little', () => {
      expect(sii(limitsCsv, { seed: 'x' })).toEqual(sii(limitsCsv, { seed: 'x' }));
      const other = sii(limitsCsv, { seed: 'y' });
      expect(other.sii_lower_95).not.toBe(sii(limitsCsv, { seed: 'x' }).sii_lower_95);
      expect(other.sii).toBe(sii(limitsCsv, { seed: 'x' }).sii);
    });

    it('runs 100,000 simulations by default, as phe_sii', () => {
      expect(runStats(table(limitsCsv), opts('sii', { columns: { rank: 'decile' } }))[0]!.simulations).toBe(100_000);
    });

    it('reverses polarity with a negative multiplier', () => {
      const plain = sii(limitsCsv);
      const reversed = sii(limitsCsv, { multiplier: -1 });
      expect(reversed.sii as number).toBeCloseTo(-(plain.sii as number), 12);
      expect(reversed.rii as number).toBeCloseTo(1 / (plain.rii as number), 12);
    });

    it('log-transforms rates and logit-transforms proportions given as numerators', () => {
      const rates = ['rank,value,population,lower_ci,upper_ci', ...[9, 8, 6.5, 6, 5.2].map((v, i) => `${i + 1},${v},20000,${v * 0.8},${v * 1.25}`)].join('\n');
      const logged = runStats(table(rates), opts('sii', { valueType: 'rate', transform: true, simulations: 1000 }))[0]!;
      expect(logged.transform).toBe('log');
      expect(logged.value_type).toBe('rate');
      const counts = ['rank,numerator,population,lower_ci,upper_ci', ...[900, 800, 650, 600, 520].map((x, i) => `${i + 1},${x},10000,${x / 10000 - 0.01},${x / 10000 + 0.01}`)].join('\n');
      const logit = runStats(table(counts), opts('sii', { valueType: 'proportion', transform: true, multiplier: 100, simulations: 1000 }))[0]!;
      expect(logit.transform).toBe('logit');
      expect(logit.sii as number).toBeLessThan(0);
    });

    it.each<[string, string, Partial<StatsCommandOptions>, RegExp]>([
      ['--transform with standard errors', 'rank,value,population,standard_error\n1,1,1,1\n', { valueType: 'rate', transform: true }, /--transform needs the 95% limits/],
      ['a numerator without --value-type proportion', 'rank,numerator,population\n1,1,1\n', {}, /numerator column \(without value\) needs --value-type proportion/],
      ['only one of the limits', 'rank,value,population,lower_ci\n1,1,1,1\n', {}, /field 'upper_ci': missing column/],
      ['no value', 'rank,population\n1,1\n', {}, /sii needs value, or numerator/],
    ])('rejects %s for the whole file', (_, csv, extra, message) => {
      expect(() => runStats(table(csv), opts('sii', extra))).toThrow(message);
    });

    it('checks the number of quantiles per group: 5 to 100 (phe_sii)', () => {
      const csv = ['area,rank,value,population', ...[1, 2, 3, 4].map((r) => `small,${r},${r},100`), ...[1, 2, 3, 4, 5].map((r) => `ok,${r},${r},100`)].join('\n');
      const run = computeStats(table(csv), opts('sii'));
      expect(run.rows.map((r) => [r.area, r.reason])).toEqual([
        ['small', 'lines 2-5: the number of quantiles must be between 5 and 100, got 4'],
        ['ok', ''],
      ]);
      expect(run.failed).toBe(1);
      const many = ['rank,value,population', ...Array.from({ length: 12 }, (_, i) => `${i + 1},${i},100`)].join('\n');
      expect(runStats(table(many), opts('sii'))[0]!.warning).toBe('12 quantiles: small values can make the SII unstable with more than 10');
    });
  });

  describe('DSR with non-independent events and ESP 1976 (PHEindicatormethods reference data)', () => {
    const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
    const referenceDir = path.join(process.env.PHM_SHARED_DATA ?? path.resolve(repoRoot, '../shared/data'), 'reference-stats');
    const read = (name: string) => readFileSync(path.join(referenceDir, name), 'utf8');
    const resultsCsv = readCsvTable(read('testdata_DSR_ISR__testresults_DSR.csv'), 'results.csv');
    const expected = (area: string) => {
      const row = resultsCsv.rows.find((r) => r.cells[0] === area)!; // each non-independent area appears once, per 100,000
      return Object.fromEntries(resultsCsv.header.map((h, i) => [h, row.cells[i] === '' ? null : Number(row.cells[i])]));
    };
    // The file as published, with its '55-69' label for the 55-59 band (a typo in the sheet) corrected.
    const nonIndependent = read('testdata_DSR_ISR__testdata_nonindepe.csv').replace(/,55-69,/g, ',55-59,');
    const reference = { columns: { age_band: 'ageband', population: 'pop' }, confidence: [0.95, 0.998] } as const;

    it('reads event-frequency columns f1…f4 and widens the limits as calculate_dsr(independent_events = FALSE)', () => {
      const run = computeStats(table(nonIndependent), opts('dsr', reference));
      expect(run.failed).toBe(0);
      expect(run.rows.map((r) => r.area)).toEqual(['testdata_nonind_big', 'testdata_nonind_dummy', 'testdata_nonind_small', 'testdata_nonind_tiny']);
      for (const row of run.rows) {
        const published = expected(row.area as string);
        expect(row.method).toBe('dobson-non-independent-events');
        expect(row.count).toBe(published.total_count);
        expect(row.population).toBe(published.total_pop);
        // Published to 8 decimal places.
        for (const [ours, theirs] of [['value', 'value'], ['lower_95', 'lower95_0cl'], ['upper_95', 'upper95_0cl'], ['lower_99_8', 'lower99_8cl'], ['upper_99_8', 'upper99_8cl']] as const) {
          if (published[theirs] === null) expect(row[ours]).toBeNull();
          else expect(Math.abs((row[ours] as number) - published[theirs]!), `${String(row.area)} ${ours}`).toBeLessThan(5.1e-9);
        }
      }
      expect(run.rows[3]!.suppressed).toBe('total-count-below-10');
    });

    it('the f columns without a count column give the same', () => {
      const withoutCount = nonIndependent
        .trim()
        .split(/\r?\n/)
        .map((line) => line.split(',').filter((_, i) => i !== 2).join(','))
        .join('\n');
      expect(withoutCount.split('\n')[0]).toBe('area,ageband,pop,f1,f2,f3,f4');
      const rows = runStats(table(withoutCount), opts('dsr', reference));
      expect(rows[0]!.value as number).toBeCloseTo(10430.24799147, 7);
    });

    it('a count that does not equal Σ f × persons fails that group only, with the reason', () => {
      const wrong = nonIndependent.replace('testdata_nonind_big,00-04,127,', 'testdata_nonind_big,00-04,128,');
      const run = computeStats(table(wrong), opts('dsr', reference));
      expect(run.failed).toBe(1);
      expect(run.rows[0]!.value).toBeNull();
      expect(run.rows[0]!.reason).toMatch(/count 128 in age band '00-04' does not equal the 127 events implied by eventFrequencies/);
      expect(run.rows[1]!.value).not.toBeNull();
    });

    it("the published file's '55-69' label fails every group with the reason, and the command counts them", () => {
      const run = computeStats(table(read('testdata_DSR_ISR__testdata_nonindepe.csv')), opts('dsr', reference));
      expect(run.failed).toBe(4);
      expect(run.rows[0]!.reason).toMatch(/age band\(s\) '55-69' \(expected '55-59'\) do not match the expected bands/);
    });

    it('--standard esp1976 reproduces the published ESP 1976 DSR (testdata_1976, results row 8)', () => {
      const bands = ['0-4', '5-9', '10-14', '15-19', '20-24', '25-29', '30-34', '35-39', '40-44', '45-49', '50-54', '55-59', '60-64', '65-69', '70-74', '75-79', '80-84', '85+'];
      const counts = [127, 25, 18, 21, 12, 27, 48, 27, 29, 32, 32, 34, 45, 65, 38, 68, 74, 82];
      const pops = [636, 558, 609, 543, 384, 594, 669, 843, 660, 576, 606, 522, 426, 273, 300, 288, 153, 123];
      const csv = ['age_band,count,population', ...bands.map((b, i) => `${b},${counts[i]},${pops[i]}`)].join('\n');
      const [row] = runStats(table(csv), opts('dsr', { standard: 'esp1976' }));
      expect(Math.abs((row!.value as number) - 8592.097585022366)).toBeLessThan(1e-7);
      expect(Math.abs((row!.lower_95 as number) - 7991.160931442103)).toBeLessThan(1e-7);
      expect(Math.abs((row!.upper_95 as number) - 9225.253880318318)).toBeLessThan(1e-7);
      // 19-band data cannot be standardised to the 18-band ESP 1976: a reason, not a wrong number.
      const esp2013Bands = runStats(table(nonIndependent.replace(/,55-69,/g, ',55-59,')), opts('dsr', { ...reference, standard: 'esp1976' }));
      expect(esp2013Bands[0]!.reason).toMatch(/not in the expected bands/);
    });

    it('rejects --standard together with a standard_population column', () => {
      expect(() => runStats(table('age_band,count,population,standard_population\n0-4,1,10,5000\n'), opts('dsr', { standard: 'esp2013' }))).toThrow(/either a standard_population column or --standard/);
    });
  });

  describe('per-group results and blank cells', () => {
    it.each<[string, StatsCommandOptions['method'], string, string]>([
      ['proportion', 'proportion', 'area,numerator,denominator\na,5,10\nb,,10\n', 'missing numerator on line 3'],
      ['rate', 'rate', 'area,count,denominator\na,5,1000\nb,7,\n', 'missing denominator on line 3'],
      ['life expectancy', 'life-expectancy', '', 'missing deaths on line'],
      ['sii', 'sii', ['area,rank,value,population', ...[1, 2, 3, 4, 5].flatMap((r) => [`a,${r},${r},100`, `b,${r},${r === 3 ? '' : r},100`])].join('\n'), 'missing value on line 7'],
    ])('missing in, missing out (%s): a blank cell gives a blank value with the reason, and is not a failure', (_, method, csv, reason) => {
      const input =
        csv !== ''
          ? csv
          : ['area,age_band,deaths,population', ...['a', 'b'].flatMap((a) => ['0', '1-4', '5-9', '10-14', '15-19', '20-24', '25-29', '30-34', '35-39', '40-44', '45-49', '50-54', '55-59', '60-64', '65-69', '70-74', '75-79', '80-84', '85-89', '90+'].map((b) => `${a},${b},${a === 'b' && b === '5-9' ? '' : b === '90+' ? 500 : 10},1000`))].join('\n');
      const run = computeStats(table(input), opts(method));
      expect(run.failed).toBe(0);
      expect(run.missing).toBe(1);
      const [a, b] = run.rows;
      expect(typeof (a!.value ?? a!.sii)).toBe('number');
      expect(a!.reason).toBe('');
      expect(b!.area).toBe('b');
      expect(b!.value ?? null).toBeNull();
      expect(b!.reason).toContain(reason);
    });

    it('a blank DSR count counts as 0 (as PHEindicatormethods), a blank population makes the group missing', () => {
      const bands = ['0-4', '5-9', '10-14', '15-19', '20-24', '25-29', '30-34', '35-39', '40-44', '45-49', '50-54', '55-59', '60-64', '65-69', '70-74', '75-79', '80-84', '85-89', '90+'];
      const csv = ['area,age_band,count,population', ...bands.map((b, i) => `zero,${b},${i === 0 ? '' : 10},1000`), ...bands.map((b, i) => `full,${b},${i === 0 ? 0 : 10},1000`), ...bands.map((b, i) => `gap,${b},10,${i === 4 ? '' : 1000}`)].join('\n');
      const run = computeStats(table(csv), opts('dsr'));
      const [zero, full, gapRow] = run.rows;
      expect(zero!.value).toBe(full!.value);
      expect(zero!.count).toBe(180);
      expect(gapRow!.value).toBeNull();
      expect(gapRow!.reason).toMatch(/^missing population on line \d+$/);
      expect(run.failed).toBe(0);
    });

    it('life expectancy: a failed group gives one blank row per requested age', () => {
      const bands = ['0', '1-4', '5-9', '10-14', '15-19', '20-24', '25-29', '30-34', '35-39', '40-44', '45-49', '50-54', '55-59', '60-64', '65-69', '70-74', '75-79', '80-84', '85-89', '90+'];
      const csv = ['area,age_band,deaths,population', ...bands.map((b) => `ok,${b},${b === '90+' ? 500 : 10},1000`), ...bands.slice(0, 19).map((b) => `short,${b},10,1000`)].join('\n');
      const run = computeStats(table(csv), opts('life-expectancy', { startAges: [0, 65] }));
      expect(run.rows.map((r) => [r.area, r.start_age, r.value === null])).toEqual([['ok', 0, false], ['ok', 65, false], ['short', 0, true], ['short', 65, true]]);
      expect(run.rows[2]!.reason).toMatch(/^lines 22-40: .*missing age band\(s\) '90\+'/);
      expect(run.failed).toBe(1);
    });

    describe('through the command: every row is written, and the exit code says some groups failed', () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'phm-stats-'));
      afterAll(() => rmSync(dir, { recursive: true, force: true }));
      const cli = async (...args: string[]) => {
        const out: string[] = [];
        const err: string[] = [];
        const io: CliIo = { stdout: { write: (t) => void out.push(t) }, stderr: { write: (t) => void err.push(t) }, env: {}, cwd: dir };
        const code = await runCli(args, io);
        return { code, stdout: out.join(''), stderr: err.join('') };
      };

      it('exit 3 (invalid input, through exitCodeFor) when a group fails; its row has the reason', async () => {
        writeFileSync(path.join(dir, 'p.csv'), 'area,numerator,denominator\na,5,10\nb,12,10\nc,,10\n');
        const r = await cli('stats', 'proportion', '--input', 'p.csv', '--confidence', '0.95');
        expect(r.code).toBe(3);
        expect(r.stdout.trim().split('\n')).toEqual([
          'area,numerator,denominator,value,lower_95,upper_95,reason',
          'a,5,10,50,23.65930905,76.34069095,',
          'b,,,,,,line 3: numerator (12) must not be greater than the denominator (10) for a proportion',
          'c,,,,,,missing numerator on line 4',
        ]);
        expect(r.stderr).toBe('error: p.csv: 1 of 3 groups could not be computed; their rows have a blank value and the reason (the other groups were written)\n');
      });

      it('exit 0 when only blank cells make values missing', async () => {
        writeFileSync(path.join(dir, 'q.csv'), 'area,numerator,denominator\na,5,10\nc,,10\n');
        expect((await cli('stats', 'proportion', '--input', 'q.csv')).code).toBe(0);
      });

      it('parses the options: --start-age all, --column, --multiplier=-1 for sii only, --simulations at least 1000', async () => {
        writeFileSync(path.join(dir, 's.csv'), ['quantile,value,population,lower_ci,upper_ci', ...[1, 2, 3, 4, 5].map((q) => `${q},${70 + q},1000,${69 + q},${71 + q}`)].join('\n'));
        const reversed = await cli('stats', 'sii', '--input', 's.csv', '--column', 'rank=quantile', '--multiplier=-1', '--simulations', '1000', '--format', 'json');
        expect(reversed.code).toBe(0);
        expect(JSON.parse(reversed.stdout)[0].sii).toBeCloseTo(-5, 10); // 71 … 75 at x = 0.1 … 0.9: slope 5, reversed
        expect((await cli('stats', 'sii', '--input', 's.csv', '--column', 'rank=quantile', '--simulations', '999')).code).toBe(2);
        expect((await cli('stats', 'proportion', '--input', 'q.csv', '--multiplier=-1')).code).toBe(2);
        expect((await cli('stats', 'life-expectancy', '--input', 'q.csv', '--start-age', '3')).code).toBe(2);
        const bands = ['0', '1-4', '5-9', '10-14', '15-19', '20-24', '25-29', '30-34', '35-39', '40-44', '45-49', '50-54', '55-59', '60-64', '65-69', '70-74', '75-79', '80-84', '85-89', '90+'];
        writeFileSync(path.join(dir, 'le.csv'), ['age_band,deaths,population', ...bands.map((b) => `${b},${b === '90+' ? 500 : 10},1000`)].join('\n'));
        const all = await cli('stats', 'life-expectancy', '--input', 'le.csv', '--start-age', 'all');
        expect(all.code).toBe(0);
        expect(all.stdout.trim().split('\n')).toHaveLength(21);
      });

      it('streams the output through a work file: --out is replaced whole, no work file is left, stdout gets the same text', async () => {
        // 6,000 rows: the output (about 330 KB) is written in several pieces.
        const rows = Array.from({ length: 6000 }, (_, i) => `area${i},${i % 97},${100 + (i % 13)}`);
        writeFileSync(path.join(dir, 'many.csv'), ['area,numerator,denominator', ...rows].join('\n'));
        writeFileSync(path.join(dir, 'many-out.csv'), 'an older result\n');
        const toFile = await cli('stats', 'proportion', '--input', 'many.csv', '--out', 'many-out.csv');
        expect(toFile.code, toFile.stderr).toBe(0);
        const written = readFileSync(path.join(dir, 'many-out.csv'), 'utf8');
        const toStdout = await cli('stats', 'proportion', '--input', 'many.csv');
        expect(toStdout.stdout).toBe(written);
        const lines = written.trimEnd().split('\n');
        expect(lines).toHaveLength(6001);
        expect(lines[6000]).toMatch(/^area5999,82,106,77\.35849057,/);
        expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
        const json = await cli('stats', 'proportion', '--input', 'many.csv', '--format', 'json');
        const parsed = JSON.parse(json.stdout) as Record<string, unknown>[];
        expect(parsed).toHaveLength(6000);
        expect(parsed[5999]).toMatchObject({ area: 'area5999', numerator: 82, denominator: 106, reason: '' });
      });

      it('proportions and rates: the per-row fast path writes the same text as the general way, row for row', async () => {
        const groups = ['a', '" b "', '"c, d"', '"e ""f"""', ''];
        const pairs = ['5,10', '0,7', '10,10', ' 12 ,40', '"1,200","3,000"', ',10', '5,', 'x,10', '2.5,10', '11,10', '0,0', '-1,10', '9,12.5', '300,100000', '10,0.5', '5,-3', '1e2,1e3', '7,Infinity'];
        const lines = pairs.flatMap((pair, i) => [`${groups[i % groups.length]},${i},${pair}`, `z,${i},${(i * 37) % 300},${1000 + i}`]);
        for (const [method, header] of [['proportion', 'area,k,numerator,denominator'], ['rate', 'area,k,count,denominator']] as const) {
          writeFileSync(path.join(dir, `fast-${method}.csv`), [header, ...lines].join('\n'));
          for (const extra of [{}, { confidence: [0.998, 0.95, 0.8] }, { multiplier: 1 }]) {
            const texts: string[] = [];
            for (const fastRows of [true, false]) {
              const out: string[] = [];
              const io: CliIo = { stdout: { write: (t) => void out.push(t) }, stderr: { write: () => undefined }, env: {}, cwd: dir };
              await statsCommand({ method, input: `fast-${method}.csv`, confidence: [0.95, 0.998], format: 'csv', fastRows, ...extra }, io).catch(() => undefined);
              texts.push(out.join(''));
            }
            expect(texts[0]!.split('\n').length).toBe(lines.length + 2);
            expect(texts[0]).toBe(texts[1]);
          }
        }
      });

      it('a group whose rows are apart in the file is read again and grouped in memory: the same result as the file in order', async () => {
        const bands = ['0-4', '5-9', '10-14', '15-19', '20-24', '25-29', '30-34', '35-39', '40-44', '45-49', '50-54', '55-59', '60-64', '65-69', '70-74', '75-79', '80-84', '85-89', '90+'];
        const rowsOf = (area: string, k: number) => bands.map((b, i) => `${area},${b},${(i * k) % 17},${1000 + i * k}`);
        const [a, b] = [rowsOf('a', 3), rowsOf('b', 5)];
        writeFileSync(path.join(dir, 'in-order.csv'), ['area,age_band,count,population', ...a, ...b].join('\n'));
        writeFileSync(path.join(dir, 'apart.csv'), ['area,age_band,count,population', ...a.slice(0, 10), ...b, ...a.slice(10)].join('\n'));
        const inOrder = await cli('stats', 'dsr', '--input', 'in-order.csv', '--out', 'in-order-out.csv');
        const apart = await cli('stats', 'dsr', '--input', 'apart.csv', '--out', 'apart-out.csv');
        expect([inOrder.code, apart.code]).toEqual([0, 0]);
        const result = readFileSync(path.join(dir, 'apart-out.csv'), 'utf8');
        expect(result).toBe(readFileSync(path.join(dir, 'in-order-out.csv'), 'utf8'));
        expect(result.trimEnd().split('\n').map((l) => l.split(',')[0])).toEqual(['area', 'a', 'b']);
        expect((await cli('stats', 'dsr', '--input', 'apart.csv')).stdout).toBe(result);
      });
    });
  });
});
