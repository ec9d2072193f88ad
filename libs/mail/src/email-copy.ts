import { MailInputError } from './errors.js';
import { formatOere } from './money.js';
import type { EmailData, EmailTemplate, Language, OrderSummary, SupplierReplyKind, Terms } from './types.js';

/**
 * The words of every email, per language, as a list of blocks. The blocks are turned into
 * HTML and plain text by render.ts, so both parts always say the same thing and escaping
 * happens in one place: nothing in this file produces markup.
 */

export type Audience = 'supplier' | 'coordinator';

export type Block =
  | { kind: 'paragraph'; text: string }
  /** Free text from a person (a question, an answer, a reason), shown under a label. */
  | { kind: 'quote'; label: string; text: string }
  | { kind: 'terms'; heading: string; terms: Terms }
  | { kind: 'link'; label: string; url: string };

export interface EmailContent {
  audience: Audience;
  subject: string;
  heading: string;
  /** Before the order summary. */
  body: Block[];
  /** After the order summary, before the sign-off. */
  footer: string[];
}

/** Already formatted values the templates put into sentences. */
export interface EmailContext {
  data: EmailData;
  order: OrderSummary;
  /** e.g. "SF0800 Feriekonto online opslag". */
  iface: string;
  /** The reply deadline with weekday, or null. */
  replyBy: string | null;
}

