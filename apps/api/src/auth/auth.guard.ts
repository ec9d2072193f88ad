import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type AuthenticatedUser, InvalidTokenError, type UserRole, verifyToken } from '@snitflow/auth';
import { ErrorCode, forbidden, SnitflowError } from '@snitflow/common';
import { APP_CONFIG, type AppConfig } from '@snitflow/config';
import { IS_PUBLIC, ROLES, requestOf } from './current-user.js';

/**
 * Global guard: every resolver and route needs a valid bearer token unless
 * marked @Public(), and a role from @Roles() when it names any.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // Verifying an HMAC signature costs more than the rest of a small mutation; a token
  // already verified is trusted again until it expires. Bounded so it cannot grow unchecked.
  private readonly verifiedTokens = new Map<string, { user: AuthenticatedUser; expiresAt: number }>();
  private static readonly CACHE_SIZE = 1000;

  private async verified(token: string): Promise<AuthenticatedUser> {
    const cached = this.verifiedTokens.get(token);
    if (cached && cached.expiresAt > Date.now()) return cached.user;
    const user = await verifyToken(this.config.JWT_SECRET, token);
    if (this.verifiedTokens.size >= AuthGuard.CACHE_SIZE) this.verifiedTokens.clear();
    this.verifiedTokens.set(token, { user, expiresAt: tokenExpiry(token) });
    return user;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = requestOf(context);
    if (!request.user) {
      const header = request.headers.authorization;
      const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
      if (!match?.[1]) {
        throw new SnitflowError(
          ErrorCode.UNAUTHENTICATED,
          'Send a bearer token: Authorization: Bearer <token>',
        );
      }
      try {
        request.user = await this.verified(match[1]);
      } catch (error) {
        if (error instanceof InvalidTokenError) {
          throw new SnitflowError(ErrorCode.UNAUTHENTICATED, `The bearer ${error.message}`);
        }
        throw error;
      }
    }

    const roles = this.reflector.getAllAndOverride<UserRole[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(request.user.role)) {
      throw forbidden(`This needs the role ${roles.join(' or ')}; you are ${request.user.role}`);
    }
    return true;
  }
}

/** The token's exp claim in ms (its signature was verified just before); 0 when absent. */
function tokenExpiry(token: string): number {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : 0;
  } catch {
    return 0;
  }
}
