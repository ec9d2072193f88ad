import { isInfrastructureError } from '@snitflow/common';

/** An error as node-postgres raises it: an Error with the SQLSTATE in `code`. */
function pgError(code: string, message = 'server said no'): Error {
  return Object.assign(new Error(message), { code });
}

/** TypeORM's QueryFailedError carries the driver's error as `driverError`. */
function queryFailed(driverError: unknown): Error {
  return Object.assign(new Error('query failed'), { driverError });
}

// The one classifier serves the API (SERVICE_UNAVAILABLE instead of INTERNAL_SERVER_ERROR) and
// the worker (wait without using an attempt); each row was an answer of one of the two
// classifiers it replaced, or is a deliberate margin.
describe('isInfrastructureError', () => {
  it.each([
    ['a refused connection', pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a name that does not resolve for now', pgError('EAI_AGAIN')],
    ['a network out of reach', pgError('ENETUNREACH')],
    ['admin shutdown (57P01)', pgError('57P01')],
    ['cannot connect now (57P03)', pgError('57P03')],
    ['the database dropped (57P04)', pgError('57P04')],
    ['too many connections (53300)', pgError('53300')],
    ['disk full (53100)', pgError('53100')],
    ['a connection exception (08006)', pgError('08006')],
    [
      'a database refusing connections (55000 with its message)',
      pgError('55000', 'database "x" is not currently accepting connections'),
    ],
    ['node-postgres without a code', new Error('Connection terminated unexpectedly')],
    ['a database starting up', new Error('the database system is starting up')],
    ['a database in recovery', new Error('the database system is in recovery mode')],
    ['ioredis after the connection closed', new Error('Connection is closed.')],
    ['a QueryFailedError around a cut connection', queryFailed(pgError('57P01'))],
    ['a cause chain', new Error('claim failed', { cause: new Error('Connection terminated') })],
    ['a plain driver object with a code', { code: 'ECONNRESET' }],
    [
      'a dual-stack connect refused on every address',
      new AggregateError([pgError('ECONNREFUSED'), pgError('ECONNREFUSED')], 'connect failed'),
    ],
  ])('%s is one', (_name, error) => {
    expect(isInfrastructureError(error)).toBe(true);
  });

  it.each([
    ['a unique violation (23505)', pgError('23505', 'duplicate key value')],
    [
      'a query cancelled by a timeout (57014)',
      pgError('57014', 'canceling statement due to statement timeout'),
    ],
    ['55000 for a mistake in the statement', pgError('55000', 'currval of sequence "s" is not yet defined')],
    ['a QueryFailedError around a syntax error', queryFailed(pgError('42601'))],
    ['a programming error', new TypeError('x is not a function')],
    ['a thrown string', 'ECONNREFUSED'],
    ['null', null],
  ])('%s is not', (_name, error) => {
    expect(isInfrastructureError(error)).toBe(false);
  });

  it('looks only so deep into causes', () => {
    let error: Error = pgError('ECONNREFUSED');
    for (let level = 0; level < 5; level++) error = new Error(`level ${level}`, { cause: error });
    expect(isInfrastructureError(error)).toBe(false);
    expect(isInfrastructureError((error as { cause: Error }).cause)).toBe(true);
  });
});
