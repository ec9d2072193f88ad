import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { AuthenticatedUser, UserRole } from '@snitflow/auth';
import type { FastifyRequest } from 'fastify';

/** The GraphQL context every resolver sees. */
export interface RequestContext {
  request: FastifyRequest & { user?: AuthenticatedUser };
}

export const IS_PUBLIC = 'snitflow:public';
export const ROLES = 'snitflow:roles';

/** Opens a route or resolver to callers without a token (health checks only). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Restricts a resolver to these roles; without it any authenticated user may call. */
export const Roles = (...roles: UserRole[]) => SetMetadata(ROLES, roles);

export function requestOf(context: ExecutionContext): RequestContext['request'] {
  if (context.getType<string>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<RequestContext>().request;
  }
  return context.switchToHttp().getRequest<RequestContext['request']>();
}

export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedUser => {
    const user = requestOf(context).user;
    // The global guard runs first and has set the user on every non-public route.
    if (!user) throw new Error('CurrentUser used on a route without authentication');
    return user;
  },
);
