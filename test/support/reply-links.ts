import { ReplyLinks } from '@snitflow/orders';
import type { ApiHarness } from './api-harness.js';

/** The reply URLs of an order's active links, rebuilt as the email sender does. */
export async function activeLinks(
  api: ApiHarness,
  orderId: string,
): Promise<{ url: string; path: string; email: string }[]> {
  const links = api.app.get(ReplyLinks);
  const rows = await api.db.query<{ id: string; email: string }>(
    `SELECT l.id, c.email FROM reply_link l JOIN supplier_contact c ON c.id = l.contact_id
      WHERE l.order_id = $1 AND l.status = 'ACTIVE' ORDER BY c.email`,
    [orderId],
  );
  return rows.rows.map((row) => {
    const url = links.urlFor(row.id);
    return { url, path: new URL(url).pathname, email: row.email };
  });
}

/** The CSRF token of a reply page's form. */
export function csrfOf(html: string): string {
  const match = /name="csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no csrf field on the page');
  return match[1];
}

/** Submits the reply form as a browser would. */
export async function postReplyForm(
  api: ApiHarness,
  path: string,
  fields: Record<string, string>,
): Promise<{ status: number; html: string; headers: Headers }> {
  const response = await fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: response.status, html: await response.text(), headers: response.headers };
}
