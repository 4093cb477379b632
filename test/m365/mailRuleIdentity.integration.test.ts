import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityFromPath } from '../../src/m365/mailRulesClient';
import { defaultFixturePath, loadFixtureFile } from '../../src/simulator/fixture';
import type { Fixture } from '../../src/simulator/fixture';
import { startSimulatedTenant } from '../../src/simulator';
import type { SimulatedTenant } from '../../src/simulator';
import { folderPath } from '../../src/remediation/rules/folders';
import { ids, MEGAN, servicesFor, startTenant } from './support';

/**
 * Megan's mailbox in Norwegian, with Deleted Items renamed to a word no name list knows: only
 * the folder's identity can tell where her rules put mail.
 */
function norwegianFixture(): Fixture {
  const fixture = loadFixtureFile(defaultFixturePath);
  const mailbox = fixture.mailboxes.find((box) => box.userId === ids.megan);
  if (!mailbox) throw new Error('no mailbox');
  const rename: Record<string, string> = {
    inbox: 'Innboks',
    deleteditems: 'Papirkurven',
    archive: 'Arkiv',
    junkemail: 'Søppelpost',
  };
  for (const folder of mailbox.folders) {
    const name = folder.wellKnownName === null ? undefined : rename[folder.wellKnownName];
    if (name) folder.displayName = name;
  }
  const deleted = mailbox.folders.find((folder) => folder.wellKnownName === 'deleteditems');
  if (!deleted) throw new Error('no deleted items');
  const old = {
    ...deleted,
    id: `${deleted.id}-old`,
    displayName: 'Gammelt',
    wellKnownName: null,
    parentFolderId: deleted.id,
  };
  mailbox.folders.push(old);
  const base = mailbox.inboxRules[0];
  if (!base) throw new Error('no rule');
  mailbox.inboxRules.push(
    {
      ...structuredClone(base),
      ruleIdentity: '1000000000000000001',
      graphId: undefined,
      name: 'Regel 1',
      priority: 20,
      hidden: false,
      conditions: {
        ...base.conditions,
        subjectContains: ['faktura'],
        headerContains: ['X-Mailer'],
        messageTypes: [],
      },
      exceptions: {
        subjectContains: ['kvittering'],
        bodyContains: [],
        subjectOrBodyContains: [],
        senderContains: [],
        fromAddresses: [],
        headerContains: [],
        messageTypes: ['AutomaticReply'],
      },
      actions: {
        ...base.actions,
        forwardTo: [],
        forwardAsAttachmentTo: [],
        moveToFolder: deleted.id,
        copyToFolder: old.id,
      },
    },
    {
      ...structuredClone(base),
      ruleIdentity: '1000000000000000002',
      graphId: undefined,
      name: 'Regel 2',
      priority: 21,
      hidden: false,
      conditions: { ...base.conditions, messageTypes: ['NonDeliveryReport'] },
      exceptions: null,
      actions: { ...base.actions, forwardTo: [], forwardAsAttachmentTo: [], moveToFolder: old.id },
    },
  );
  // The Graph ids are derived at load: load the changed fixture through the same parser.
  return JSON.parse(JSON.stringify(fixture)) as Fixture;
}

let tenant: SimulatedTenant;

beforeAll(async () => {
  const fixture = norwegianFixture();
  for (const mailbox of fixture.mailboxes) for (const rule of mailbox.inboxRules) delete rule.graphId;
  tenant = await startSimulatedTenant({ port: 0, host: '127.0.0.1', fixture });
});
afterAll(() => tenant.close());

describe('rule target folders by identity, in any mailbox language', () => {
  it('Graph: resolves folder ids to display names and well-known identity, exceptions and copies included', async () => {
    const services = servicesFor(tenant);
    const rules = await services.mailRules.listInboxRules(ids.megan);
    const first = rules.find((rule) => rule.name === 'Regel 1');
    expect(first?.actions.moveToFolder).toBe('Papirkurven');
    expect(first?.actions.moveToFolderIdentity).toEqual({ wellKnownName: 'deleteditems' });
    expect(first?.actions.copyToFolder).toBe('Gammelt');
    expect(first?.actions.copyToFolderIdentity).toEqual({ within: 'deleteditems' });
    expect(first?.conditions.headerContains).toEqual(['X-Mailer']);
    expect(first?.exceptions).toMatchObject({
      subjectContains: ['kvittering'],
      messageTypes: ['AutomaticReply'],
    });
    const second = rules.find((rule) => rule.name === 'Regel 2');
    expect(second?.conditions.messageTypes).toEqual(['NonDeliveryReport']);
    expect(second?.actions.moveToFolderIdentity).toEqual({ within: 'deleteditems' });
    const newsletters = rules.find((rule) => rule.name === 'Newsletters');
    expect(newsletters?.actions.moveToFolderIdentity).toEqual({ within: 'msgfolderroot' });
  });

  it('Exchange: reads paths, ExceptIf… and CopyToFolder; the well-known folders place the paths', async () => {
    const services = servicesFor(tenant);
    const rules = await services.exchange.listInboxRules(MEGAN, { includeHidden: true });
    const first = rules.find((rule) => rule.name === 'Regel 1');
    expect(first?.actions.moveToFolder).toBe('Papirkurven');
    expect(first?.actions.copyToFolder).toBe('Papirkurven\\Gammelt');
    expect(first?.exceptions).toMatchObject({
      subjectContains: ['kvittering'],
      messageTypes: ['AutomaticReply'],
    });
    const wellKnown = await services.mailRules.listWellKnownFolders(ids.megan);
    expect(wellKnown.find((folder) => folder.wellKnownName === 'deleteditems')?.displayName).toBe(
      'Papirkurven',
    );
    expect(identityFromPath(folderPath(first?.actions.moveToFolder ?? ''), wellKnown)).toEqual({
      wellKnownName: 'deleteditems',
    });
    expect(identityFromPath(folderPath(first?.actions.copyToFolder ?? ''), wellKnown)).toEqual({
      within: 'deleteditems',
    });
    expect(identityFromPath(['Newsletters'], wellKnown)).toEqual({ within: 'msgfolderroot' });
  });

  it("reads the tenant's accepted domains", async () => {
    const services = servicesFor(tenant);
    expect(await services.mailRules.listTenantDomains()).toEqual([
      'contoso.com',
      'contoso.no',
      'contoso.onmicrosoft.com',
    ]);
  });
});

describe('without Domain.Read.All', () => {
  it('says which permission is missing', async () => {
    const withheld = await startTenant({ withheldPermissions: ['Domain.Read.All'] });
    try {
      await expect(servicesFor(withheld).mailRules.listTenantDomains()).rejects.toMatchObject({
        code: 'PermissionDenied',
      });
    } finally {
      await withheld.close();
    }
  });
});
