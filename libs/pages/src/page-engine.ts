import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  escapeHtml,
  formatDate,
  formatOere,
  isLanguage,
  LANGUAGES,
  type Language,
  loadEmailEngine,
  SafeHtml,
} from '@snitflow/mail';
import {
  type Context,
  type Emitter,
  Liquid,
  type Parser,
  Tag,
  type TagToken,
  type Template,
  type TopLevelToken,
} from 'liquidjs';
import { PageInputError } from './errors.js';

/**
 * Server-rendered web pages: LiquidJS templates under `libs/pages/templates`, the same engine
 * family, escape function and label files as the emails in libs/mail.
 *
 * Layout of the template folder:
 *
 *   templates/layout.liquid          the one page frame (head, stylesheet, <main>); pages fill its
 *                                    blocks `title`, `nav` and `main`
 *   templates/pages.css              the shared stylesheet (screen and print)
 *   templates/labels.<lang>.json     words every page may use (language switch, contact phrase)
 *   templates/<page>/<view>.liquid   a page's templates; `_x.liquid` are its partials
 *   templates/<page>/labels.<lang>.json   the page's own words, one file per language
 *   templates/<page>/page.css        optional: the page's own CSS, appended to pages.css
 *
 * In a template, `labels` holds the emails' frame words (libs/mail's `labels.json`: reference,
 * interface, supplier, needBy, price, …), then the pages' common words, then the page's own —
 * one vocabulary, and a key defined twice is refused at load rather than silently shadowed.
 *
 * Escaping is the engine's: every `{{ }}` is HTML-escaped. Markup comes from templates only:
 * `raw` is disabled; the `fill` and `lines` filters and the `markup` tag return SafeHtml, which
 * the escape lets through, and they escape everything they did not write themselves.
 *
 * CSP: no template may use <script>, event handler attributes or style="" attributes (the
 * policy blocks them; a test checks every page). The stylesheet is one inline <style> block
 * whose SHA-256 is in the page's Content-Security-Policy (`pageHeaders`).
 */

const TEMPLATE_DIR = fileURLToPath(new URL('../templates/', import.meta.url));

/** Data a template receives; values are plain JSON-like data (or SafeHtml built by this library). */
export type PageData = Record<string, unknown>;

export interface RenderedPage {
  html: string;
  /** The headers the page must be sent with: its Content-Security-Policy and the rest. */
  headers: Readonly<Record<string, string>>;
}

interface PageFolder {
  labels: Record<Language, Record<string, unknown>>;
  stylesheet: string;
  headers: Readonly<Record<string, string>>;
}

export interface PageEngine {
  liquid: Liquid;
  folders: Map<string, PageFolder>;
  templates: Set<string>;
}

// ---------------------------------------------------------------------------------------------
// Filters and tags
// ---------------------------------------------------------------------------------------------

/** The engine's escape: SafeHtml (written by this library) passes, everything else is escaped. */
function escapeOutput(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  return escapeHtml(value == null ? '' : String(value));
}

function languageOf(ctx: Context): Language {
  const language = ctx.getSync(['language']);
  if (!isLanguage(language)) throw new PageInputError(`unknown language ${JSON.stringify(language)}`);
  return language;
}

/** `url` with its `lang` query parameter set to `language`; path kept as given, fragment dropped. */
export function withLanguage(url: string, language: Language): string {
  const hashAt = url.indexOf('#');
  const withoutHash = hashAt === -1 ? url : url.slice(0, hashAt);
  const queryAt = withoutHash.indexOf('?');
  const path = queryAt === -1 ? withoutHash : withoutHash.slice(0, queryAt);
  const params = new URLSearchParams(queryAt === -1 ? '' : withoutHash.slice(queryAt + 1));
  params.set('lang', language);
  return `${path}?${params.toString()}`;
}

/**
 * `{{ labels.x | fill: name: recipientName, contact: contactHtml }}`: the label escaped, each
 * `{name}` replaced by its value — escaped, unless it is SafeHtml from `markup`/`fill`/`lines`.
 * A placeholder without a value is an error, so a label and its template cannot drift apart
 * (values a label does not use are allowed: one call can serve several labels).
 */
