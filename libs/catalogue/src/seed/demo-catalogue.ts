// Type only, erased at build: the lifecycle owns the category names; the catalogue only picks defaults.
import type { OrderCategory } from '@snitflow/lifecycle';

export interface DemoProject {
  /** The matrix column this project stands for, e.g. `project_col_1`. */
  column: string;
  code: string;
  name: string;
  /** Always true: see {@link DEMO_PROJECTS}. */
  nameIsAssumed: true;
  /** The project's mailbox for notices; null shows a project that gets none. */
  contact: DemoContact | null;
}

export interface DemoContact {
  name: string;
  email: string;
  /** The language emails to this contact are written in. */
  language: 'da' | 'en';
}

export interface DemoSupplier {
  /** Exactly as in the CSV's source_supplier column, which is how rows find their supplier. */
  name: string;
  code: string;
  contacts: readonly DemoContact[];
}

export interface DemoDataElement {
  code: string;
  name: string;
}

export interface DemoCategoryRule {
  category: OrderCategory;
  /** Why these interfaces get this category, in one line. */
  reason: string;
  keys: readonly string[];
}

/**
 * The four project columns of the deck's interface list, in column order.
 *
 * ASSUMED NAMES. The deck's table had four project columns whose headers were lost when the slide was
 * turned into text; only the marks survived, by position. The names below are plausible projects of
 * such a programme, picked from what the deck itself mentions: KY and KSD (the categorisation slide's
 * KMD Boligstøtte example), Barselsdagpenge (the status slide's cooperation) and the finance and support
 * systems (the classification lists KLE, FORM and the IM chart of accounts are marked only in column 4).
 * Every entry says so with `nameIsAssumed: true`, and whatever shows them must say so too. Their
 * contacts are fictional mailboxes on the reserved `.example` domain, like the suppliers'.
 */
export const DEMO_PROJECTS: readonly DemoProject[] = [
  {
    column: 'project_col_1',
    code: 'KY',
    name: 'Kommunernes Ydelsessystem (KY)',
    nameIsAssumed: true,
    contact: { name: 'KY projektledelse', email: 'ky-projekt@projekter.example', language: 'da' },
  },
  {
    column: 'project_col_2',
    code: 'KSD',
    name: 'Kommunernes Sygedagpengesystem (KSD)',
    nameIsAssumed: true,
    contact: { name: 'KSD project office', email: 'ksd-projekt@projekter.example', language: 'en' },
  },
  {
    column: 'project_col_3',
    code: 'BARSEL',
    name: 'Barselsdagpenge',
    nameIsAssumed: true,
    contact: { name: 'Barsel projektledelse', email: 'barsel-projekt@projekter.example', language: 'da' },
  },
  // No mailbox: shows that a project without one gets no notices and misses nothing over GraphQL.
  {
    column: 'project_col_4',
    code: 'OKO',
    name: 'Økonomi og støttesystemer',
    nameIsAssumed: true,
    contact: null,
  },
];

/**
 * One entry per distinct source_supplier of the seed CSV, in order of first appearance.
 *
 * The contacts are FICTIONAL people, with addresses on the reserved `.example` domain (RFC 2606), so a
 * misconfigured demo can never mail a real supplier. SKAT has two contacts (to show choosing
 * recipients); CSC Scandihealth's contact reads English (to show English emails).
 *
 * "Sygehuse" deliberately has NO contact: it demonstrates the guard that refuses to send an order to a
 * supplier with nobody to receive it (SF0810).
 */
export const DEMO_SUPPLIERS: readonly DemoSupplier[] = [
  {
    name: 'SKAT',
    code: 'SKAT',
    contacts: [
      { name: 'Mette Lindholm', email: 'snitflader@skat.example', language: 'da' },
      { name: 'Jens Holm Kragh', email: 'jens.kragh@skat.example', language: 'da' },
    ],
  },
  {
    name: 'ASK',
    code: 'ASK',
    contacts: [{ name: 'Lone Bergholt', email: 'integration@ask.example', language: 'da' }],
  },
  {
    name: 'ATP',
    code: 'ATP',
    contacts: [{ name: 'Søren Lunding', email: 'feriekonto@atp.example', language: 'da' }],
  },
  { name: 'Sygehuse', code: 'SYGEHUSE', contacts: [] },
  {
    name: 'CSC Scandihealth',
    code: 'CSC',
    contacts: [{ name: 'Emma Clarke', email: 'interfaces@csc-scandihealth.example', language: 'en' }],
  },
  {
    name: 'KL',
    code: 'KL',
    contacts: [{ name: 'Anne Kirkegaard', email: 'kle@kl.example', language: 'da' }],
  },
  {
    name: 'Staten',
    code: 'STATEN',
    contacts: [{ name: 'Peter Dalsgaard', email: 'kontoplan@staten.example', language: 'da' }],
  },
  {
    name: 'CPR',
    code: 'CPR',
    contacts: [{ name: 'Hanne Friis', email: 'snitflader@cpr.example', language: 'da' }],
  },
  {
    name: 'LIFA',
    code: 'LIFA',
    contacts: [{ name: 'Ole Bak Nielsen', email: 'bbr@lifa.example', language: 'da' }],
  },
  {
    name: 'RA-STS',
    code: 'RA_STS',
    contacts: [{ name: 'Rikke Vang', email: 'serviceplatform@ra-sts.example', language: 'da' }],
  },
];

