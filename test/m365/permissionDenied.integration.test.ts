import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedTenant } from '../../src/simulator';
import type { M365ServiceLayer } from '../../src/m365';
import { OPERATIONS } from '../../src/m365';
import { operationCalls } from './operationCalls';
import { ids, servicesFor, startTenant } from './support';

/** Every permission the service layer uses, so each call meets a 403. */
const ALL_PERMISSIONS = [
  ...new Set(Object.values(OPERATIONS).flatMap((info) => info.permissions.map((p) => p.split(' ')[0]!))),
];

let tenant: SimulatedTenant;
let services: M365ServiceLayer;

beforeAll(async () => {
  tenant = await startTenant({ withheldPermissions: ALL_PERMISSIONS });
  services = servicesFor(tenant);
});
afterAll(() => tenant.close());

describe('every operation without its permission', () => {
  it.each(operationCalls)(
    '%s fails with PermissionDenied naming %s',
    async (operation, permission, invoke) => {
      const error = await invoke(services).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'PermissionDenied', status: 403 });
      // listDelegates runs three cmdlets at once; whichever fails first names its own operation.
      if (!operation.startsWith('exchange.')) expect(error).toMatchObject({ operation });
      expect((error as Error).message).toContain(permission);
      expect((error as { remedy: string }).remedy).toContain(permission);
    },
  );
});

describe('directory roles on the app', () => {
  it('names Privileged Authentication Administrator when resetting an admin without it', async () => {
    const limited = await startTenant({ directoryRoles: ['User Administrator', 'Exchange Administrator'] });
    try {
      const error = await servicesFor(limited)
        .users.resetPassword(ids.megan, 'Kx9!mq2#Lw7$Zp4v', true)
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'PermissionDenied' });
      expect((error as Error).message).toContain('Privileged Authentication Administrator');
    } finally {
      await limited.close();
    }
  });
});
