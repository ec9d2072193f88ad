import {
  CatalogueInputError,
  consolidateRequests,
  DEMO_DATA_ELEMENTS,
  isIsoDate,
  type RequestForConsolidation,
  unofferedDataElements,
} from '@snitflow/catalogue';
import { caught } from '../test/caught.js';

const request = (overrides: Partial<RequestForConsolidation> & { id: string }): RequestForConsolidation => ({
  projectId: 'KY',
  dataElements: ['CPR.NAVN'],
  needBy: '2026-06-01',
  firmness: 'FIRM',
  ...overrides,
});

describe('consolidateRequests', () => {
  it('takes the union of elements, the earliest date, every project and every request', () => {
    const spec = consolidateRequests([
      request({ id: 'r3', projectId: 'KY', dataElements: ['CPR.NAVN', 'CPR.ADRESSE'], needBy: '2026-09-01' }),
      request({
        id: 'r1',
        projectId: 'KSD',
        dataElements: ['CPR.CIVILSTAND', 'CPR.NAVN'],
        needBy: '2026-03-15',
      }),
      request({
        id: 'r2',
        projectId: 'BARSEL',
        dataElements: ['CPR.ADRESSE', 'CPR.ADRESSE'],
        needBy: '2027-01-01',
        firmness: 'TENTATIVE',
      }),
      request({ id: 'r10', projectId: 'KY', dataElements: ['CPR.DOEDSFALD'], needBy: '2026-03-16' }),
    ]);
    expect(spec).toEqual({
      dataElements: ['CPR.ADRESSE', 'CPR.CIVILSTAND', 'CPR.DOEDSFALD', 'CPR.NAVN'],
      needBy: '2026-03-15',
      projectIds: ['BARSEL', 'KSD', 'KY'],
      requestIds: ['r1', 'r10', 'r2', 'r3'], // code-unit order, the same on every machine
    });
  });

  it('compares dates as dates across months and years', () => {
    const spec = consolidateRequests([
      request({ id: 'a', needBy: '2026-10-01' }),
      request({ id: 'b', needBy: '2026-09-30' }),
      request({ id: 'c', needBy: '2027-01-01' }),
    ]);
    expect(spec.needBy).toBe('2026-09-30');
  });

  it('of one request is that request', () => {
    expect(consolidateRequests([request({ id: 'only', dataElements: ['SKAT.AINDKOMST'] })])).toEqual({
      dataElements: ['SKAT.AINDKOMST'],
      needBy: '2026-06-01',
      projectIds: ['KY'],
      requestIds: ['only'],
    });
  });

  it('does not change its input', () => {
    const input = [request({ id: 'b', dataElements: ['CPR.NAVN', 'CPR.ADRESSE'] }), request({ id: 'a' })];
    const copy = structuredClone(input);
    consolidateRequests(input);
    expect(input).toEqual(copy);
  });

  it('refuses an empty list', () => {
    const error = caught(() => consolidateRequests([]));
    expect(error).toBeInstanceOf(CatalogueInputError);
    expect(error.field).toBe('requests');
    expect(error.message).toMatch(/empty list/);
  });

  it('refuses malformed requests, listing every problem', () => {
    const error = caught(() =>
      consolidateRequests([
        request({ id: 'r1', dataElements: ['cpr.navn', 'CPR.NAVN'] }),
        request({ id: 'r2', needBy: '2026-02-30' }),
        request({ id: 'r1', projectId: ' ', dataElements: [] }),
        request({ id: 'r4', needBy: '1.6.2026', firmness: 'MAYBE' as 'FIRM' }),
      ]),
    );
    expect(error.problems.map((p) => p.field)).toEqual([
      'requests[0].dataElements',
      'requests[1].needBy',
      'requests[2].projectId',
      'requests[2].dataElements',
      'requests[3].needBy',
      'requests[3].firmness',
      'requests[2].id',
    ]);
    expect(error.message).toMatch(/^Requests for consolidation has 7 problems:\n/);
    expect(error.message).toContain('requests[2]: request id "r1" is also requests[0]');
  });
});

describe('isIsoDate', () => {
  it.each([
    ['2026-06-01', true],
    ['2024-02-29', true],
    ['2025-02-29', false],
    ['2026-02-30', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-6-1', false],
    ['2026-06-01T00:00:00Z', false],
    ['', false],
  ])('%j: %s', (value, valid) => {
    expect(isIsoDate(value)).toBe(valid);
  });
});

describe('unofferedDataElements', () => {
  it("flags what the source does not hold: the deck's Barselsdagpenge asking CPR for income", () => {
    const offered = (DEMO_DATA_ELEMENTS.SF1320 ?? []).map((element) => element.code);
    expect(unofferedDataElements(['CPR.NAVN', 'CPR.INDKOMST', 'CPR.ADRESSE'], offered)).toEqual([
      'CPR.INDKOMST',
    ]);
  });

  it('keeps the requested order and names each element once', () => {
    expect(unofferedDataElements(['B.Y', 'A.X', 'C.Z', 'B.Y', 'A.X'], ['C.Z'])).toEqual(['B.Y', 'A.X']);
  });

  it('is empty when everything is offered, and everything when nothing is', () => {
    expect(unofferedDataElements(['A.X', 'B.Y'], ['B.Y', 'A.X', 'C.Z'])).toEqual([]);
    expect(unofferedDataElements(['A.X', 'B.Y'], [])).toEqual(['A.X', 'B.Y']);
    expect(unofferedDataElements([], ['A.X'])).toEqual([]);
  });

  it('compares codes exactly, without folding case', () => {
    expect(unofferedDataElements(['cpr.navn'], ['CPR.NAVN'])).toEqual(['cpr.navn']);
  });
});
