// The pure mail library: rendering of emails (Liquid templates in ../templates/email) and of
// the supplier reply pages, reply-link tokens and the reply form's parsing. Sending, storage
// and HTTP live elsewhere.
export { formatDate, isIsoDate } from './dates.js';
export { type EmailEngine, loadEmailEngine } from './email-engine.js';
export { MailInputError } from './errors.js';
export { escapeHtml } from './html.js';
export { formatOere, type KronerParseError, parseKronerToOere } from './money.js';
export {
  EMAIL_TEMPLATES,
  type EmailData,
  type EmailTemplate,
  type RenderedEmail,
  renderEmail,
} from './render.js';
export {
  type ParseReplyFormOptions,
  parseReplyForm,
  REPLY_TEXT_MAX_LENGTH,
  type ReplyAnswer,
  type ReplyFormField,
  type ReplyFormResult,
  type ReplyFormValues,
} from './reply-form.js';
export {
  REPLY_PAGE_STYLE_HASH,
  REPLY_STATUS_HTTP,
  REPLY_STATUS_KINDS,
  type ReplyPageView,
  type ReplyStatusKind,
  renderReplyPage,
  renderReplyStatusPage,
} from './reply-page.js';
export {
  csrfTokenFor,
  hashReplyToken,
  isWellFormedReplyToken,
  verifyCsrfToken,
} from './reply-token.js';
export {
  audienceOf,
  type EmailAudience,
  isLanguage,
  LANGUAGES,
  type Language,
  type OrderSummary,
  PROJECT_NOTICE_KINDS,
  type ProjectNotice,
  type ProjectNoticeKind,
  type SupplierReplyKind,
  type Terms,
} from './types.js';
