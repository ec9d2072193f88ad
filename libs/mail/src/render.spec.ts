import {
  EMAIL_TEMPLATES,
  type EmailData,
  type EmailTemplate,
  type Language,
  MailInputError,
  type OrderSummary,
  PROJECT_NOTICE_KINDS,
  type ProjectNotice,
  type ProjectNoticeKind,
  renderEmail,
} from './index.js';

const order = (): OrderSummary => ({
  reference: 'B-00042',
  interfaceKey: 'SF0800',
  interfaceTitle: 'Feriekonto online opslag',
  dataElements: [
    { code: 'DE-CPR', name: 'CPR-nummer' },
    { code: 'DE-SALDO', name: 'Feriepengesaldo' },
  ],
  needBy: '2026-06-01',
  projects: ['Ydelsesprojektet', 'Sygedagpengeprojektet'],
  replyBy: '2026-03-13',
  supplierName: 'ATP',
});

const secondOrder = (): OrderSummary => ({
  ...order(),
  reference: 'B-00043',
  interfaceKey: 'SF0802',
  interfaceTitle: 'Feriekonto batch opslag',
});

const fullData = (): EmailData => ({
  order: order(),
  recipientName: 'Hanne Hansen',
  replyUrl: 'https://snitflow.example/reply/abcDEF123?x=1&y=2',
  // Read by SUPPLIER_ORDERS only: two orders sent together.
  batch: [
    { order: order(), replyUrl: 'https://snitflow.example/reply/abcDEF123?x=1&y=2' },
    { order: secondOrder(), replyUrl: 'https://snitflow.example/reply/second' },
  ],
  terms: {
    priceOere: '12500050',
    deliveryDate: '2026-05-01',
    conditions: 'Drift inkluderet\nSupport på hverdage',
  },
  answer: 'Ja, feltet leveres som ISO-dato.',
  question: 'Skal datoen være ISO?',
  reminderNumber: 2,
  supplierReply: { kind: 'PROPOSE', by: 'Jens Jensen', text: 'Vi kan levere i maj.' },
  overdueBusinessDays: 3,
  supplierEmail: {
    kind: 'AWAY',
    from: 'Jens Jensen (jj@atp.example)',
    text: 'På ferie.',
    awayUntil: '2026-04-06',
  },
  scopeObjection: {
    projectName: 'Kommunernes Ydelsessystem (KY)',
    by: 'Kim Projektleder',
    text: 'Vi skal bruge adressen\ntil årsopgørelsen.',
    elements: 'SKAT.A',
    stillAwaiting: 1,
  },
  projectNotice: {
    kind: 'TEST_PLANNED',
    projectName: 'Ydelsesprojektet',
    text: null,
    date: null,
    windowStart: '2026-09-01',
    windowEnd: '2026-09-15',
    takesPart: true,
  },
});

const DATES: Record<Language, { needBy: string; replyBy: string }> = {
  da: { needBy: '1. juni 2026', replyBy: 'fredag den 13. marts 2026' },
  en: { needBy: '1 June 2026', replyBy: 'Friday 13 March 2026' },
};

const cases = EMAIL_TEMPLATES.flatMap((t) => (['da', 'en'] as const).map((l) => [t, l] as const));