/**
 * The data elements each interface offers, per interface key.
 *
 * ILLUSTRATIVE: the deck lists no data elements. These are plausible for each source so that the
 * quality review can be shown: SF1320 (CPR hændelser) offers no income, so a request for
 * `CPR.INDKOMST` is flagged, like the deck's Barselsdagpenge asking CPR for data CPR does not hold.
 * A code's first segment names the register the data comes from (BBR data via LIFA is `BBR.…`).
 */
export const DEMO_DATA_ELEMENTS: Readonly<Record<string, readonly DemoDataElement[]>> = {
  SF0462: [
    { code: 'SKAT.INDKOMSTHAENDELSE', name: 'Indkomsthændelse' },
    { code: 'SKAT.PERSONNUMMER', name: 'Indkomstmodtagers CPR-nummer' },
    { code: 'SKAT.AINDKOMST', name: 'A-indkomst' },
    { code: 'SKAT.INDKOMSTPERIODE', name: 'Indkomstperiode' },
    { code: 'SKAT.INDBERETTER_CVR', name: 'Indberetters CVR-nummer' },
  ],
  SF0740: [
    { code: 'ASK.SAGSNUMMER', name: 'Sagsnummer' },
    { code: 'ASK.SAGSHAENDELSE', name: 'Sagshændelse' },
    { code: 'ASK.PERSONNUMMER', name: 'Skadelidtes CPR-nummer' },
  ],
  SF0741: [
    { code: 'ASK.SAGSNUMMER', name: 'Sagsnummer' },
    { code: 'ASK.SAGSHAENDELSE', name: 'Sagshændelse' },
    { code: 'ASK.AFGOERELSE', name: 'Afgørelse' },
    { code: 'ASK.AFGOERELSESDATO', name: 'Afgørelsesdato' },
  ],
  SF0770: [
    { code: 'SKAT.AINDKOMST', name: 'A-indkomst' },
    { code: 'SKAT.BINDKOMST', name: 'B-indkomst' },
    { code: 'SKAT.AM_BIDRAG', name: 'AM-bidrag' },
    { code: 'SKAT.A_SKAT', name: 'Indeholdt A-skat' },
    { code: 'SKAT.ARBEJDSGIVER_CVR', name: 'Arbejdsgivers CVR-nummer' },
  ],
  SF0780: [
    { code: 'SKAT.INDKOMSTAAR', name: 'Indkomstår' },
    { code: 'SKAT.PERSONLIG_INDKOMST', name: 'Personlig indkomst' },
    { code: 'SKAT.SKATTEPLIGTIG_INDKOMST', name: 'Skattepligtig indkomst' },
    { code: 'SKAT.RESTSKAT', name: 'Restskat' },
  ],
  SF0790: [
    { code: 'SKAT.INDKOMSTAAR', name: 'Indkomstår' },
    { code: 'SKAT.FORVENTET_INDKOMST', name: 'Forventet indkomst' },
    { code: 'SKAT.FRADRAG', name: 'Fradrag' },
  ],
  SF0800: [
    { code: 'ATP.FERIEKONTO_SALDO', name: 'Saldo på Feriekonto' },
    { code: 'ATP.FERIEAAR', name: 'Ferieår' },
    { code: 'ATP.OPTJENTE_FERIEDAGE', name: 'Optjente feriedage' },
    { code: 'ATP.UDBETALTE_FERIEPENGE', name: 'Udbetalte feriepenge' },
  ],
  SF0802: [
    { code: 'ATP.FERIEKONTO_SALDO', name: 'Saldo på Feriekonto' },
    { code: 'ATP.FERIEAAR', name: 'Ferieår' },
    { code: 'ATP.OPGOERELSESDATO', name: 'Opgørelsesdato' },
  ],
  SF0810: [
    { code: 'SYGEHUS.PERSONNUMMER', name: 'Patientens CPR-nummer' },
    { code: 'SYGEHUS.INDLAEGGELSESDATO', name: 'Indlæggelsesdato' },
    { code: 'SYGEHUS.UDSKRIVNINGSDATO', name: 'Udskrivningsdato' },
    { code: 'SYGEHUS.AFDELING', name: 'Sygehusafdeling' },
  ],
  SF0830: [
    { code: 'SSR.PERSONNUMMER', name: 'Borgerens CPR-nummer' },
    { code: 'SSR.YDERNUMMER', name: 'Ydernummer' },
    { code: 'SSR.YDELSESKODE', name: 'Ydelseskode' },
    { code: 'SSR.YDELSESDATO', name: 'Ydelsesdato' },
  ],
  SF1180: [
    { code: 'SKAT.INDKOMSTAAR', name: 'Indkomstår' },
    { code: 'SKAT.OVERSKYDENDE_SKAT', name: 'Overskydende skat' },
    { code: 'SKAT.UDBETALINGSDATO', name: 'Udbetalingsdato' },
  ],
  SF1280: [
    { code: 'KLE.EMNENUMMER', name: 'KLE-emnenummer' },
    { code: 'KLE.TITEL', name: 'Emnetitel' },
    { code: 'KLE.HANDLINGSFACET', name: 'Handlingsfacet' },
  ],
  SF1290: [
    { code: 'FORM.OPGAVENUMMER', name: 'FORM-opgavenummer' },
    { code: 'FORM.OPGAVETITEL', name: 'Opgavetitel' },
  ],
  SF1300: [
    { code: 'IM.KONTONUMMER', name: 'Kontonummer' },
    { code: 'IM.KONTOTEKST', name: 'Kontotekst' },
    { code: 'IM.DRANST', name: 'Dranst (drift, anlæg, status)' },
  ],
  SF1320: [
    { code: 'CPR.PERSONNUMMER', name: 'Personnummer' },
    { code: 'CPR.NAVN', name: 'Navn' },
    { code: 'CPR.ADRESSE', name: 'Adresse' },
    { code: 'CPR.CIVILSTAND', name: 'Civilstand' },
    { code: 'CPR.DOEDSFALD', name: 'Dødsfald' },
  ],
  SF1390: [
    { code: 'BBR.BFE_NUMMER', name: 'BFE-nummer (bestemt fast ejendom)' },
    { code: 'BBR.ADRESSE', name: 'Adresse' },
    { code: 'BBR.BOLIGAREAL', name: 'Boligareal' },
    { code: 'BBR.ANTAL_VAERELSER', name: 'Antal værelser' },
  ],
  SF1460: [
    { code: 'STS.BESKED_ID', name: 'Besked-id' },
    { code: 'STS.BESKEDTYPE', name: 'Beskedtype' },
    { code: 'STS.OBJEKTREFERENCE', name: 'Objektreference' },
    { code: 'STS.TIDSSTEMPEL', name: 'Tidsstempel' },
  ],
  SF1490: [
    { code: 'STS.PERSONNUMMER', name: 'Modtagerens CPR-nummer' },
    { code: 'STS.YDELSESTYPE', name: 'Ydelsestype' },
    { code: 'STS.YDELSESPERIODE', name: 'Ydelsesperiode' },
    { code: 'STS.MYNDIGHED', name: 'Udbetalende myndighed' },
  ],
};

