import { readFileSync } from 'node:fs';
import { type InterfaceMatrix, parseInterfaceMatrixCsv } from '../interface-matrix.js';

type Category = 'NINETY_EIGHT_POTENTIAL' | 'COMMON_NEED' | 'MUNICIPALITY_SPECIFIC';

/**
 * The four project columns of the deck's interface list. The deck lost its
 * column headers when the slide became text, so these names are ASSUMPTIONS:
 * plausible projects of such a programme, chosen from what the deck mentions
 * (KY and KSD in the categorisation slide, Barselsdagpenge in the status).
 * Every project row says so (nameIsAssumed).
 */
export const DEMO_PROJECTS = [
  { column: 'project_col_1', code: 'KY', name: 'Kommunernes Ydelsessystem (KY)', nameIsAssumed: true },
  { column: 'project_col_2', code: 'KSD', name: 'Kommunernes Sygedagpengesystem (KSD)', nameIsAssumed: true },
  { column: 'project_col_3', code: 'BARSEL', name: 'Barselsdagpenge', nameIsAssumed: true },
  { column: 'project_col_4', code: 'OKO', name: 'Økonomi og støttesystemer', nameIsAssumed: true },
] as const;

export interface DemoContact {
  name: string;
  email: string;
  language: 'da' | 'en';
}

/**
 * One entry per source supplier in the CSV, with fictional contacts on the
 * reserved .example domain. "Sygehuse" has NO contact on purpose: it shows
 * the guard that refuses to send an order nobody can receive.
 */
export const DEMO_SUPPLIERS: { name: string; code: string; contacts: DemoContact[] }[] = [
  {
    name: 'SKAT',
    code: 'SKAT',
    contacts: [
      { name: 'Mette Skov', email: 'snitflader@skat.example', language: 'da' },
      { name: 'Jens Holm', email: 'jens.holm@skat.example', language: 'da' },
    ],
  },
  {
    name: 'ASK',
    code: 'ASK',
    contacts: [{ name: 'Lone Berg', email: 'integration@ask.example', language: 'da' }],
  },
  {
    name: 'ATP',
    code: 'ATP',
    contacts: [{ name: 'Søren Lund', email: 'feriekonto@atp.example', language: 'da' }],
  },
  { name: 'Sygehuse', code: 'SYGEHUSE', contacts: [] },
  {
    name: 'CSC Scandihealth',
    code: 'CSC',
    contacts: [{ name: 'Emma Clarke', email: 'interfaces@csc-scandihealth.example', language: 'en' }],
  },
  { name: 'KL', code: 'KL', contacts: [{ name: 'Anne Kirk', email: 'kle@kl.example', language: 'da' }] },
  {
    name: 'Staten',
    code: 'STATEN',
    contacts: [{ name: 'Peter Dahl', email: 'form@staten.example', language: 'da' }],
  },
  {
    name: 'CPR',
    code: 'CPR',
    contacts: [{ name: 'Hanne Friis', email: 'cpr-snitflader@cpr.example', language: 'da' }],
  },
  { name: 'LIFA', code: 'LIFA', contacts: [{ name: 'Ole Bak', email: 'bbr@lifa.example', language: 'da' }] },
  {
    name: 'RA-STS',
    code: 'RA_STS',
    contacts: [{ name: 'Rikke Vang', email: 'sts@ra-sts.example', language: 'da' }],
  },
];

/**
 * The data elements each interface offers. ILLUSTRATIVE: the deck lists no
 * elements; these are plausible for each source so the quality review
 * (requested elements the source does not hold) can be shown.
 */
