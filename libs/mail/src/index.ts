// The pure mail library: rendering of emails (Liquid templates in ../templates/email), reply-link
// tokens and the reply form's parsing, and the formatting and escaping that libs/pages shares.
// The reply page itself is a web page and lives in libs/pages. Sending, storage and HTTP live
// elsewhere.
export { formatDate, isIsoDate } from './dates.js';
export { type EmailEngine, loadEmailEngine } from './email-engine.js';
export { MailInputError } from './errors.js';
export { escapeHtml, SafeHtml } from './html.js';
export {
  awayUntil,
  base32,
  bounceLocalPart,
  classifyInbound,
  type DeliveryFailure,
  deliveryFailure,
  firstAddress,
  type InboundAddress,
  type InboundKind,
  newReplyText,
  parseInboundAddress,
  replyLocalPart,
} from './inbound.js';
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
  csrfTokenFor,
  hashReplyToken,
  isWellFormedReplyToken,
  verifyCsrfToken,
} from './reply-token.js';
export { cleanLine, cleanMultiline } from './text.js';
export {
  audienceOf,
  type EmailAudience,
  isLanguage,
  LANGUAGES,
  type Language,
  type OrderSummary,
  PROJECT_NOTICE_KINDS,
  type ProjectNotice,
  type ProjectNoticeChange,
  type ProjectNoticeKind,
  type ScopeObjection,
  SUPPLIER_EMAIL_KINDS,
  type SupplierEmailKind,
  type SupplierEmailNotice,
  type SupplierReplyKind,
  type Terms,
} from './types.js';
