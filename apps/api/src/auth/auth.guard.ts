import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InvalidTokenError, type UserRole, verifyToken } from '@snitflow/auth';
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
        request.user = await verifyToken(this.config.JWT_SECRET, match[1]);
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