export const DEMO_DATA_ELEMENTS: Record<string, { code: string; name: string }[]> = {
  SF0462: [
    { code: 'SKAT.INDKOMST_HAENDELSE', name: 'Indkomsthændelse' },
    { code: 'SKAT.A_INDKOMST', name: 'A-indkomst' },
    { code: 'SKAT.INDKOMSTPERIODE', name: 'Indkomstperiode' },
  ],
  SF0740: [
    { code: 'ASK.SAGSHAENDELSE', name: 'Sagshændelse' },
    { code: 'ASK.SAGSNUMMER', name: 'Sagsnummer' },
  ],
  SF0741: [
    { code: 'ASK.SAGSHAENDELSE', name: 'Sagshændelse' },
    { code: 'ASK.SAGSSTATUS', name: 'Sagsstatus' },
  ],
  SF0770: [
    { code: 'SKAT.A_INDKOMST', name: 'A-indkomst' },
    { code: 'SKAT.B_INDKOMST', name: 'B-indkomst' },
    { code: 'SKAT.AM_BIDRAG', name: 'AM-bidrag' },
    { code: 'SKAT.ARBEJDSGIVER_CVR', name: 'Arbejdsgivers CVR-nummer' },
  ],
  SF0780: [
    { code: 'SKAT.SKATTEPLIGTIG_INDKOMST', name: 'Skattepligtig indkomst' },
    { code: 'SKAT.RESTSKAT', name: 'Restskat' },
  ],
  SF0790: [
    { code: 'SKAT.FORVENTET_INDKOMST', name: 'Forventet indkomst' },
    { code: 'SKAT.FRADRAG', name: 'Fradrag' },
  ],
  SF0800: [
    { code: 'ATP.FERIEKONTO_SALDO', name: 'Feriekontosaldo' },
    { code: 'ATP.FERIEDAGE', name: 'Optjente feriedage' },
    { code: 'ATP.UDBETALINGER', name: 'Udbetalinger' },
  ],
  SF0802: [
    { code: 'ATP.FERIEKONTO_SALDO', name: 'Feriekontosaldo' },
    { code: 'ATP.FERIEDAGE', name: 'Optjente feriedage' },
  ],
  SF0810: [
    { code: 'SYGEHUS.INDLAEGGELSE', name: 'Indlæggelse' },
    { code: 'SYGEHUS.UDSKRIVNING', name: 'Udskrivning' },
  ],
  SF0830: [
    { code: 'SSR.YDELSE', name: 'Sygesikringsydelse' },
    { code: 'SSR.YDER', name: 'Yder' },
  ],
  SF1180: [
    { code: 'SKAT.OVERSKYDENDE_SKAT', name: 'Overskydende skat' },
    { code: 'SKAT.UDBETALINGSDATO', name: 'Udbetalingsdato' },
  ],
  SF1280: [
    { code: 'KLE.EMNENUMMER', name: 'KLE-emnenummer' },
    { code: 'KLE.HANDLINGSFACET', name: 'Handlingsfacet' },
  ],
  SF1290: [
    { code: 'FORM.OPGAVE', name: 'FORM-opgave' },
    { code: 'FORM.OPGAVEGRUPPE', name: 'Opgavegruppe' },
  ],
  SF1300: [
    { code: 'IM.KONTO', name: 'Konto' },
    { code: 'IM.KONTOPLAN_VERSION', name: 'Kontoplanversion' },
  ],
  SF1320: [
    { code: 'CPR.PERSONNUMMER', name: 'Personnummer' },
    { code: 'CPR.NAVN', name: 'Navn' },
    { code: 'CPR.ADRESSE', name: 'Adresse' },
    { code: 'CPR.CIVILSTAND', name: 'Civilstand' },
    { code: 'CPR.DOEDSFALD', name: 'Dødsfald' },
  ],
  SF1390: [
    { code: 'BBR.BYGNING', name: 'Bygning' },
    { code: 'BBR.ENHED', name: 'Enhed' },
    { code: 'BBR.AREAL', name: 'Areal' },
  ],
  SF1460: [
    { code: 'STS.BESKED', name: 'Hændelsesbesked' },
    { code: 'STS.ABONNEMENT', name: 'Abonnement' },
  ],
  SF1490: [
    { code: 'STS.YDELSE', name: 'Ydelse' },
    { code: 'STS.YDELSESPERIODE', name: 'Ydelsesperiode' },
  ],
};

/**
 * The category an order gets when consolidation names none. ILLUSTRATIVE,
 * from the deck's categorisation slide:
 * - national sources every municipality must use, with many system suppliers
 *   on the municipal side → COMMON_NEED (KOMBIT negotiates, municipalities pay);
 * - national classification lists all 98 use the same way, one supplier
 *   → NINETY_EIGHT_POTENTIAL (KOMBIT negotiates, buys and pays);
 * - regional hospital data some municipalities need → MUNICIPALITY_SPECIFIC.
 */
export const DEFAULT_CATEGORY_BY_INTERFACE: Record<string, Category> = {
  SF0462: 'COMMON_NEED',
  SF0740: 'COMMON_NEED',
  SF0741: 'COMMON_NEED',
  SF0770: 'COMMON_NEED',
  SF0780: 'COMMON_NEED',
  SF0790: 'COMMON_NEED',
  SF0800: 'COMMON_NEED',
  SF0802: 'COMMON_NEED',
  SF0810: 'MUNICIPALITY_SPECIFIC',
  SF0830: 'MUNICIPALITY_SPECIFIC',
  SF1180: 'COMMON_NEED',
  SF1280: 'NINETY_EIGHT_POTENTIAL',
  SF1290: 'NINETY_EIGHT_POTENTIAL',
  SF1300: 'NINETY_EIGHT_POTENTIAL',
  SF1320: 'COMMON_NEED',
  SF1390: 'COMMON_NEED',
  SF1460: 'NINETY_EIGHT_POTENTIAL',
  SF1490: 'NINETY_EIGHT_POTENTIAL',
};

/** The shipped copy of the deck's interface list (copied next to the built code by the build). */
export const SEED_INTERFACES_CSV_URL = new URL('./interfaces.csv', import.meta.url);

export function loadSeedInterfaceMatrix(): InterfaceMatrix {
  return parseInterfaceMatrixCsv(readFileSync(SEED_INTERFACES_CSV_URL, 'utf8'));
}
