import { parseArgs } from 'node:util';
import { signToken, USER_ROLES, type UserRole } from '@snitflow/auth';
import { loadConfig } from '@snitflow/config';

/**
 * `npm run token -- --role coordinator` or `--role project --project <uuid>`:
 * prints a bearer token signed with JWT_SECRET, for local use.
 */
const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    project: { type: 'string' },
    subject: { type: 'string' },
    name: { type: 'string' },
    expires: { type: 'string', default: '8h' },
  },
});
const role = values.role as UserRole | undefined;
if (!role || !USER_ROLES.includes(role)) {
  console.error(
    `usage: npm run token -- --role ${USER_ROLES.join('|')} [--project <project uuid>] [--name "…"]`,
  );
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
  console.error(`cannot make that token: ${(error as Error).message}`);
  process.exit(2);
}