describe('renderEmail: every template in both languages', () => {
  it.each(cases)('%s (%s) carries the order, its dates, projects and the link', (template, language) => {
    const data = fullData();
    const email = renderEmail(template, language, data);
    expect(email.subject.startsWith('[SF0800 · B-00042] ')).toBe(true);
    expect(email.subject).toContain('Feriekonto online opslag');
    expect(email.html).toContain(`<html lang="${language}">`);
    expect(email.html.match(/<h1[\s>]/g)).toHaveLength(1);
    for (const part of [email.html, email.text]) {
      for (const e of order().dataElements) {
        expect(part).toContain(e.code);
        expect(part).toContain(e.name);
      }
      for (const p of order().projects) expect(part).toContain(p);
      expect(part).toContain(DATES[language].needBy);
      expect(part).toContain(DATES[language].replyBy);
      expect(part).toContain('B-00042');
      expect(part).toContain('ATP');
    }
    expect(email.text).toContain('https://snitflow.example/reply/abcDEF123?x=1&y=2');
    expect(email.html).toContain('href="https://snitflow.example/reply/abcDEF123?x=1&amp;y=2"');
    // The text part is plain text, not HTML.
    expect(email.text).not.toMatch(/<[a-z]|&amp;|&lt;/);
  });

  it.each(cases)('%s (%s) escapes <script> from every field in HTML', (template, language) => {
    const evil = '<script>alert("x")</script>';
    const data: EmailData = {
      order: {
        reference: `B-1${evil}`,
        interfaceKey: `SF0800${evil}`,
        interfaceTitle: `Titel${evil}`,
        dataElements: [{ code: `C${evil}`, name: `N${evil}` }],
        needBy: '2026-06-01',
        projects: [`P${evil}`],
        replyBy: '2026-03-13',
        supplierName: `S${evil}`,
      },
      recipientName: `R${evil}`,
      replyUrl: 'https://snitflow.example/reply/a"><script>alert(1)</script>',
      batch: [1, 2].map((n) => ({
        order: { ...order(), reference: `B-${n}${evil}`, projects: [`P${evil}`], supplierName: `S${evil}` },
        replyUrl: 'https://snitflow.example/reply/a"><script>alert(1)</script>',
      })),
      terms: { priceOere: '100', deliveryDate: null, conditions: `K${evil}` },
      answer: `A${evil}`,
      question: `Q${evil}`,
      reminderNumber: 1,
      supplierReply: { kind: 'ASK', by: `B${evil}`, text: `T${evil}` },
      supplierEmail: { kind: 'HELD', from: `F${evil}`, text: `T${evil}`, awayUntil: null },
      overdueBusinessDays: 1,
      scopeObjection: {
        projectName: `PN${evil}`,
        by: `B${evil}`,
        text: `O${evil}`,
        elements: `E${evil}`,
        stillAwaiting: 0,
      },
      projectNotice: {
        kind: 'REQUEST_CHANGES_REQUESTED',
        projectName: `PN${evil}`,
        text: `C${evil}`,
        date: null,
        windowStart: null,
        windowEnd: null,
        takesPart: null,
      },
    };
    const { html, text } = renderEmail(template, language, data);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    // The URL parser percent-encodes what could close the href attribute.
    expect(html).toContain('reply/a%22%3E%3Cscript%3E');
    // Plain text needs no escaping: the text survives as written.
    expect(text).toContain(evil);
  });
});

describe('renderEmail: several orders in one email', () => {
  it('lists every order with its own reply link, in both parts', () => {
    const email = renderEmail('SUPPLIER_ORDERS', 'en', fullData());
    expect(email.subject).toBe('[SF0800 · B-00042] Interface orders: Feriekonto online opslag and 1 more');
    for (const part of [email.text, email.html]) {
      expect(part).toContain('1. SF0800 Feriekonto online opslag (B-00042)');
      expect(part).toContain('2. SF0802 Feriekonto batch opslag (B-00043)');
      expect(part).toContain('https://snitflow.example/reply/second');
    }
    expect(email.text).toContain('Answer order B-00043:\nhttps://snitflow.example/reply/second');
  });

  it('refuses fewer than two orders', () => {
    const data = fullData();
    expect(() => renderEmail('SUPPLIER_ORDERS', 'da', { ...data, batch: data.batch?.slice(0, 1) })).toThrow(
      MailInputError,
    );
  });
});

