import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './own-redis.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/**
 * The built API and worker, run as processes of their own with the test's
 * environment (database, Redis prefix, SMTP server), as `npm start` and a
 * deployment run them.
 */
export class BuiltProcesses {
  private readonly children: ChildProcess[] = [];

  /** Inside the repository, so the built code resolves node_modules as dist/ does. */
  constructor(readonly folder: string) {}

  build(): void {
    execFileSync(process.execPath, ['scripts/build.mjs', '--out', this.folder], {
      cwd: ROOT,
      stdio: 'ignore',
    });
  }

  /** An API process on a free port; resolves with its URL once /health/ready answers 200. */
  async api(env: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess }> {
    const port = await freePort();
    const child = this.spawn('apps/api/src/main.js', { PORT: String(port), ...env });
    const url = `http://127.0.0.1:${port}`;
    await this.ready(url, child);
    return { url, child };
  }

  /** A worker process with its health port; resolves once it is ready. */
  async worker(env: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess }> {
    const port = await freePort();
    const child = this.spawn('apps/worker/src/main.js', { WORKER_HEALTH_PORT: String(port), ...env });
    const url = `http://127.0.0.1:${port}`;
    await this.ready(url, child);
    return { url, child };
  }

  /** SIGKILL: nothing in the process can clean up. Resolves once it has exited. */
  async kill(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.children.map((child) => this.kill(child)));
    rmSync(this.folder, { recursive: true, force: true });
  }

  private spawn(entry: string, env: Record<string, string>): ChildProcess {
    const child = spawn(process.execPath, [join(this.folder, entry)], {
      env: { ...process.env, NODE_OPTIONS: '', LOG_LEVEL: 'silent', ...env },
      stdio: 'ignore',
    });
    this.children.push(child);
    return child;
  }

  private async ready(url: string, child: ChildProcess): Promise<void> {
    // Generous: on a loaded machine a cold Node + Nest start has taken more than 30 s.
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`process for ${url} exited with ${child.exitCode}`);
      try {
        if ((await fetch(`${url}/health/ready`)).status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${url} did not become ready`);
  }
}
