import { AsyncLocalStorage } from 'node:async_hooks';

interface RequestScope {
  requestId: string;
}

const scope = new AsyncLocalStorage<RequestScope>();

/**
 * Runs `work` with this request id in scope: log lines written inside carry it (the loggers'
 * mixin reads it), and jobs queued inside carry it in their data, so an operator can follow one
 * request from the API into the worker.
 */
export function runWithRequestId<T>(requestId: string, work: () => T): T {
  return scope.run({ requestId }, work);
}

/** The id of the request (or job) being served, when there is one. */
export function currentRequestId(): string | undefined {
  return scope.getStore()?.requestId;
}

/** For the loggers' mixin: `{ requestId }` inside a request's or job's scope, else nothing. */
export function requestIdLogFields(): { requestId?: string } {
  const requestId = currentRequestId();
  return requestId ? { requestId } : {};
}