describe('renderEmail: wording', () => {
  it('supplier order subjects match the programme convention', () => {
    expect(renderEmail('SUPPLIER_ORDER', 'da', fullData()).subject).toBe(
      '[SF0800 · B-00042] Bestilling af snitflade: Feriekonto online opslag',
    );
    expect(renderEmail('SUPPLIER_ORDER', 'en', fullData()).subject).toBe(
      '[SF0800 · B-00042] Interface order: Feriekonto online opslag',
    );
  });

  it('uses the Danish terms in Danish and English ones in English', () => {
    const da = renderEmail('SUPPLIER_ORDER', 'da', fullData()).text;
    for (const word of [
      'Svar senest',
      'Dataelementer',
      'Behov senest',
      'Rekvirerende projekter',
      'Kære Hanne Hansen',
    ]) {
      expect(da).toContain(word);
    }
    const en = renderEmail('SUPPLIER_ORDER', 'en', fullData()).text;
    for (const word of [
      'Reply by',
      'Data elements',
      'Needed by',
      'Requesting projects',
      'Dear Hanne Hansen',
    ]) {
      expect(en).toContain(word);
    }
  });

  it('reminders are called Påmindelse / Reminder and numbered from the second', () => {
    const first = { ...fullData(), reminderNumber: 1 };
    expect(renderEmail('SUPPLIER_REMINDER', 'da', first).subject).toBe(
      '[SF0800 · B-00042] Påmindelse: Bestilling af snitflade: Feriekonto online opslag',
    );
    expect(renderEmail('SUPPLIER_REMINDER', 'da', fullData()).subject).toBe(
      '[SF0800 · B-00042] 2. påmindelse: Bestilling af snitflade: Feriekonto online opslag',
    );
    expect(renderEmail('SUPPLIER_REMINDER', 'en', fullData()).subject).toBe(
      '[SF0800 · B-00042] Reminder 2: Interface order: Feriekonto online opslag',
    );
    expect(renderEmail('SUPPLIER_REMINDER', 'da', fullData()).text).toContain(
      'overskredet med 3 arbejdsdage',
    );
    expect(renderEmail('SUPPLIER_REMINDER', 'en', { ...fullData(), overdueBusinessDays: 1 }).text).toContain(
      'is 1 business day overdue',
    );
  });

  it('a counter-proposal shows the terms with exact money', () => {
    const da = renderEmail('SUPPLIER_COUNTER_PROPOSAL', 'da', fullData());
    expect(da.text).toContain('Pris: 125.000,50 kr.');
    expect(da.text).toContain('Leveringsdato: 1. maj 2026');
    expect(da.text).toContain('> Drift inkluderet\n> Support på hverdage');
    expect(da.html).toContain('Drift inkluderet<br>\nSupport på hverdage');
    const en = renderEmail('SUPPLIER_COUNTER_PROPOSAL', 'en', fullData());
    expect(en.text).toContain('Price: DKK 125,000.50');
    const unpriced = renderEmail('SUPPLIER_COUNTER_PROPOSAL', 'en', {
      ...fullData(),
      terms: { priceOere: null, deliveryDate: null, conditions: 'Only conditions' },
    });
    expect(unpriced.text).toContain('Price: not specified');
  });

  it('an answer email quotes the question and the answer', () => {
    const { text } = renderEmail('SUPPLIER_ANSWER', 'da', fullData());
    expect(text).toContain('Jeres spørgsmål:\n> Skal datoen være ISO?');
    expect(text).toContain('Svar:\n> Ja, feltet leveres som ISO-dato.');
  });

  it.each([
    ['ACCEPT', 'ATP accepterer', 'ATP accepts'],
    ['PROPOSE', 'ATP foreslår vilkår', 'ATP proposes terms'],
    ['ASK', 'ATP stiller et spørgsmål', 'ATP asks a question'],
    ['DECLINE', 'ATP afslår', 'ATP declines'],
  ] as const)('tells coordinators that the supplier replied %s', (kind, da, en) => {
    const data = {
      ...fullData(),
      supplierReply: { kind, by: 'Jens Jensen', text: 'Fritekst fra leverandøren' },
    };
    const daMail = renderEmail('COORDINATOR_SUPPLIER_REPLIED', 'da', data);
    expect(daMail.subject).toBe(`[SF0800 · B-00042] ${da}: Feriekonto online opslag`);
    expect(daMail.text).toContain('Jens Jensen');
    expect(daMail.text).toContain('> Fritekst fra leverandøren');
    expect(renderEmail('COORDINATOR_SUPPLIER_REPLIED', 'en', data).subject).toBe(
      `[SF0800 · B-00042] ${en}: Feriekonto online opslag`,
    );
  });

  it('an escalation says how overdue the answer is and how many reminders went unanswered', () => {
    expect(renderEmail('COORDINATOR_ESCALATION', 'da', fullData()).text).toContain(
      'Der er sendt 2 påmindelser uden svar.',
    );
    expect(renderEmail('COORDINATOR_ESCALATION', 'en', { ...fullData(), reminderNumber: 1 }).text).toContain(
      '1 reminder has been sent without an answer.',
    );
  });

  it('copes with no need date, no reply deadline, no projects and no data elements', () => {
    const data = fullData();
    data.order = { ...data.order, needBy: null, replyBy: null, projects: [], dataElements: [] };
    const { text } = renderEmail('SUPPLIER_ORDER', 'da', data);
    expect(text).toContain('Behov senest: ikke angivet');
    expect(text).toContain('Svar senest: ikke angivet');
    expect(text).toContain('Rekvirerende projekter: ingen angivet');
    expect(text).toContain('Svar venligst via linket nedenfor.');
  });

  it('a coordinator email may come without a link', () => {
    const { replyUrl: _unused, ...data } = fullData();
    expect(renderEmail('COORDINATOR_REMINDER', 'en', data).text).not.toContain('https://');
  });

  it('keeps header-breaking characters out of the subject', () => {
    const data = fullData();
    data.order.interfaceTitle = 'Feriekonto\r\nBcc: someone@example.com';
    const { subject } = renderEmail('SUPPLIER_ORDER', 'en', data);
    expect(subject).toBe('[SF0800 · B-00042] Interface order: Feriekonto Bcc: someone@example.com');
  });
});

