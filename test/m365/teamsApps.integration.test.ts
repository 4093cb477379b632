import { describe, expect, it } from 'vitest';
import { isM365Error } from '../../src/m365';
import { ids, useSimulatedServices } from './support';

const sim = useSimulatedServices();
const catalogId = () => sim.tenant.state().app.teamsAppCatalogId;

describe('TeamsAppsClient over HTTP', () => {
  it('installs the app in a user personal scope once; a second install reports it was already there', async () => {
    const first = await sim.services.teamsApps.installForUser(ids.adele, catalogId());
    expect(first.alreadyInstalled).toBe(false);
    const again = await sim.services.teamsApps.installForUser(ids.adele, catalogId());
    expect(again.alreadyInstalled).toBe(true);
    const installs = sim.tenant.state().teamsAppInstallations.filter((entry) => entry.userId === ids.adele);
    expect(installs).toEqual([expect.objectContaining({ teamsAppId: catalogId() })]);
  });

  it("cannot install another app: the catalog id must be the app's own", async () => {
    const error = await sim.services.teamsApps
      .installForUser(ids.alex, '00000000-0000-4000-8000-000000000000')
      .catch((caught: unknown) => caught);
    expect(isM365Error(error) && error.code).toBe('NotFound');
    expect(sim.tenant.state().teamsAppInstallations).toEqual([]);
  });

  it('refuses a catalog id that is not a GUID before calling Graph', async () => {
    await expect(sim.services.teamsApps.installForUser(ids.alex, 'not-a-guid')).rejects.toMatchObject({
      code: 'BadRequest',
      status: 0,
    });
  });
});
