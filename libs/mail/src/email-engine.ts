import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Context,
  type Emitter,
  Liquid,
  type Parser,
  Tag,
  type TagToken,
  type Template,
  type TopLevelToken,
  Value,
} from 'liquidjs';
import { MailInputError } from './errors.js';
import { escapeHtml } from './html.js';
import { cleanLine } from './text.js';
import {
  EMAIL_TEMPLATES,
  type EmailAudience,
  type EmailTemplate,
  LANGUAGES,
  type Language,
} from './types.js';

/**
 * The email template engine: LiquidJS over the files in `libs/mail/templates/email`.
 *
 * Why Liquid: it is maintained, typed and logic-less. Whoever edits the wording of an email
 * (a coordinator, a translator) writes sentences, `{{ variables }}` and `{% if %}`, but can
 * never run code, and the HTML engine escapes every `{{ }}` itself, so no template can forget.
 *
 * One email template is written once per language and rendered three times, through three
 * layouts: the subject, the HTML part and the plain-text part. The four block tags below
 * (`paragraph`, `note`, `quote`, `terms`, `link`) are what keeps the two parts saying the same
 * thing: a template says "a paragraph", "a quote of the supplier's text", "the link", and the
 * tag writes it as HTML or as text. Their markup lives here, in one place, with the styles.
 */

export type EmailFormat = 'subject' | 'html' | 'text';

const TEMPLATE_DIR = fileURLToPath(new URL('../templates/email/', import.meta.url));

/** `SUPPLIER_ORDER` → `supplier-order`, the file name of the template in each language folder. */
export function emailTemplateFile(template: EmailTemplate, language: Language): string {
  return `${language}/${template.toLowerCase().replaceAll('_', '-')}`;
}

// Inline styles, because many mail clients drop <style> blocks. Colours meet WCAG AA contrast.
export const EMAIL_STYLES = {
  body: 'margin:0;padding:24px;background:#ffffff;color:#1b1b1b;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5',
  h1: 'font-size:22px;line-height:1.3;margin:0 0 16px',
  h2: 'font-size:18px;line-height:1.3;margin:24px 0 8px',
  p: 'margin:0 0 16px',
  table: 'border-collapse:collapse;margin:0 0 16px',
  cell: 'text-align:left;vertical-align:top;padding:4px 16px 4px 0;border-bottom:1px solid #c8c8c8',
  quote: 'margin:0 0 16px;padding:8px 12px;border-left:4px solid #5a5a5a;background:#f2f2f2',
  link: 'color:#0b4f9c;font-weight:bold;text-decoration:underline',
  small: 'margin:0 0 16px;font-size:14px;color:#3d3d3d',
  url: 'word-break:break-all',
} as const;

/** The words of the frame (labels, sign-off, reply kinds), from `<language>/labels.json`. */
export interface EmailLabels {
  greeting: string;
  signOff: Record<EmailAudience, string[]>;
  orderHeading: string;
  reference: string;
  interface: string;
  supplier: string;
  needBy: string;
  replyBy: Record<EmailAudience, string>;
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
  replyKind: Record<'ACCEPT' | 'PROPOSE' | 'ASK' | 'DECLINE', string>;
  replyTextLabel: Record<'ACCEPT' | 'PROPOSE' | 'ASK' | 'DECLINE', string>;
}

/** Terms as the templates see them: already formatted for the language, null when not given. */
export interface TermsView {
  price: string | null;
  deliveryDate: string | null;
  conditions: string | null;
}

// ---------------------------------------------------------------------------------------------
// Block tags
// ---------------------------------------------------------------------------------------------

type BlockKind = 'paragraph' | 'note' | 'quote' | 'terms' | 'link';
const BLOCK_KINDS: readonly BlockKind[] = ['paragraph', 'note', 'quote', 'terms', 'link'];
/** Which blocks take a value: `{% quote answer %}Svar{% endquote %}` quotes `answer` under the label "Svar". */
const TAKES_VALUE: Record<BlockKind, boolean> = {
  paragraph: false,
  note: false,
  quote: true,
  terms: true,
  link: true,
};

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? '>' : `> ${line}`))
    .join('\n');
}

function htmlLines(text: string): string {
  return text.split('\n').map(escapeHtml).join('<br>\n');
}

function labelsOf(ctx: Context): EmailLabels {
  return ctx.getSync(['labels']) as EmailLabels;
}