function fill(label: unknown, ...args: unknown[]): SafeHtml {
  if (typeof label !== 'string') throw new PageInputError(`fill needs a label text, got ${typeof label}`);
  const values = new Map<string, unknown>();
  for (const arg of args) {
    if (!Array.isArray(arg) || typeof arg[0] !== 'string')
      throw new PageInputError('fill takes named values only, e.g. fill: name: recipientName');
    values.set(arg[0], arg[1]);
  }
  const out = label.split(/(\{[a-zA-Z]+\})/).map((part) => {
    const name = /^\{([a-zA-Z]+)\}$/.exec(part)?.[1];
    if (name === undefined) return escapeHtml(part);
    if (!values.has(name)) throw new PageInputError(`label ${JSON.stringify(label)} needs {${name}}`);
    return escapeOutput(values.get(name));
  });
  return new SafeHtml(out.join(''));
}

/** Free text (several lines) escaped, its line breaks kept as <br>. */
function lines(text: unknown): SafeHtml {
  const normalised = String(text ?? '').replace(/\r\n?/g, '\n');
  return new SafeHtml(normalised.split('\n').map(escapeHtml).join('<br>\n'));
}

/**
 * `{% markup name %}<a href="mailto:{{ e }}">{{ e }}</a>{% endmarkup %}` renders its content (with
 * the engine's escaping) and stores it as SafeHtml in `name`, so a label can embed a link via
 * `fill` without any template ever producing unescaped data.
 */
class MarkupTag extends Tag {
  private readonly children: Template[] = [];
  private readonly variable: string;

  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid, parser: Parser) {
    super(token, remainTokens, liquid);
    const variable = token.args.trim();
    if (!/^[a-zA-Z][a-zA-Z0-9_]*$/.test(variable))
      throw new Error('{% markup %} needs the variable to store into, e.g. {% markup contactHtml %}');
    this.variable = variable;
    let closed = false;
    const stream = parser.parseStream(remainTokens);
    stream
      .on('tag:endmarkup', () => {
        closed = true;
        stream.stop();
      })
      .on<Template>('template', (child) => {
        this.children.push(child);
      })
      .on('end', () => {
        if (!closed) throw new Error('{% markup %} is not closed with {% endmarkup %}');
      });
    stream.start();
  }

  *render(ctx: Context, _emitter: Emitter): Generator<unknown, void, unknown> {
    const content = (yield this.liquid.renderer.renderTemplates(this.children, ctx)) as string;
    ctx.bottom()[this.variable] = new SafeHtml(content.trim());
  }
}

function createLiquid(templates: Record<string, string>): Liquid {
  const liquid = new Liquid({
    templates,
    cache: true,
    // As in the emails: a misspelt variable or filter is an error, not a page with a gap.
    strictVariables: true,
    strictFilters: true,
    // `{% if proposal %}` on data that may leave a key out is a test, not an error.
    lenientIf: true,
    ownPropertyOnly: true,
    outputEscape: escapeOutput,
  });
  // `raw` would let data through unescaped; markup is written in templates, not passed as data.
  liquid.registerFilter('raw', () => {
    throw new PageInputError('the raw filter is disabled in pages: write markup in the template');
  });
  liquid.registerFilter('fill', fill);
  liquid.registerFilter('lines', lines);
  liquid.registerFilter('with_lang', (url: unknown, language: unknown) => {
    if (typeof url !== 'string' || !isLanguage(language))
      throw new PageInputError('with_lang needs a URL and a language');
    return withLanguage(url, language);
  });
  // YYYY-MM-DD → "1. juni 2026" / "1 June 2026"; `format_date: "weekday"` adds the weekday.
  liquid.registerFilter(
    'format_date',
    function (this: { context: Context }, value: unknown, style?: unknown) {
      if (typeof value !== 'string') throw new PageInputError('format_date needs a YYYY-MM-DD date');
      return formatDate(value, languageOf(this.context), { weekday: style === 'weekday' });
    },
  );
  // Integer øre (decimal string or integer) → "125.000,00 kr." / "DKK 125,000.00".
  liquid.registerFilter('format_oere', function (this: { context: Context }, value: unknown) {
    if (typeof value !== 'string' && !(typeof value === 'number' && Number.isSafeInteger(value)))
      throw new PageInputError('format_oere needs integer øre');
    return formatOere(String(value), languageOf(this.context));
  });
  liquid.registerTag('markup', MarkupTag);
  return liquid;
}

