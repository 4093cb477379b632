import { describe, expect, it } from 'vitest';
import { errorFromResponse, M365Error, readServiceError, scrubSecret } from '../../src/m365/errors';
import { OPERATIONS } from '../../src/m365/operations';

describe('errorFromResponse', () => {
  it('names the permission and the directory role on a 403', () => {
    const error = errorFromResponse('users.resetPassword', {
      status: 403,
      requestId: 'r-1',
      serviceCode: 'Authorization_RequestDenied',
      serviceMessage: 'Insufficient privileges to complete the operation.',
    });
    expect(error.code).toBe('PermissionDenied');
    expect(error.message).toContain('User-PasswordProfile.ReadWrite.All');
    expect(error.message).toContain('User Administrator');
    expect(error.remedy).toContain('User-PasswordProfile.ReadWrite.All');
    expect(error.requestId).toBe('r-1');
    expect(error.operation).toBe('users.resetPassword');
  });

  it('tells to reset on-premises for a synced user', () => {
    const error = errorFromResponse('users.resetPassword', {
      status: 400,
      serviceMessage:
        'Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.',
    });
    expect(error.code).toBe('SyncedUserReadOnly');
    expect(error.remedy).toMatch(/on-premises/);
    expect(error.remedy).toMatch(/Entra Connect/);
  });

  it('tells to change the default method first', () => {
    const error = errorFromResponse('authMethods.deleteMethod', {
      status: 400,
      serviceMessage: 'The default authentication method cannot be deleted.',
    });
    expect(error.code).toBe('DefaultMethodInUse');
    expect(error.remedy).toMatch(/default sign-in method first/);
  });

  it.each([
    [404, 'NotFound'],
    [401, 'Unauthenticated'],
    [424, 'FailedDependency'],
    [429, 'Throttled'],
    [503, 'ServiceUnavailable'],
    [504, 'ServiceUnavailable'],
    [400, 'BadRequest'],
    [500, 'Unknown'],
  ] as const)('maps %i to %s', (status, code) => {
    expect(errorFromResponse('users.getUser', { status }).code).toBe(code);
  });

  it('explains a missing licence for Identity Protection', () => {
    const error = errorFromResponse('identityProtection.confirmCompromised', {
      status: 403,
      serviceMessage: 'Your tenant is not licensed for this feature.',
    });
    expect(error.remedy).toMatch(/Entra ID P2/);
  });

  it('reads the OData error body', () => {
    expect(
      readServiceError({
        error: { code: 'Request_ResourceNotFound', message: 'gone', innerError: { 'request-id': 'abc' } },
      }),
    ).toEqual({ code: 'Request_ResourceNotFound', message: 'gone', requestId: 'abc' });
    expect(readServiceError('nope')).toEqual({});
  });

  it('scrubs a secret that a service might echo', () => {
    const error = errorFromResponse('users.resetPassword', {
      status: 400,
      serviceMessage: 'bad value Hunter2!xyz',
    });
    const scrubbed = scrubSecret(error, 'Hunter2!xyz');
    expect(scrubbed).toBeInstanceOf(M365Error);
    expect(scrubbed.message).not.toContain('Hunter2!xyz');
    expect(scrubbed.message).toContain('[redacted]');
  });

  it('has a permission and a withheld behaviour for every operation', () => {
    for (const [name, info] of Object.entries(OPERATIONS)) {
      expect(info.permissions.length, name).toBeGreaterThan(0);
      expect(info.whenWithheld.length, name).toBeGreaterThan(0);
    }
  });
});