function termRows(terms: TermsView, labels: EmailLabels): [string, string][] {
  return [
    [labels.price, terms.price ?? labels.notSpecified],
    [labels.deliveryDate, terms.deliveryDate ?? labels.notSpecified],
    [labels.conditions, terms.conditions ?? labels.notSpecified],
  ];
}

function isTermsView(value: unknown): value is TermsView {
  return typeof value === 'object' && value !== null && 'price' in value && 'conditions' in value;
}

/**
 * Writes one block. `content` is what the template wrote between the tags (in HTML already
 * escaped by the engine); `value` is the tag's argument, raw, escaped here.
 */
function writeBlock(
  format: 'html' | 'text',
  kind: BlockKind,
  content: string,
  value: unknown,
  labels: EmailLabels,
): string {
  const S = EMAIL_STYLES;
  switch (kind) {
    case 'paragraph':
    case 'note': {
      // Templates wrap sentences over several lines; a paragraph is one line of text.
      const text = content.replace(/\s+/g, ' ').trim();
      if (text === '') return '';
      if (format === 'text') return `${text}\n\n`;
      return `<p style="${kind === 'note' ? S.small : S.p}">${text}</p>\n`;
    }
    case 'quote': {
      if (typeof value !== 'string' || value === '') return '';
      const label = cleanLine(content);
      if (format === 'text') return `${label}:\n${indent(value)}\n\n`;
      return `<p style="${S.p}"><strong>${label}:</strong></p>\n<blockquote style="${S.quote}">${htmlLines(value)}</blockquote>\n`;
    }
    case 'terms': {
      if (!isTermsView(value)) return '';
      const heading = cleanLine(content);
      const rows = termRows(value, labels);
      if (format === 'text') {
        const lines = rows.map(([label, text]) =>
          text.includes('\n') ? `${label}:\n${indent(text)}` : `${label}: ${text}`,
        );
        return `${heading}\n${'-'.repeat([...heading].length)}\n${lines.join('\n')}\n\n`;
      }
      const cells = rows
        .map(
          ([label, text]) =>
            `<tr><th scope="row" style="${S.cell}">${escapeHtml(label)}</th><td style="${S.cell}">${htmlLines(text)}</td></tr>\n`,
        )
        .join('');
      return `<h2 style="${S.h2}">${heading}</h2>\n<table style="${S.table}">\n${cells}</table>\n`;
    }
    case 'link': {
      if (typeof value !== 'string' || value === '') return '';
      const label = cleanLine(content);
      if (format === 'text') return `${label}:\n${value}\n\n`;
      const url = escapeHtml(value);
      return `<p style="${S.p}"><a href="${url}" style="${S.link}">${label}</a></p>
<p style="${S.small}">${escapeHtml(labels.linkFallback)}<br><span style="${S.url}">${url}</span></p>\n`;
    }
  }
}

function blockTag(format: 'html' | 'text', kind: BlockKind) {
  return class BlockTag extends Tag {
    private readonly children: Template[] = [];
    private readonly value: Value | null;

    constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid, parser: Parser) {
      super(token, remainTokens, liquid);
      const args = token.args.trim();
      if (TAKES_VALUE[kind] !== (args !== '')) {
        throw new Error(
          TAKES_VALUE[kind]
            ? `{% ${kind} %} needs the value to show, e.g. {% ${kind} something %}`
            : `{% ${kind} %} takes no argument`,
        );
      }
      this.value = args === '' ? null : new Value(args, liquid);
      let closed = false;
      const stream = parser.parseStream(remainTokens);
      stream
        .on(`tag:end${kind}`, () => {
          closed = true;
          stream.stop();
        })
        .on<Template>('template', (child) => {
          this.children.push(child);
        })
        .on('end', () => {
          if (!closed) throw new Error(`{% ${kind} %} is not closed with {% end${kind} %}`);
        });
      stream.start();
    }

    *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
      const content = (yield this.liquid.renderer.renderTemplates(this.children, ctx)) as string;
      const value = this.value ? yield this.value.value(ctx) : null;
      emitter.write(writeBlock(format, kind, content, value, labelsOf(ctx)));
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Engines
// ---------------------------------------------------------------------------------------------

function* liquidFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* liquidFiles(path);
    else if (entry.name.endsWith('.liquid')) yield path;
  }
}

