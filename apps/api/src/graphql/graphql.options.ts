import type { MercuriusDriverConfig } from '@nestjs/mercurius';
import { MercuriusDriver } from '@nestjs/mercurius';
import type { AppConfig } from '@snitflow/config';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import type { RequestContext } from '../auth/current-user.js';
import { createErrorFormatter } from './error-formatter.js';
import {
  aliasLimitRule,
  MAX_ALIASES,
  MAX_PAGE_SIZE,
  MAX_QUERY_DEPTH,
  pageSizeLimitRule,
} from './query-limits.js';

/**
 * Mercurius on Fastify (chosen by measurement, see README). Abusive documents
 * are refused in validation, before any resolver runs.
 */
export function graphqlOptions(config: AppConfig): MercuriusDriverConfig {
  const production = config.NODE_ENV === 'production';
  const validationRules = [aliasLimitRule(MAX_ALIASES), pageSizeLimitRule(MAX_PAGE_SIZE)];
  if (production) validationRules.push(NoSchemaIntrospectionCustomRule);
  return {
    driver: MercuriusDriver,
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    graphiql: false,
    queryDepth: MAX_QUERY_DEPTH,
    allowBatchedQueries: false,
    // No graphql-jit (mercurius `jit`): measured ~10% faster here, but it ignores default
    // values of input fields (SubmitRequestInput.firmness), which the tests caught.
    validationRules,
    errorFormatter: createErrorFormatter({ hideSuggestions: production }),
    context: (request: FastifyRequest, _reply: FastifyReply): RequestContext => ({ request }),
    buildSchemaOptions: { dateScalarMode: 'isoDate', numberScalarMode: 'integer' },
  };
}