export interface LanguageCopy {
  greeting(name: string): string;
  signOff: Record<Audience, string[]>;
  labels: {
    orderHeading: string;
    reference: string;
    interface: string;
    supplier: string;
    needBy: string;
    replyBy: Record<Audience, string>;
    projects: string;
    dataElements: string;
    code: string;
    name: string;
    notSpecified: string;
    noneListed: string;
    price: string;
    deliveryDate: string;
    conditions: string;
    linkFallback: string;
  };
  formatPrice(oere: string): string;
  templates: Record<EmailTemplate, (ctx: EmailContext) => EmailContent>;
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new MailInputError(`this template needs data.${what}`);
  return value;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function link(ctx: EmailContext, label: string): Block[] {
  return ctx.data.replyUrl ? [{ kind: 'link', label, url: ctx.data.replyUrl }] : [];
}

function paragraphs(...texts: (string | false | null | undefined)[]): Block[] {
  return texts.filter((t): t is string => typeof t === 'string').map((text) => ({ kind: 'paragraph', text }));
}

function quote(label: string, text: string | null | undefined): Block[] {
  return text ? [{ kind: 'quote', label, text }] : [];
}

function terms(heading: string, value: Terms | undefined): Block[] {
  return value ? [{ kind: 'terms', heading, terms: value }] : [];
}

// ---------------------------------------------------------------------------------------------
// Danish
// ---------------------------------------------------------------------------------------------

const DA_REPLY_KIND: Record<SupplierReplyKind, string> = {
  ACCEPT: 'accepterer',
  PROPOSE: 'foreslår vilkår',
  ASK: 'stiller et spørgsmål',
  DECLINE: 'afslår',
};

const DA_REPLY_TEXT_LABEL: Record<SupplierReplyKind, string> = {
  ACCEPT: 'Bemærkning',
  PROPOSE: 'Bemærkning',
  ASK: 'Spørgsmål',
  DECLINE: 'Begrundelse',
};

function daOverdue(ctx: EmailContext, subject: string): string | null {
  const days = ctx.data.overdueBusinessDays;
  const overdue = days !== undefined && days > 0 ? plural(days, 'arbejdsdag', 'arbejdsdage') : null;
  if (ctx.replyBy && overdue) return `${subject} var ${ctx.replyBy} og er overskredet med ${overdue}.`;
  if (overdue) return `${subject} er overskredet med ${overdue}.`;
  if (ctx.replyBy) return `${subject} er ${ctx.replyBy}.`;
  return null;
}

function daReminderPrefix(n: number | undefined): string {
  return n !== undefined && n > 1 ? `${n}. påmindelse` : 'Påmindelse';
}

const DA_SUPPLIER_FOOTER = [
  'Alle, der har linket, kan svare på jeres vegne, så del det kun med kolleger, der må svare på bestillingen. Modtager I senere en ny e-mail om bestillingen, er det linket i den nyeste e-mail, der gælder.',
];

const da: LanguageCopy = {
  greeting: (name) => `Kære ${name}`,
  signOff: {
    supplier: ['Med venlig hilsen', 'Programmets koordinatorer', '(sendt via snitflow)'],
    coordinator: ['Denne besked er sendt automatisk af snitflow.'],
  },
  labels: {
    orderHeading: 'Bestillingen',
    reference: 'Reference',
    interface: 'Snitflade',
    supplier: 'Kildeleverandør',
    needBy: 'Behov senest',
    replyBy: { supplier: 'Svar senest', coordinator: 'Leverandørens svarfrist' },
    projects: 'Rekvirerende projekter',
    dataElements: 'Dataelementer',
    code: 'Kode',
    name: 'Navn',
    notSpecified: 'ikke angivet',
    noneListed: 'ingen angivet',
    price: 'Pris',
    deliveryDate: 'Leveringsdato',
    conditions: 'Betingelser',
    linkFallback: 'Virker linket ikke, så kopiér denne adresse ind i browseren:',
  },
  formatPrice: (oere) => formatOere(oere, 'da'),
  templates: {
    SUPPLIER_ORDER: (ctx) => ({
      audience: 'supplier',
      subject: `Bestilling af snitflade: ${ctx.order.interfaceTitle}`,
      heading: `Bestilling af snitflade ${ctx.iface}`,
      body: [
        ...paragraphs(
          `På vegne af de rekvirerende projekter nedenfor bestiller vi hermed snitfladen ${ctx.iface} hos ${ctx.order.supplierName}. Bestillingen samler alle projekternes behov, så snitfladen kun skal leveres og betales én gang.`,
          ctx.replyBy
            ? `Svar venligst senest ${ctx.replyBy} via linket nedenfor.`
            : 'Svar venligst via linket nedenfor.',
          'Via linket kan I acceptere bestillingen, foreslå vilkår (pris, leveringsdato og betingelser), stille et spørgsmål eller afslå. Det kræver ikke login.',
        ),
        ...link(ctx, 'Besvar bestillingen'),
      ],
      footer: DA_SUPPLIER_FOOTER,
    }),
    SUPPLIER_COUNTER_PROPOSAL: (ctx) => ({
      audience: 'supplier',
      subject: `Modforslag til bestilling af snitflade: ${ctx.order.interfaceTitle}`,
      heading: `Modforslag til bestillingen af ${ctx.iface}`,
      body: [
        ...paragraphs(
          `Tak for jeres forslag til bestillingen af snitfladen ${ctx.iface}. Koordinatorerne foreslår i stedet disse vilkår:`,
        ),
        ...terms('Koordinatorernes forslag', ctx.data.terms),
        ...paragraphs(
          ctx.replyBy
            ? `Svar venligst senest ${ctx.replyBy} via linket nedenfor.`
            : 'Svar venligst via linket nedenfor.',
          'Via linket kan I acceptere vilkårene, foreslå andre vilkår, stille et spørgsmål eller afslå.',
        ),
        ...link(ctx, 'Besvar forslaget'),
      ],
      footer: DA_SUPPLIER_FOOTER,
    }),
    SUPPLIER_ANSWER: (ctx) => ({
      audience: 'supplier',
      subject: `Svar på jeres spørgsmål: ${ctx.order.interfaceTitle}`,
      heading: `Svar på jeres spørgsmål om ${ctx.iface}`,
      body: [
        ...paragraphs(
          `Her er koordinatorernes svar på jeres spørgsmål om bestillingen af snitfladen ${ctx.iface}.`,
        ),
        ...quote('Jeres spørgsmål', ctx.data.question),
        ...quote('Svar', ctx.data.answer),
        ...paragraphs(
          ctx.replyBy
            ? `Svar venligst på bestillingen senest ${ctx.replyBy} via linket nedenfor.`
            : 'Svar venligst på bestillingen via linket nedenfor.',
          'Via linket kan I acceptere bestillingen, foreslå vilkår, stille et nyt spørgsmål eller afslå.',
        ),
        ...link(ctx, 'Besvar bestillingen'),
      ],
      footer: DA_SUPPLIER_FOOTER,
    }),
    SUPPLIER_REMINDER: (ctx) => ({
      audience: 'supplier',
      subject: `${daReminderPrefix(ctx.data.reminderNumber)}: Bestilling af snitflade: ${ctx.order.interfaceTitle}`,
      heading: `${daReminderPrefix(ctx.data.reminderNumber)}: bestillingen af ${ctx.iface} afventer jeres svar`,
      body: [
        ...paragraphs(
          `Vi har endnu ikke modtaget jeres svar på bestillingen af snitfladen ${ctx.iface}.`,
          daOverdue(ctx, 'Svarfristen'),
          'Svar venligst via linket nedenfor. I kan acceptere bestillingen, foreslå vilkår, stille et spørgsmål eller afslå. Har I brug for mere tid, så skriv det som et spørgsmål via linket.',
        ),
        ...link(ctx, 'Besvar bestillingen'),
      ],
      footer: DA_SUPPLIER_FOOTER,
    }),
    COORDINATOR_ESCALATION: (ctx) => ({
      audience: 'coordinator',
      subject: `Eskalering: intet svar fra ${ctx.order.supplierName}: ${ctx.order.interfaceTitle}`,
      heading: `Eskalering: ${ctx.order.supplierName} har ikke svaret på bestillingen af ${ctx.iface}`,
      body: [
        ...paragraphs(
          `${ctx.order.supplierName} har ikke svaret på bestillingen af snitfladen ${ctx.iface}, og den er derfor eskaleret til koordinatorerne.`,
          daOverdue(ctx, 'Svarfristen'),
          ctx.data.reminderNumber !== undefined &&
            `Der er sendt ${plural(ctx.data.reminderNumber, 'påmindelse', 'påmindelser')} uden svar.`,
          'Kontakt leverandøren direkte, forlæng fristen, eller start en plan B.',
        ),
        ...link(ctx, 'Åbn bestillingen'),
      ],
      footer: [],
    }),
    COORDINATOR_SUPPLIER_REPLIED: (ctx) => {
      const reply = need(ctx.data.supplierReply, 'supplierReply');
      const kind = reply.kind;
      const next: Record<SupplierReplyKind, Block[]> = {
        ACCEPT: [
          ...paragraphs(
            ctx.data.terms
              ? 'Leverandøren accepterer disse vilkår:'
              : 'Leverandøren accepterer bestillingen.',
          ),
          ...terms('Vilkår', ctx.data.terms),
          ...quote(DA_REPLY_TEXT_LABEL[kind], reply.text),
          ...paragraphs('Næste skridt er at planlægge testen.'),
        ],
        PROPOSE: [
          ...paragraphs('Leverandøren foreslår disse vilkår:'),
          ...terms('Leverandørens forslag', ctx.data.terms),
          ...quote(DA_REPLY_TEXT_LABEL[kind], reply.text),
          ...paragraphs('Vurdér forslaget: acceptér det, send et modforslag, eller start en plan B.'),
        ],
        ASK: [
          ...quote(DA_REPLY_TEXT_LABEL[kind], reply.text),
          ...paragraphs('Besvar spørgsmålet, så leverandøren kan svare på bestillingen.'),
        ],
        DECLINE: [
          ...quote(DA_REPLY_TEXT_LABEL[kind], reply.text),
          ...paragraphs(
            'Overvej en plan B: en anden kilde eller leverandør, en anden løsning eller et reduceret omfang.',
          ),
        ],
      };
      return {
        audience: 'coordinator',
        subject: `${ctx.order.supplierName} ${DA_REPLY_KIND[kind]}: ${ctx.order.interfaceTitle}`,
        heading: `${ctx.order.supplierName} ${DA_REPLY_KIND[kind]}: ${ctx.iface}`,
        body: [
          ...paragraphs(
            `${reply.by} har på vegne af ${ctx.order.supplierName} svaret på bestillingen af snitfladen ${ctx.iface}.`,
          ),
          ...next[kind],
          ...link(ctx, 'Åbn bestillingen'),
        ],
        footer: [],
      };
    },
    COORDINATOR_REMINDER: (ctx) => {
      const reply = ctx.data.supplierReply;
      return {
        audience: 'coordinator',
        subject: `${daReminderPrefix(ctx.data.reminderNumber)}: bestillingen afventer koordinatorerne: ${ctx.order.interfaceTitle}`,
        heading: `${daReminderPrefix(ctx.data.reminderNumber)}: bestillingen af ${ctx.iface} afventer jer`,
        body: [
          ...paragraphs(
            `Bestillingen af snitfladen ${ctx.iface} afventer handling fra koordinatorerne.`,
            ctx.data.overdueBusinessDays !== undefined &&
              ctx.data.overdueBusinessDays > 0 &&
              `Fristen er overskredet med ${plural(ctx.data.overdueBusinessDays, 'arbejdsdag', 'arbejdsdage')}.`,
            reply && `Leverandørens seneste svar er fra ${reply.by}: ${DA_REPLY_KIND[reply.kind]}.`,
          ),
          ...terms('Leverandørens forslag', reply ? ctx.data.terms : undefined),
          ...quote(reply ? DA_REPLY_TEXT_LABEL[reply.kind] : '', reply?.text),
          ...link(ctx, 'Åbn bestillingen'),
        ],
        footer: [],
      };
    },
  },
};

// ---------------------------------------------------------------------------------------------
// English
// ---------------------------------------------------------------------------------------------

const EN_REPLY_KIND: Record<SupplierReplyKind, string> = {
  ACCEPT: 'accepts',
  PROPOSE: 'proposes terms',
  ASK: 'asks a question',
  DECLINE: 'declines',
};

const EN_REPLY_TEXT_LABEL: Record<SupplierReplyKind, string> = {
  ACCEPT: 'Comment',
  PROPOSE: 'Comment',
  ASK: 'Question',
  DECLINE: 'Reason',
};

function enOverdue(ctx: EmailContext): string | null {
  const days = ctx.data.overdueBusinessDays;
  const overdue = days !== undefined && days > 0 ? plural(days, 'business day', 'business days') : null;
  if (ctx.replyBy && overdue) return `The answer was due ${ctx.replyBy} and is ${overdue} overdue.`;
  if (overdue) return `The answer is ${overdue} overdue.`;
  if (ctx.replyBy) return `The answer is due ${ctx.replyBy}.`;
  return null;
}

function enReminderPrefix(n: number | undefined): string {
  return n !== undefined && n > 1 ? `Reminder ${n}` : 'Reminder';
}

const EN_SUPPLIER_FOOTER = [
  'Anyone who has the link can answer on your behalf, so share it only with colleagues who may answer the order. If you later receive a new email about the order, the link in the newest email is the one that counts.',
];

const en: LanguageCopy = {
  greeting: (name) => `Dear ${name}`,
  signOff: {
    supplier: ['Kind regards', 'The programme coordinators', '(sent via snitflow)'],
    coordinator: ['This message was sent automatically by snitflow.'],
  },
  labels: {
    orderHeading: 'The order',
    reference: 'Reference',
    interface: 'Interface',
    supplier: 'Source supplier',
    needBy: 'Needed by',
    replyBy: { supplier: 'Reply by', coordinator: "Supplier's reply deadline" },
    projects: 'Requesting projects',
    dataElements: 'Data elements',
    code: 'Code',
    name: 'Name',
    notSpecified: 'not specified',
    noneListed: 'none listed',
    price: 'Price',
    deliveryDate: 'Delivery date',
    conditions: 'Conditions',
    linkFallback: 'If the link does not work, copy this address into your browser:',
  },
  formatPrice: (oere) => formatOere(oere, 'en'),
  templates: {
    SUPPLIER_ORDER: (ctx) => ({
      audience: 'supplier',
      subject: `Interface order: ${ctx.order.interfaceTitle}`,
      heading: `Interface order ${ctx.iface}`,
      body: [
        ...paragraphs(
          `On behalf of the requesting projects listed below, we hereby order the interface ${ctx.iface} from ${ctx.order.supplierName}. The order combines the needs of all the projects, so the interface is delivered and paid for only once.`,
          ctx.replyBy
            ? `Please answer by ${ctx.replyBy} using the link below.`
            : 'Please answer using the link below.',
          'Through the link you can accept the order, propose terms (price, delivery date and conditions), ask a question or decline. No login is needed.',
        ),
        ...link(ctx, 'Answer the order'),
      ],
      footer: EN_SUPPLIER_FOOTER,
    }),
    SUPPLIER_COUNTER_PROPOSAL: (ctx) => ({
      audience: 'supplier',
      subject: `Counter-proposal for interface order: ${ctx.order.interfaceTitle}`,
      heading: `Counter-proposal for the order of ${ctx.iface}`,
      body: [
        ...paragraphs(
          `Thank you for your proposal for the order of the interface ${ctx.iface}. The coordinators propose these terms instead:`,
        ),
        ...terms("The coordinators' proposal", ctx.data.terms),
        ...paragraphs(
          ctx.replyBy
            ? `Please answer by ${ctx.replyBy} using the link below.`
            : 'Please answer using the link below.',
          'Through the link you can accept the terms, propose other terms, ask a question or decline.',
        ),
        ...link(ctx, 'Answer the proposal'),
      ],
      footer: EN_SUPPLIER_FOOTER,
    }),
    SUPPLIER_ANSWER: (ctx) => ({
      audience: 'supplier',
      subject: `Answer to your question: ${ctx.order.interfaceTitle}`,
      heading: `Answer to your question about ${ctx.iface}`,
      body: [
        ...paragraphs(
          `Here is the coordinators' answer to your question about the order of the interface ${ctx.iface}.`,
        ),
        ...quote('Your question', ctx.data.question),
        ...quote('Answer', ctx.data.answer),
        ...paragraphs(
          ctx.replyBy
            ? `Please answer the order by ${ctx.replyBy} using the link below.`
            : 'Please answer the order using the link below.',
          'Through the link you can accept the order, propose terms, ask another question or decline.',
        ),
        ...link(ctx, 'Answer the order'),
      ],
      footer: EN_SUPPLIER_FOOTER,
    }),
    SUPPLIER_REMINDER: (ctx) => ({
      audience: 'supplier',
      subject: `${enReminderPrefix(ctx.data.reminderNumber)}: Interface order: ${ctx.order.interfaceTitle}`,
      heading: `${enReminderPrefix(ctx.data.reminderNumber)}: the order of ${ctx.iface} is awaiting your answer`,
      body: [
        ...paragraphs(
          `We have not yet received your answer to the order of the interface ${ctx.iface}.`,
          enOverdue(ctx),
          'Please answer using the link below. You can accept the order, propose terms, ask a question or decline. If you need more time, say so as a question through the link.',
        ),
        ...link(ctx, 'Answer the order'),
      ],
      footer: EN_SUPPLIER_FOOTER,
    }),
    COORDINATOR_ESCALATION: (ctx) => ({
      audience: 'coordinator',
      subject: `Escalation: no answer from ${ctx.order.supplierName}: ${ctx.order.interfaceTitle}`,
      heading: `Escalation: ${ctx.order.supplierName} has not answered the order of ${ctx.iface}`,
      body: [
        ...paragraphs(
          `${ctx.order.supplierName} has not answered the order of the interface ${ctx.iface}, so it has been escalated to the coordinators.`,
          enOverdue(ctx),
          ctx.data.reminderNumber !== undefined &&
            (ctx.data.reminderNumber === 1
              ? '1 reminder has been sent without an answer.'
              : `${ctx.data.reminderNumber} reminders have been sent without an answer.`),
          'Contact the supplier directly, extend the deadline, or start a plan B.',
        ),
        ...link(ctx, 'Open the order'),
      ],
      footer: [],
    }),
    COORDINATOR_SUPPLIER_REPLIED: (ctx) => {
      const reply = need(ctx.data.supplierReply, 'supplierReply');
      const kind = reply.kind;
      const next: Record<SupplierReplyKind, Block[]> = {
        ACCEPT: [
          ...paragraphs(
            ctx.data.terms ? 'The supplier accepts these terms:' : 'The supplier accepts the order.',
          ),
          ...terms('Terms', ctx.data.terms),
          ...quote(EN_REPLY_TEXT_LABEL[kind], reply.text),
          ...paragraphs('The next step is to plan the test.'),
        ],
        PROPOSE: [
          ...paragraphs('The supplier proposes these terms:'),
          ...terms("The supplier's proposal", ctx.data.terms),
          ...quote(EN_REPLY_TEXT_LABEL[kind], reply.text),
          ...paragraphs('Assess the proposal: accept it, send a counter-proposal, or start a plan B.'),
        ],
        ASK: [
          ...quote(EN_REPLY_TEXT_LABEL[kind], reply.text),
          ...paragraphs('Answer the question so that the supplier can answer the order.'),
        ],
        DECLINE: [
          ...quote(EN_REPLY_TEXT_LABEL[kind], reply.text),
          ...paragraphs('Consider a plan B: another source or supplier, a workaround, or a reduced scope.'),
        ],
      };
      return {
        audience: 'coordinator',
        subject: `${ctx.order.supplierName} ${EN_REPLY_KIND[kind]}: ${ctx.order.interfaceTitle}`,
        heading: `${ctx.order.supplierName} ${EN_REPLY_KIND[kind]}: ${ctx.iface}`,
        body: [
          ...paragraphs(
            `${reply.by} has answered the order of the interface ${ctx.iface} on behalf of ${ctx.order.supplierName}.`,
          ),
          ...next[kind],
          ...link(ctx, 'Open the order'),
        ],
        footer: [],
      };
    },
    COORDINATOR_REMINDER: (ctx) => {
      const reply = ctx.data.supplierReply;
      return {
        audience: 'coordinator',
        subject: `${enReminderPrefix(ctx.data.reminderNumber)}: the order is waiting for the coordinators: ${ctx.order.interfaceTitle}`,
        heading: `${enReminderPrefix(ctx.data.reminderNumber)}: the order of ${ctx.iface} is waiting for you`,
        body: [
          ...paragraphs(
            `The order of the interface ${ctx.iface} is waiting for the coordinators to act.`,
            ctx.data.overdueBusinessDays !== undefined &&
              ctx.data.overdueBusinessDays > 0 &&
              `The deadline is ${plural(ctx.data.overdueBusinessDays, 'business day', 'business days')} overdue.`,
            reply && `The supplier's latest answer is from ${reply.by}: ${EN_REPLY_KIND[reply.kind]}.`,
          ),
          ...terms("The supplier's proposal", reply ? ctx.data.terms : undefined),
          ...quote(reply ? EN_REPLY_TEXT_LABEL[reply.kind] : '', reply?.text),
          ...link(ctx, 'Open the order'),
        ],
        footer: [],
      };
    },
  },
};

export const EMAIL_COPY: Record<Language, LanguageCopy> = { da, en };