describe('renderEmail: validation', () => {
  const bad: [string, () => unknown][] = [
    ['unknown template', () => renderEmail('NOPE' as EmailTemplate, 'da', fullData())],
    ['unknown language', () => renderEmail('SUPPLIER_ORDER', 'de' as Language, fullData())],
    [
      'supplier email without link',
      () => renderEmail('SUPPLIER_ORDER', 'da', { ...fullData(), replyUrl: undefined }),
    ],
    ['relative link', () => renderEmail('SUPPLIER_ORDER', 'da', { ...fullData(), replyUrl: '/reply/x' })],
    [
      'javascript: link',
      () => renderEmail('SUPPLIER_ORDER', 'da', { ...fullData(), replyUrl: 'javascript:alert(1)' }),
    ],
    [
      'counter-proposal without terms',
      () => renderEmail('SUPPLIER_COUNTER_PROPOSAL', 'da', { ...fullData(), terms: undefined }),
    ],
    ['answer without answer', () => renderEmail('SUPPLIER_ANSWER', 'da', { ...fullData(), answer: '  ' })],
    [
      'replied without reply',
      () => renderEmail('COORDINATOR_SUPPLIER_REPLIED', 'da', { ...fullData(), supplierReply: undefined }),
    ],
    [
      'impossible date',
      () =>
        renderEmail('SUPPLIER_ORDER', 'da', { ...fullData(), order: { ...order(), replyBy: '2026-02-30' } }),
    ],
    [
      'non-integer price',
      () =>
        renderEmail('SUPPLIER_COUNTER_PROPOSAL', 'da', {
          ...fullData(),
          terms: { priceOere: '125.5', deliveryDate: null, conditions: null },
        }),
    ],
    ['reminder number 0', () => renderEmail('SUPPLIER_REMINDER', 'da', { ...fullData(), reminderNumber: 0 })],
    [
      'negative overdue',
      () => renderEmail('SUPPLIER_REMINDER', 'da', { ...fullData(), overdueBusinessDays: -1 }),
    ],
    ['empty recipient', () => renderEmail('SUPPLIER_ORDER', 'da', { ...fullData(), recipientName: ' ' })],
  ];
  it.each(bad)('throws MailInputError for %s', (_name, render) => {
    expect(render).toThrow(MailInputError);
  });
});

