// Server-rendered web pages (LiquidJS templates under ../templates, shared layout, stylesheet
// and labels, CSP-safe). See page-engine.ts for the template conventions and README "Web pages".
export { PageInputError } from './errors.js';
export {
  loadPageEngine,
  type PageData,
  type PageEngine,
  pageHeaders,
  pageStyleHash,
  type RenderedPage,
  renderPage,
  styleHash,
  withLanguage,
} from './page-engine.js';
export {
  REPLY_STATUS_HTTP,
  REPLY_STATUS_KINDS,
  type ReplyPageView,
  type ReplyStatusKind,
  renderReplyPage,
  renderReplyStatusPage,
  replyPageHeaders,
  replyPageLabel,
  replyPageStyleHash,
} from './reply-pages.js';