/**
 * The rules behind each interface's default order category: the category a consolidated order gets
 * unless a coordinator picks another. Each rule's `reason` is its one-line justification.
 *
 * ILLUSTRATIVE: the deck defines the three categories with examples outside this list (KMD Boligstøtte;
 * finance and job centre; school milk and business intelligence) but categorises none of these 18.
 * Each key appears in exactly one rule.
 */
export const DEFAULT_CATEGORY_RULES: readonly DemoCategoryRule[] = [
  {
    category: 'COMMON_NEED',
    reason: 'National tax or holiday-pay register, read by several projects with different system suppliers',
    keys: ['SF0462', 'SF0770', 'SF0780', 'SF0790', 'SF1180', 'SF0800', 'SF0802'],
  },
  {
    category: 'COMMON_NEED',
    reason: 'National case or person events every municipality must receive, in several suppliers’ systems',
    keys: ['SF0740', 'SF0741', 'SF1320'],
  },
  {
    category: 'COMMON_NEED',
    reason: 'Common service-platform infrastructure that every system supplier integrates with',
    keys: ['SF1460', 'SF1490'],
  },
  {
    category: 'NINETY_EIGHT_POTENTIAL',
    reason: 'KL/Staten classification list, identical for all 98 municipalities and read by one system',
    keys: ['SF1280', 'SF1290', 'SF1300'],
  },
  {
    category: 'NINETY_EIGHT_POTENTIAL',
    reason: 'One national register with one supplier, read by one project in all 98 municipalities',
    keys: ['SF1390'],
  },
  {
    category: 'MUNICIPALITY_SPECIFIC',
    reason: 'Regional hospital data: each municipality that needs it arranges it with its own region',
    keys: ['SF0810', 'SF0830'],
  },
];

/** The default order category per interface key, from {@link DEFAULT_CATEGORY_RULES}. Illustrative. */
export const DEFAULT_CATEGORY_BY_INTERFACE: Readonly<Record<string, OrderCategory>> = Object.freeze(
  Object.fromEntries(DEFAULT_CATEGORY_RULES.flatMap((rule) => rule.keys.map((key) => [key, rule.category]))),
);
