import { parseArgs } from 'node:util';
import { signToken, USER_ROLES, type UserRole } from '@snitflow/auth';
import { loadConfig } from '@snitflow/config';

/**
 * `npm run token -- --role coordinator` or `--role project --project <uuid>`:
 * prints a bearer token signed with JWT_SECRET, for local use.
 */
const USAGE = `usage: npm run token -- --role ${USER_ROLES.join('|')} [--project <project uuid>] [--name "…"] [--subject <id>] [--expires 8h]`;

function options() {
  try {
    return parseArgs({
      options: {
        role: { type: 'string' },
        project: { type: 'string' },
        subject: { type: 'string' },
        name: { type: 'string' },
        expires: { type: 'string', default: '8h' },
      },
    }).values;
  } catch (error) {
    // An unknown option or a missing value: the usage line, not parseArgs's stack.
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}
const values = options();
const role = values.role as UserRole | undefined;
if (!role || !USER_ROLES.includes(role)) {
  console.error(USAGE);
  process.exit(2);
}
try {
  const token = await signToken(loadConfig().JWT_SECRET, {
    subject: values.subject ?? `local-${role}${values.project ? `-${values.project.slice(0, 8)}` : ''}`,
    role,
    projectId: values.project ?? null,
    name: values.name ?? null,
    expiresIn: values.expires,
  });
  console.log(token);
} catch (error) {
  console.error(`cannot make that token: ${(error as Error).message.replace(/^token is refused: /, '')}`);
  process.exit(2);
}