describe('renderEmail: project notices', () => {
  const notice = (kind: ProjectNoticeKind, extra: Partial<ProjectNotice> = {}): EmailData => ({
    order: order(),
    recipientName: 'KY projektledelse',
    projectNotice: {
      kind,
      projectName: 'Kommunernes Ydelsessystem (KY)',
      text: null,
      date: null,
      windowStart: null,
      windowEnd: null,
      takesPart: null,
      ...extra,
    },
  });

  const SUBJECTS: Record<ProjectNoticeKind, Record<Language, string>> = {
    REQUEST_APPROVED: { da: 'Bestilling godkendt', en: 'Request approved' },
    REQUEST_CHANGES_REQUESTED: { da: 'Ret venligst jeres bestilling', en: 'Please change your request' },
    REQUEST_REJECTED: { da: 'Bestilling afvist', en: 'Request rejected' },
    SUPPLIER_AGREED: { da: 'Aftale med ATP', en: 'Agreed with ATP' },
    PLAN_B: { da: 'Plan B', en: 'Plan B' },
    TEST_PLANNED: { da: 'Test planlagt', en: 'Test planned' },
    LIVE: { da: 'I drift', en: 'Live' },
    CANCELLED: { da: 'Bestilling annulleret', en: 'Order cancelled' },
    TEST_RESULT_DUE: { da: 'Påmindelse: testresultat mangler', en: 'Reminder: test result missing' },
    SCOPE_REDUCED: { da: 'Reduceret omfang', en: 'Reduced scope' },
    SCOPE_ANSWER_DUE: {
      da: 'Påmindelse: svar på det reducerede omfang',
      en: 'Reminder: answer the reduced scope',
    },
    AMENDMENT_TURNED_DOWN: { da: 'Jeres ændring er afvist', en: 'Your change is turned down' },
    AMENDMENT_SENT: { da: 'Ændret bestilling sendt til ATP', en: 'Changed order sent to ATP' },
  };
  const kinds = PROJECT_NOTICE_KINDS.flatMap((kind) =>
    (['da', 'en'] as const).map((l) => [kind, l] as const),
  );

  it.each(kinds)('%s (%s) has its own subject and names the project', (kind, language) => {
    const email = renderEmail('PROJECT_UPDATE', language, notice(kind));
    expect(email.subject).toBe(`[SF0800 · B-00042] ${SUBJECTS[kind][language]}: Feriekonto online opslag`);
    expect(email.text).toContain('Kommunernes Ydelsessystem (KY)');
    expect(email.text).toContain(language === 'da' ? 'Kære KY projektledelse,' : 'Dear KY projektledelse,');
    expect(email.text).toContain(
      language === 'da' ? 'Programmets koordinatorer' : 'The programme coordinators',
    );
  });

  it('names the dropped elements of a reduced scope and asks only a project that lost one to answer', () => {
    const asked = renderEmail(
      'PROJECT_UPDATE',
      'en',
      notice('SCOPE_REDUCED', { text: 'Via eIndkomst', elements: 'SKAT.A, SKAT.B', takesPart: true }),
    );
    expect(asked.text).toContain('These data elements leave the order: SKAT.A, SKAT.B.');
    expect(asked.text).toContain('acknowledge the reduced scope in snitflow, or object with a comment');
    const spared = renderEmail(
      'PROJECT_UPDATE',
      'da',
      notice('SCOPE_REDUCED', { text: 'Via eIndkomst', elements: 'SKAT.A', takesPart: false }),
    );
    expect(spared.text).toContain('Jeres bestilling omfattede ingen af dem');
  });

  it('says what an amended order sent to the supplier changes, and by when it is to answer', () => {
    const change = {
      added: 'SKAT.C Skattekort',
      removed: null,
      needByFrom: '2027-03-01',
      needByTo: '2027-02-01',
    };
    const email = renderEmail(
      'PROJECT_UPDATE',
      'en',
      notice('AMENDMENT_SENT', { date: '2027-01-15', change }),
    );
    expect(email.text).toContain('New data elements in the order: SKAT.C Skattekort.');
    expect(email.text).not.toContain('taken out of the order');
    expect(email.text).toMatch(/need-by date changed from .*2027 to .*2027\./);
    expect(email.text).toContain('The supplier is asked to answer by');
    const bare = renderEmail('PROJECT_UPDATE', 'da', notice('AMENDMENT_SENT'));
    expect(bare.text).not.toContain('Nye dataelementer');
    expect(bare.text).not.toContain('bedt om at svare');
  });

  it("quotes the coordinators' comment when they asked for changes", () => {
    const email = renderEmail(
      'PROJECT_UPDATE',
      'da',
      notice('REQUEST_CHANGES_REQUESTED', { text: 'CPR.INDKOMST findes ikke i CPR.\nBrug SKAT.' }),
    );
    expect(email.text).toContain(
      'Koordinatorernes bemærkning:\n> CPR.INDKOMST findes ikke i CPR.\n> Brug SKAT.',
    );
    expect(email.html).toContain('CPR.INDKOMST findes ikke i CPR.<br>\nBrug SKAT.</blockquote>');
  });

  it('says whether the project takes part in the planned test, and when', () => {
    const window = { windowStart: '2026-09-01', windowEnd: '2026-09-15' };
    const taking = renderEmail(
      'PROJECT_UPDATE',
      'en',
      notice('TEST_PLANNED', { ...window, takesPart: true }),
    );
    expect(taking.text).toContain('is planned from 1 September 2026 to 15 September 2026.');
    expect(taking.text).toContain('takes part in the test: record your result in snitflow');
    const notTaking = renderEmail(
      'PROJECT_UPDATE',
      'da',
      notice('TEST_PLANNED', { ...window, takesPart: false }),
    );
    expect(notTaking.text).toContain('deltager ikke selv i testen');
  });

  it('reminds a project of its overdue test result, numbered from the second reminder', () => {
    const data = {
      ...notice('TEST_RESULT_DUE', { date: '2027-03-15' }),
      reminderNumber: 2,
      overdueBusinessDays: 3,
    };
    const email = renderEmail('PROJECT_UPDATE', 'da', data);
    expect(email.subject).toBe(
      '[SF0800 · B-00042] 2. påmindelse: testresultat mangler: Feriekonto online opslag',
    );
    expect(email.text).toContain(
      'Registrér jeres testresultat i snitflow senest 15. marts 2027. Fristen er overskredet med 3 arbejdsdage.',
    );
  });

  it('gives the live date', () => {
    expect(renderEmail('PROJECT_UPDATE', 'da', notice('LIVE', { date: '2027-04-01' })).text).toContain(
      'er i drift fra 1. april 2027.',
    );
  });

  it('refuses a notice without its kind or with an unknown one', () => {
    const { projectNotice: _none, ...without } = notice('LIVE');
    expect(() => renderEmail('PROJECT_UPDATE', 'da', without)).toThrow(MailInputError);
    const unknown = notice('LIVE');
    (unknown.projectNotice as { kind: string }).kind = 'ARCHIVED';
    expect(() => renderEmail('PROJECT_UPDATE', 'da', unknown)).toThrow(/unknown project notice kind/);
  });
});

