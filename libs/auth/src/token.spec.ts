import { InvalidTokenError, signToken, verifyToken } from '@snitflow/auth';
import { SignJWT } from 'jose';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const PROJECT_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('tokens', () => {
  it('round-trips a coordinator', async () => {
    const token = await signToken(SECRET, {
      subject: 'kc@kombit.example',
      role: 'coordinator',
      name: 'Karin',
    });
    await expect(verifyToken(SECRET, token)).resolves.toEqual({
      subject: 'kc@kombit.example',
      role: 'coordinator',
      projectId: null,
      name: 'Karin',
    });
  });

  it('binds a project user to its project', async () => {
    const token = await signToken(SECRET, { subject: 'p1', role: 'project', projectId: PROJECT_ID });
    expect((await verifyToken(SECRET, token)).projectId).toBe(PROJECT_ID);
    await expect(signToken(SECRET, { subject: 'p1', role: 'project' })).rejects.toThrow(
      /must name its project/,
    );
  });

  it('refuses a token signed with another secret, an expired one, one without expiry, and an unknown role', async () => {
    const other = await signToken(`${SECRET}-other`, { subject: 'x', role: 'admin' });
    await expect(verifyToken(SECRET, other)).rejects.toThrow(InvalidTokenError);

    const expired = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setIssuer('snitflow')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 10)
      .sign(new TextEncoder().encode(SECRET));
    await expect(verifyToken(SECRET, expired)).rejects.toThrow('token has expired');

    const superuser = await new SignJWT({ role: 'superuser' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setIssuer('snitflow')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(SECRET));
    await expect(verifyToken(SECRET, superuser)).rejects.toThrow(/role must be one of/);

    const forever = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setIssuer('snitflow')
      .sign(new TextEncoder().encode(SECRET));
    await expect(verifyToken(SECRET, forever)).rejects.toThrow(InvalidTokenError);
  });

  it('refuses the unsigned "none" algorithm', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ sub: 'x', role: 'admin', iss: 'snitflow' })).toString(
      'base64url',
    );
    await expect(verifyToken(SECRET, `${header}.${body}.`)).rejects.toThrow(InvalidTokenError);
  });
});
