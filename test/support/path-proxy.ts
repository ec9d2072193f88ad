import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A reverse proxy in front of the API that serves it under a path prefix, like an nginx
 * `location /snitflow/ { proxy_pass http://api/; }`: requests under the prefix are forwarded
 * (with the prefix stripped, or kept when `stripPrefix` is false), everything else is 404 here
 * and never reaches the API. Responses (status, headers, body, redirects) pass through as is.
 */
export class PathProxy {
  private server: Server | null = null;
  upstream = '';
  port = 0;
  /** Paths the proxy refused because they were not under the prefix. */
  readonly refused: string[] = [];

  constructor(
    readonly prefix: string,
    readonly options: { stripPrefix: boolean } = { stripPrefix: true },
  ) {}

  /** Listens first, so PUBLIC_BASE_URL can name the proxy's port before the API starts. */
  async listen(): Promise<void> {
    this.server = createServer((incoming, outgoing) => {
      const url = incoming.url ?? '/';
      if (!(url === this.prefix || url.startsWith(`${this.prefix}/`) || url.startsWith(`${this.prefix}?`))) {
        this.refused.push(`${incoming.method} ${url}`);
        outgoing.writeHead(404, { 'content-type': 'text/plain' }).end('not under the proxy prefix');
        return;
      }
      const path = this.options.stripPrefix ? url.slice(this.prefix.length) || '/' : url;
      const target = new URL(this.upstream);
      const forwarded = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: incoming.method,
          path: path.startsWith('?') ? `/${path}` : path,
          headers: { ...incoming.headers, host: target.host, 'x-forwarded-prefix': this.prefix },
        },
        (response) => {
          outgoing.writeHead(response.statusCode ?? 502, response.headers);
          response.pipe(outgoing);
        },
      );
      forwarded.on('error', () => outgoing.writeHead(502).end());
      incoming.pipe(forwarded);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** The public base URL of the API behind this proxy, e.g. `http://127.0.0.1:4711/snitflow`. */
  get publicBaseUrl(): string {
    return `http://127.0.0.1:${this.port}${this.prefix}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