// ---------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------

function* filesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else yield path;
  }
}

function readJson(path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new PageInputError(`page labels ${path}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new PageInputError(`page labels ${path} must be a JSON object`);
  return parsed as Record<string, unknown>;
}

/** The key paths of a labels object (arrays are leaves: languages may use more or fewer sentences). */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keyPaths(inner, prefix ? `${prefix}.${key}` : key));
}

/** Every language must have the same words: a key missing in one language is a load error. */
function checkSameKeys(what: string, byLanguage: Record<Language, Record<string, unknown>>): void {
  const [first, ...rest] = LANGUAGES;
  if (!first) return;
  const expected = new Set(keyPaths(byLanguage[first]));
  for (const language of rest) {
    const actual = new Set(keyPaths(byLanguage[language]));
    const missing = [...expected].filter((k) => !actual.has(k));
    const extra = [...actual].filter((k) => !expected.has(k));
    if (missing.length > 0 || extra.length > 0)
      throw new PageInputError(
        `${what}: ${language} differs from ${first} (missing: ${missing.join(', ') || 'none'}; extra: ${extra.join(', ') || 'none'})`,
      );
  }
}

function mergeLabels(what: string, ...layers: Record<string, unknown>[]): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      if (key in merged) throw new PageInputError(`${what}: label ${key} is defined twice`);
      merged[key] = value;
    }
  }
  return merged;
}

/** `'sha256-…'` of a style block, a complete CSP source (quotes included). */
export function styleHash(css: string): string {
  return `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;
}

function headersFor(stylesheet: string): Readonly<Record<string, string>> {
  return Object.freeze({
    // Nothing but the page's own style block; forms post to this origin only. Inline SVG
    // (charts) is markup and needs no source; its presentation attributes are not styles.
    'content-security-policy': `default-src 'none'; style-src ${styleHash(stylesheet)}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
  });
}

let loaded: PageEngine | null = null;

/**
 * Reads every template, stylesheet and label file once and checks them: every template parses
 * (the error names the file and line), every page folder has labels in every language with the
 * same keys, and no label is defined twice. Call it at start-up so a broken page fails there.
 */
export function loadPageEngine(dir: string = TEMPLATE_DIR): PageEngine {
  if (dir === TEMPLATE_DIR && loaded) return loaded;
  if (!existsSync(dir)) throw new PageInputError(`page templates not found in ${dir}`);
  const templates: Record<string, string> = {};
  const folderNames = new Set<string>();
  for (const path of filesUnder(dir)) {
    const name = relative(dir, path).split(sep).join('/');
    if (name.endsWith('.liquid')) templates[name.replace(/\.liquid$/, '')] = readFileSync(path, 'utf8');
    const folder = name.includes('/') ? name.slice(0, name.indexOf('/')) : null;
    if (folder) folderNames.add(folder);
  }
  if (templates.layout === undefined) throw new PageInputError(`page layout ${dir}layout.liquid is missing`);
  const liquid = createLiquid(templates);
  for (const [name, source] of Object.entries(templates)) {
    try {
      liquid.parse(source, name);
    } catch (error) {
      throw new PageInputError(`page template ${name}.liquid: ${(error as Error).message}`);
    }
  }

  const emailLabels = loadEmailEngine().labels;
  const common = {} as Record<Language, Record<string, unknown>>;
  for (const language of LANGUAGES) common[language] = readJson(join(dir, `labels.${language}.json`));
  checkSameKeys('labels.<language>.json', common);
  const baseCss = readFileSync(join(dir, 'pages.css'), 'utf8');

  const folders = new Map<string, PageFolder>();
  for (const folder of folderNames) {
    const own = {} as Record<Language, Record<string, unknown>>;
    for (const language of LANGUAGES) {
      const path = join(dir, folder, `labels.${language}.json`);
      if (!existsSync(path)) throw new PageInputError(`page ${folder} has no labels.${language}.json`);
      own[language] = readJson(path);
    }
    checkSameKeys(`${folder}/labels.<language>.json`, own);
    const labels = {} as Record<Language, Record<string, unknown>>;
    for (const language of LANGUAGES) {
      labels[language] = mergeLabels(
        `page ${folder} (${language})`,
        emailLabels[language] as unknown as Record<string, unknown>,
        common[language],
        own[language],
      );
    }
    const ownCssPath = join(dir, folder, 'page.css');
    const stylesheet = existsSync(ownCssPath) ? `${baseCss}${readFileSync(ownCssPath, 'utf8')}` : baseCss;
    folders.set(folder, { labels, stylesheet, headers: headersFor(stylesheet) });
  }
  const engine: PageEngine = { liquid, folders, templates: new Set(Object.keys(templates)) };
  if (dir === TEMPLATE_DIR) loaded = engine;
  return engine;
}

/** `settlement` → `settlement/page`; `reply/status` stays. Partials (`_x`) are not pages. */
function resolveName(name: string): { folder: string; template: string } {
  if (typeof name !== 'string' || !/^[a-z0-9-]+(\/[a-z0-9-]+)?$/.test(name))
    throw new PageInputError(`unknown page ${JSON.stringify(name)}`);
  const [folder = '', view = 'page'] = name.split('/');
  return { folder, template: `${folder}/${view}` };
}

function folderOf(engine: PageEngine, name: string): { folder: PageFolder; template: string } {
  const { folder, template } = resolveName(name);
  const found = engine.folders.get(folder);
  if (!found || !engine.templates.has(template))
    throw new PageInputError(`unknown page ${JSON.stringify(name)}`);
  return { folder: found, template };
}

/**
 * Renders page `name` (`<folder>` for `templates/<folder>/page.liquid`, or `<folder>/<view>`)
 * in `language` with `data`, and returns the HTML and the headers to send it with.
 *
 * The template sees `data`'s keys, plus `language`, `labels` (see above) and `stylesheet`.
 * Throws PageInputError for an unknown page or language, and for data the template cannot be
 * rendered from (a missing variable, a bad date); never for what the data says.
 */
export function renderPage(
  name: string,
  language: Language,
  data: PageData,
  engine: PageEngine = loadPageEngine(),
): RenderedPage {
  if (!isLanguage(language)) throw new PageInputError(`unknown language ${JSON.stringify(language)}`);
  if (typeof data !== 'object' || data === null) throw new PageInputError('page data must be an object');
  const { folder, template } = folderOf(engine, name);
  for (const reserved of ['language', 'labels', 'stylesheet'])
    if (reserved in data) throw new PageInputError(`page data may not set ${reserved}`);
  let html: string;
  try {
    html = engine.liquid.renderFileSync(template, {
      ...data,
      language,
      labels: folder.labels[language],
      // The stylesheet is a file of this library, never data, so it is inserted verbatim and
      // stays byte-identical to what the CSP hash is computed from.
      stylesheet: new SafeHtml(folder.stylesheet),
    }) as string;
  } catch (error) {
    if (error instanceof PageInputError) throw error;
    const cause = (error as { originalError?: unknown }).originalError;
    if (cause instanceof PageInputError) throw cause;
    throw new PageInputError(`page ${name}: ${(error as Error).message}`);
  }
  return { html, headers: folder.headers };
}

/** The headers of every page in `folder` (its CSP carries the folder's stylesheet hash). */
export function pageHeaders(
  folder: string,
  engine: PageEngine = loadPageEngine(),
): Readonly<Record<string, string>> {
  const found = engine.folders.get(folder);
  if (!found) throw new PageInputError(`unknown page folder ${JSON.stringify(folder)}`);
  return found.headers;
}

/** The CSP source (`'sha256-…'`) of the style block of every page in `folder`. */
export function pageStyleHash(folder: string, engine: PageEngine = loadPageEngine()): string {
  const found = engine.folders.get(folder);
  if (!found) throw new PageInputError(`unknown page folder ${JSON.stringify(folder)}`);
  return styleHash(found.stylesheet);
}