function createEngine(format: EmailFormat, templates: Record<string, string>): Liquid {
  const liquid = new Liquid({
    templates,
    cache: true,
    // A misspelt variable or filter is an error at render time (and so in the tests),
    // not an email that silently says nothing.
    strictVariables: true,
    strictFilters: true,
    ownPropertyOnly: true,
    // The project's one escape function, so emails and the reply page escape alike.
    outputEscape:
      format === 'html' ? (value: unknown) => escapeHtml(value == null ? '' : String(value)) : undefined,
  });
  liquid.registerFilter('plural', (n: unknown, one: string, many: string) => `${n} ${n === 1 ? one : many}`);
  liquid.registerFilter('squish', (text: unknown) => String(text).replace(/\s+/g, ' ').trim());
  liquid.registerFilter('underline', (text: unknown) => '-'.repeat([...String(text)].length));
  const blockFormat = format === 'html' ? 'html' : 'text';
  for (const kind of BLOCK_KINDS) liquid.registerTag(kind, blockTag(blockFormat, kind));
  return liquid;
}

export interface EmailEngine {
  engines: Record<EmailFormat, Liquid>;
  labels: Record<Language, EmailLabels>;
}

let loaded: EmailEngine | null = null;

const LABEL_KEYS: readonly (keyof EmailLabels)[] = [
  'greeting',
  'signOff',
  'orderHeading',
  'reference',
  'interface',
  'supplier',
  'needBy',
  'replyBy',
  'projects',
  'dataElements',
  'code',
  'name',
  'notSpecified',
  'noneListed',
  'price',
  'deliveryDate',
  'conditions',
  'linkFallback',
  'replyKind',
  'replyTextLabel',
];

/** A language's labels, with every key the layouts and block tags use. */
function readLabels(path: string): EmailLabels {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new MailInputError(`email labels ${path}: ${(error as Error).message}`);
  }
  const missing = LABEL_KEYS.filter(
    (key) => typeof parsed !== 'object' || parsed === null || !(key in parsed),
  );
  if (missing.length > 0) throw new MailInputError(`email labels ${path} lack ${missing.join(', ')}`);
  return parsed as EmailLabels;
}

/**
 * Reads and parses every template once, and checks that each email exists in each language:
 * a missing or broken template fails here (at worker start-up) rather than in a send.
 */
export function loadEmailEngine(dir: string = TEMPLATE_DIR): EmailEngine {
  if (dir === TEMPLATE_DIR && loaded) return loaded;
  if (!existsSync(dir)) throw new MailInputError(`email templates not found in ${dir}`);
  const templates: Record<string, string> = {};
  for (const path of liquidFiles(dir)) {
    const name = relative(dir, path)
      .split(sep)
      .join('/')
      .replace(/\.liquid$/, '');
    templates[name] = readFileSync(path, 'utf8');
  }
  const engines: Record<EmailFormat, Liquid> = {
    subject: createEngine('subject', templates),
    html: createEngine('html', templates),
    text: createEngine('text', templates),
  };
  // Every file (layouts and partials too) must parse in every engine: a syntax error or a
  // misused block tag is reported with its file and line here, not at the first send.
  for (const [name, source] of Object.entries(templates)) {
    for (const liquid of Object.values(engines)) {
      try {
        liquid.parse(source, name);
      } catch (error) {
        throw new MailInputError(`email template ${name}.liquid: ${(error as Error).message}`);
      }
    }
  }
  const labels = {} as Record<Language, EmailLabels>;
  for (const language of LANGUAGES) {
    labels[language] = readLabels(join(dir, language, 'labels.json'));
    for (const template of EMAIL_TEMPLATES) {
      const file = emailTemplateFile(template, language);
      if (templates[file] === undefined) {
        throw new MailInputError(`email template ${file}.liquid is missing in ${dir}`);
      }
    }
  }
  const engine = { engines, labels };
  if (dir === TEMPLATE_DIR) loaded = engine;
  return engine;
}

const LAYOUTS: Record<EmailFormat, string> = {
  subject: 'layouts/subject',
  html: 'layouts/html',
  text: 'layouts/text',
};

/** Renders one template in one format with an already validated, formatted context. */
export function renderEmailFormat(
  engine: EmailEngine,
  template: EmailTemplate,
  language: Language,
  format: EmailFormat,
  context: Record<string, unknown>,
): string {
  const out = engine.engines[format].renderFileSync(emailTemplateFile(template, language), {
    ...context,
    layout: LAYOUTS[format],
    style: EMAIL_STYLES,
    labels: engine.labels[language],
  }) as string;
  if (format === 'subject') return cleanLine(out);
  // Template indentation and blank lines are for the template's reader, not the email's:
  // trim every line and keep at most one blank line in a row (none in HTML).
  const lines = out.split('\n').map((line) => line.trim());
  if (format === 'html') return `${lines.filter((line) => line !== '').join('\n')}\n`;
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}
