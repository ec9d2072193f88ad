import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

// No Docker engine runs here: the container files are read and checked for what can be
// checked without one, and against the README's Containers table.
const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  ports?: string[];
  expose?: string[];
  environment?: Record<string, string>;
  container_name?: string;
  pull_policy?: string;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const service = (name: string): Service => {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};

/** The Dockerfile's stages: FROM line and the instructions under it. */
function stages(): { from: string; name: string | null; lines: string[] }[] {
  const result: { from: string; name: string | null; lines: string[] }[] = [];
  for (const raw of read('Dockerfile').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?$/i.exec(line);
    if (from?.[1]) result.push({ from: from[1], name: from[2] ?? null, lines: [] });
    else result.at(-1)?.lines.push(line);
  }
  return result;
}

/** The compiled file a command runs must come from a source file of the repository. */
function sourceOf(compiled: string): string {
  return compiled.replace(/^dist\//, '').replace(/\.js$/, '.ts');
}

describe('Dockerfile', () => {
  const [build, runtime, ...others] = stages();

  it('builds once in a build stage and runs only the result in a second stage', () => {
    expect(others).toHaveLength(0);
    expect(build?.name).toBe('build');
    expect(build?.lines).toContain('RUN npm ci');
    expect(build?.lines.some((line) => /^RUN npm run build && npm prune --omit=dev$/.test(line))).toBe(true);
    expect(runtime?.from).toBe(build?.from);
    // Nothing is installed or compiled again at run time: it copies what the build made.
    expect(runtime?.lines.filter((line) => line.startsWith('RUN'))).toEqual([]);
    const copies = runtime?.lines.filter((line) => line.startsWith('COPY')) ?? [];
    expect(copies.length).toBeGreaterThan(0);
    expect(copies.every((line) => line.startsWith('COPY --from=build --chown=node:node '))).toBe(true);
    expect(copies.map((line) => line.split(/\s+/).at(-2))).toEqual([
      '/app/package.json',
      '/app/node_modules',
      '/app/dist',
    ]);
  });

  it('runs as the unprivileged node user, in production mode, the API by default', () => {
    expect(runtime?.lines).toContain('USER node');
    expect(runtime?.lines).toContain('ENV NODE_ENV=production');
    const cmd = runtime?.lines.find((line) => line.startsWith('CMD'));
    const command = JSON.parse(cmd?.slice(3).trim() ?? '[]') as string[];
    expect(command).toEqual(['node', 'dist/apps/api/src/main.js']);
    expect(existsSync(join(ROOT, sourceOf(command[1] ?? '')))).toBe(true);
    expect(runtime?.lines).toContain('EXPOSE 3000 3001');
  });

  it('keeps the local node_modules and dist out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.git']));
  });
});

describe('docker-compose.yml', () => {
  it('has api, a scalable worker, setup, postgres, redis and Mailpit', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'mailpit', 'postgres', 'redis', 'setup', 'worker']);
  });

  it('builds the image once and runs it as api, worker and setup by command', () => {
    const built = Object.entries(services).filter(([, s]) => s.build !== undefined);
    expect(built.map(([name]) => name)).toEqual(['api']);
    for (const name of ['api', 'worker', 'setup']) {
      expect(service(name).image).toBe(service('api').image);
      if (name !== 'api') expect(service(name).pull_policy).toBe('never');
    }
    expect(service('api').command).toEqual(['node', 'dist/apps/api/src/main.js']);
    expect(service('worker').command).toEqual(['node', 'dist/apps/worker/src/main.js']);
    expect(service('setup').command).toEqual(['node', 'dist/scripts/start.js', '--prepare-only']);
    for (const name of ['api', 'worker', 'setup']) {
      expect(existsSync(join(ROOT, sourceOf(service(name).command?.[1] ?? '')))).toBe(true);
    }
    expect(read('scripts/start.ts')).toContain("process.argv.includes('--prepare-only')");
  });

  it('runs Redis with the append-only file and noeviction', () => {
    const command = service('redis').command ?? [];
    const option = (name: string) => command[command.indexOf(name) + 1];
    expect(command[0]).toBe('redis-server');
    expect(option('--appendonly')).toBe('yes');
    expect(option('--maxmemory-policy')).toBe('noeviction');
    expect(command).not.toContain('--save');
  });

  it("checks health on each process's ready endpoint and port", () => {
    const environment = service('api').environment ?? {};
    expect(service('worker').environment).toEqual(environment);
    const probe = (name: string) => service(name).healthcheck?.test.join(' ') ?? '';
    expect(probe('api')).toContain(`http://127.0.0.1:${environment.PORT}/health/ready`);
    expect(probe('worker')).toContain(`http://127.0.0.1:${environment.WORKER_HEALTH_PORT}/health/ready`);
    expect(service('api').ports).toEqual([`${environment.PORT}:${environment.PORT}`]);
    // A worker with a host port or a fixed name could not be scaled.
    expect(service('worker').ports).toBeUndefined();
    expect(service('worker').container_name).toBeUndefined();
    expect(service('worker').expose).toEqual([environment.WORKER_HEALTH_PORT]);
    for (const name of ['api', 'worker']) {
      expect(service(name).depends_on?.setup).toEqual({ condition: 'service_completed_successfully' });
    }
    expect(service('setup').depends_on).toMatchObject({
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
    expect(environment).toMatchObject({ REDIS_URL: 'redis://redis:6379', SMTP_URL: 'smtp://mailpit:1025' });
  });
});

describe("the README's Containers table", () => {
  const section = read('README.md').split('### Containers')[1]?.split('\n## ')[0] ?? '';
  const rows = section
    .split('\n')
    .filter((line) => /^\| `[a-z]+` \|/.test(line))
    .map((line) => line.split('|').map((cell) => cell.trim()));

  it('names every service with its ports, and the commands it runs', () => {
    expect(rows.map((row) => row[1]?.replaceAll('`', '')).sort()).toEqual(Object.keys(services).sort());
    for (const row of rows) {
      const name = row[1]?.replaceAll('`', '') ?? '';
      const published = (service(name).ports ?? []).map((port) => port.split(':')[0]);
      expect({ name, ports: row[3] === '—' ? [] : (row[3] ?? '').split(', ') }).toEqual({
        name,
        ports: published,
      });
      const command = service(name).command;
      if (command?.[0] === 'node') expect(row[2]).toContain(`\`${command.join(' ')}\``);
    }
    expect(section).toContain('--scale worker=');
  });
});
