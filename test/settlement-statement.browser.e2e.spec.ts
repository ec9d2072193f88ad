/// <reference lib="dom" />
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { ApiHarness } from './support/api-harness.js';

// The municipality's settlement statement (issue 10) in a real browser, as a finance office reads it.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUTPUT = resolve(dirname(fileURLToPath(import.meta.url)), '../test-output');

let api: ApiHarness;
let coordinator: string;
let browser: Browser;

async function load(mutation: string, args: string, variables: Record<string, unknown>) {
  const data = await api.ok<Record<string, { applied: boolean; errors: unknown[] }>>(
    coordinator,
    `mutation(${args}) { ${mutation} { applied errors { line field reason } } }`,
    variables,
  );
  expect(Object.values(data)[0]).toEqual({ applied: true, errors: [] });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium is needed at ${CHROMIUM} (apt-get install -y chromium)`);
  mkdirSync(OUTPUT, { recursive: true });
  api = await ApiHarness.start();
  coordinator = await api.coordinator();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  // A year of two data areas for three municipalities, closed, then realised costs: Q1 2041 has a true-up.
  await load('importDataAreas(csv: $csv)', '$csv: String!', {
    csv: 'code,name,interface_keys\nINCOME,Indkomstdata,SF0462 SF0770 SF0780 SF0790 SF1180\nCPR,CPR-data,SF1320\n',
  });
  const population =
    'code,name,inhabitants\n101,København,660000\n147,Frederiksberg,105000\n851,Aalborg,222000\n';
  for (const year of [2040, 2041])
    await load('importMunicipalities(year: $y, csv: $csv)', '$y: Int!, $csv: String!', {
      y: year,
      csv: population,
    });
  for (const year of [2040, 2041])
    await load('importCostEstimates(year: $y, csv: $csv)', '$y: Int!, $csv: String!', {
      y: year,
      csv: 'data_area,fixed_oere,variable_oere,expected_lookups\nINCOME,1234567891,80000000,400000\nCPR,98000000,20000000,100000\n',
    });
  for (const quarter of [1, 2, 3, 4]) {
    await load('importLookups(year: $y, quarter: $q, csv: $csv)', '$y: Int!, $q: Int!, $csv: String!', {
      y: 2040,
      q: quarter,
      csv: `municipality,data_area,lookups\n101,INCOME,${40000 + quarter}\n147,INCOME,9000\n851,INCOME,${quarter === 2 ? 0 : 15000}\n101,CPR,100\n`,
    });
    await api.ok(coordinator, 'mutation($q: Int!) { closeQuarter(year: 2040, quarter: $q) { closed } }', {
      q: quarter,
    });
  }
  await load('importRealisedCosts(year: $y, csv: $csv)', '$y: Int!, $csv: String!', {
    y: 2040,
    csv: 'data_area,fixed_oere,variable_oere\nINCOME,1300000000,70000000\nCPR,90000000,25000000\n',
  });
  await load('importLookups(year: $y, quarter: $q, csv: $csv)', '$y: Int!, $q: Int!, $csv: String!', {
    y: 2041,
    q: 1,
    csv: 'municipality,data_area,lookups\n101,INCOME,42000\n147,INCOME,8000\n',
  });
  await api.ok(coordinator, 'mutation { closeQuarter(year: 2041, quarter: 1) { closed } }');
});

afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

describe('the settlement statement in a real browser', () => {
  it('shows what Aalborg pays per data area, why, and the true-up, in Danish and English, under its CSP', async () => {
    const settlement = await api.ok<{
      settlement: {
        lines: { municipalityCode: string; dataAreaCode: string; totalOere: string; trueUpOere: string }[];
      };
    }>(
      coordinator,
      '{ settlement(year: 2041, quarter: 1) { lines { municipalityCode dataAreaCode totalOere trueUpOere } } }',
    );
    const aalborg = settlement.settlement.lines.filter((l) => l.municipalityCode === '851');
    const income = aalborg.find((l) => l.dataAreaCode === 'INCOME');
    expect(BigInt(income?.trueUpOere ?? '0')).not.toBe(0n);
    const total = aalborg.reduce((sum, l) => sum + BigInt(l.totalOere), 0n);

    const context = await browser.newContext({
      extraHTTPHeaders: { authorization: `Bearer ${coordinator}` },
    });
    const page = await context.newPage();
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (event) => seen.push(event.violatedDirective));
    });
    const expected = {
      da: {
        heading: 'Aalborg Kommune (851): afregning for 1. kvartal 2041',
        total: `${formatDa(total)} kr.`,
        why: /222\.000 af i alt 987\.000 indbyggere/,
        lookups: /har ikke foretaget opslag i kvartalet/,
        trueUp: /Ud fra de realiserede omkostninger for 2040/,
      },
      en: {
        heading: 'Aalborg Municipality (851): settlement for Q1 2041',
        total: `DKK ${formatEn(total)}`,
        why: /222,000 of 987,000 inhabitants/,
        lookups: /made no lookups in the quarter/,
        trueUp: /From the realised costs of 2040/,
      },
    } as const;
    for (const language of ['da', 'en'] as const) {
      const response = await page.goto(`${api.url}/admin/settlement/2041/1/851?lang=${language}`);
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-security-policy']).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+';/);
      expect(await page.getAttribute('html', 'lang')).toBe(language);
      expect(await page.textContent('h1')).toBe(expected[language].heading);
      const body = (await page.textContent('body')) ?? '';
      expect(body).toContain(expected[language].total);
      expect(body).toMatch(expected[language].why);
      expect(body).toMatch(expected[language].lookups);
      expect(body).toMatch(expected[language].trueUp);
      // One row per data area and a total row: the table a finance office checks.
      expect(await page.locator('tbody tr').count()).toBe(2);
      expect(await page.textContent('tfoot')).toContain(expected[language].total);
      expect(
        await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations),
      ).toEqual([]);
      await page.screenshot({
        path: resolve(OUTPUT, `settlement-statement-${language}.png`),
        fullPage: true,
      });
    }
    // Printable: the language switch is hidden on paper.
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('nav.lang')).toBe(false);
    await page.screenshot({ path: resolve(OUTPUT, 'settlement-statement-print.png'), fullPage: true });
    await context.close();
  });

  it('says why when it cannot show a statement: no token 401, a project 403, no such municipality 404, a bad quarter 400', async () => {
    const project = await api.projectUser('KY');
    const cases: [string | null, string, number][] = [
      [null, '/admin/settlement/2041/1/851', 401],
      [project, '/admin/settlement/2041/1/851', 403],
      [coordinator, '/admin/settlement/2041/1/999', 404],
      [coordinator, '/admin/settlement/2041/5/851', 400],
    ];
    for (const [token, path, status] of cases) {
      const response = await fetch(`${api.url}${path}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
      expect(await response.text()).toMatch(/<h1>/);
    }
  });
});

function formatDa(oere: bigint): string {
  const negative = oere < 0n;
  const text = (negative ? -oere : oere).toString().padStart(3, '0');
  const kroner = text.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${negative ? '-' : ''}${kroner},${text.slice(-2)}`;
}

function formatEn(oere: bigint): string {
  const negative = oere < 0n;
  const text = (negative ? -oere : oere).toString().padStart(3, '0');
  const kroner = text.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${kroner}.${text.slice(-2)}`;
}
