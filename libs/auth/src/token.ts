import { textProblem } from '@snitflow/common';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';

export const USER_ROLES = ['coordinator', 'project', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** Who is calling, as proven by a bearer token. */
export interface AuthenticatedUser {
  subject: string;
  role: UserRole;
  /** Set exactly when role is `project`: the one project this user acts for. */
  projectId: string | null;
  name: string | null;
}

export class InvalidTokenError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'InvalidTokenError';
  }
}

const ISSUER = 'snitflow';
const ALGORITHM = 'HS256';
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const keyFor = (secret: string): Uint8Array => new TextEncoder().encode(secret);

export interface TokenRequest {
  subject: string;
  role: UserRole;
  projectId?: string | null;
  name?: string | null;
  /** e.g. '8h', '30d'; jose's duration syntax. */
  expiresIn?: string;
}

export async function signToken(secret: string, request: TokenRequest): Promise<string> {
  const user = toUser({
    sub: request.subject,
    role: request.role,
    projectId: request.projectId ?? null,
    name: request.name ?? null,
  });
  return new SignJWT({ role: user.role, projectId: user.projectId, name: user.name })
    .setProtectedHeader({ alg: ALGORITHM })
    .setSubject(user.subject)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(request.expiresIn ?? '8h')
    .sign(keyFor(secret));
}

export async function verifyToken(secret: string, token: string): Promise<AuthenticatedUser> {
  try {
    const { payload } = await jwtVerify(token, keyFor(secret), {
      issuer: ISSUER,
      algorithms: [ALGORITHM],
      // A token without an expiry would be valid forever.
      requiredClaims: ['exp'],
    });
    return toUser(payload);
  } catch (error) {
    if (error instanceof InvalidTokenError) throw error;
    if (error instanceof joseErrors.JWTExpired) throw new InvalidTokenError('token has expired');
    throw new InvalidTokenError('token is not valid');
  }
}

/** Checks the claims' shape: a project user without its project is refused, not guessed. */
function toUser(claims: Record<string, unknown>): AuthenticatedUser {
  const { sub, role, projectId, name } = claims;
  if (typeof sub !== 'string' || sub.length === 0) throw new InvalidTokenError('token has no subject');
  // The subject and name are written as the actor of every change (order_event.actor_id, …):
  // text PostgreSQL cannot store would fail each write as an internal error instead.
  if (textProblem(sub) || (typeof name === 'string' && textProblem(name))) {
    throw new InvalidTokenError(
      'token is refused: its subject or name contains a NUL character or a lone surrogate',
    );
  }
  if (typeof role !== 'string' || !(USER_ROLES as readonly string[]).includes(role)) {
    throw new InvalidTokenError(`token is refused: its role must be one of ${USER_ROLES.join(', ')}`);
  }
  const typedRole = role as UserRole;
  if (typedRole === 'project') {
    if (typeof projectId !== 'string' || !UUID_PATTERN.test(projectId)) {
      throw new InvalidTokenError('token is refused: a project token must name its project id (a UUID)');
    }
  } else if (projectId != null) {
    throw new InvalidTokenError('token is refused: only project tokens are bound to a project');
  }
  return {
    subject: sub,
    role: typedRole,
    projectId: typedRole === 'project' ? (projectId as string).toLowerCase() : null,
    name: typeof name === 'string' ? name : null,
  };
}