describe('renderEmail: a fix round', () => {
  it('tells the supplier what to fix, quoted, in both languages', () => {
    const { terms: _t, ...data } = fullData();
    const da = renderEmail('SUPPLIER_ORDER', 'da', {
      ...data,
      fixDescription: 'Summerne er forskudt en måned',
    });
    expect(da.text).toContain('Det skal rettes:\n> Summerne er forskudt en måned');
    const en = renderEmail('SUPPLIER_ORDER', 'en', { ...data, fixDescription: 'Totals <off>' });
    expect(en.html).toContain('Totals &lt;off&gt;</blockquote>');
    expect(renderEmail('SUPPLIER_ORDER', 'da', data).text).not.toContain('Det skal rettes');
  });
});

describe('COORDINATOR_SCOPE_OBJECTION', () => {
  it('names the project, quotes its objection and says whether others are still to answer', () => {
    const email = renderEmail('COORDINATOR_SCOPE_OBJECTION', 'da', fullData());
    expect(email.subject).toBe(
      '[SF0800 · B-00042] Kommunernes Ydelsessystem (KY) gør indsigelse mod det reducerede omfang: Feriekonto online opslag',
    );
    expect(email.text).toContain('Projektets indsigelse:\n> Vi skal bruge adressen\n> til årsopgørelsen.');
    expect(email.text).toContain('hvor disse dataelementer udgår: SKAT.A.');
    expect(email.text).toContain('registreret af Kim Projektleder');
    expect(email.text).toContain('venter stadig på svar fra 1 projekt.');
    const last = renderEmail('COORDINATOR_SCOPE_OBJECTION', 'en', {
      ...fullData(),
      scopeObjection: { projectName: 'KSD', by: 'Karin', text: 'No', elements: null, stillAwaiting: 0 },
    });
    expect(last.subject).toContain('KSD objects to the reduced scope');
    expect(last.text).toContain('Every project has now answered');
    expect(last.text).not.toContain('which drops');
    expect(() =>
      renderEmail('COORDINATOR_SCOPE_OBJECTION', 'da', { ...fullData(), scopeObjection: undefined }),
    ).toThrow(MailInputError);
  });
});

describe('COORDINATOR_SUPPLIER_EMAIL', () => {
  it.each(['REPLY', 'LATE', 'HELD', 'AWAY', 'BOUNCED'] as const)(
    '%s has its own subject in both languages',
    (kind) => {
      const subjects = (['da', 'en'] as const).map(
        (language) =>
          renderEmail('COORDINATOR_SUPPLIER_EMAIL', language, {
            ...fullData(),
            supplierEmail: { kind, from: 'jj@atp.example', text: 'x', awayUntil: null },
          }).subject,
      );
      expect(new Set(subjects).size).toBe(2);
    },
  );

  it('says until when the contact is away, as a date in the language', () => {
    const email = renderEmail('COORDINATOR_SUPPLIER_EMAIL', 'en', fullData());
    expect(email.text).toContain('out of the office until 6 April 2026');
    expect(() =>
      renderEmail('COORDINATOR_SUPPLIER_EMAIL', 'da', { ...fullData(), supplierEmail: undefined }),
    ).toThrow(MailInputError);
  });
});
