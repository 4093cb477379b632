import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { defaultFixturePath, FixtureError, loadFixtureFile, parseFixture } from '../../src/simulator';
import { resolveRelativeTime } from '../../src/simulator/fixture';
import { fixtureSchemaPath, renderFixtureSchema } from '../../src/simulator/writeSchema';
import { defaultFixtureWith, ids } from './helpers';

describe('fixture', () => {
  it('loads the default Contoso fixture with the shared demo ids', () => {
    const fixture = loadFixtureFile(defaultFixturePath);
    expect(fixture.tenant.id).toBe(ids.tenant);
    const upns = fixture.users.map((user) => user.userPrincipalName);
    expect(upns).toEqual(
      expect.arrayContaining(['AlexW@contoso.com', 'MeganB@contoso.com', 'breakglass01@contoso.com']),
    );
    const soc = fixture.groups.find((group) => group.id === ids.socResponders);
    expect(soc?.members.sort()).toEqual([ids.alex, ids.adele, ids.isaiah].sort());
    const globalAdmins = fixture.roleAssignments.filter(
      (a) => a.roleDefinitionId === ids.globalAdministrator,
    );
    expect(globalAdmins.map((a) => a.principalId).sort()).toEqual([ids.patti, ids.breakGlass].sort());
    expect(fixture.users.find((user) => user.id === ids.lynne)?.onPremisesSyncEnabled).toBe(true);
  });

  it('gives Megan malicious and benign rules and Isaiah enough rules for three pages of ten', () => {
    const fixture = loadFixtureFile(defaultFixturePath);
    const megan = fixture.mailboxes.find((mailbox) => mailbox.userId === ids.megan);
    expect(megan?.inboxRules.length).toBeGreaterThanOrEqual(7);
    expect(megan?.inboxRules.some((rule) => rule.hidden)).toBe(true);
    expect(megan?.inboxRules.some((rule) => /^[\p{P}\s]+$/u.test(rule.name))).toBe(true);
    const isaiah = fixture.mailboxes.find((mailbox) => mailbox.userId === ids.isaiah);
    expect(isaiah?.inboxRules.length).toBeGreaterThan(20);
    for (const mailbox of fixture.mailboxes) {
      expect(mailbox.folders.map((folder) => folder.displayName)).toEqual(
        expect.arrayContaining([
          'Inbox',
          'Archive',
          'Junk Email',
          'RSS Subscriptions',
          'Conversation History',
          'Notes',
          'Deleted Items',
          'Newsletters',
        ]),
      );
    }
  });

  it('resolves relative times against load time', () => {
    const now = new Date('2026-01-10T12:00:00.000Z');
    expect(resolveRelativeTime('-2h', now)).toBe('2026-01-10T10:00:00.000Z');
    expect(resolveRelativeTime('-3d', now)).toBe('2026-01-07T12:00:00.000Z');
    expect(resolveRelativeTime('+15m', now)).toBe('2026-01-10T12:15:00.000Z');
    expect(resolveRelativeTime('2025-05-01T00:00:00Z', now)).toBe('2025-05-01T00:00:00Z');
    const fixture = loadFixtureFile(defaultFixturePath, now);
    const attackerPhone = fixture.authenticationMethods.find(
      (m) => m.userId === ids.megan && m.type === 'phone',
    );
    expect(attackerPhone?.createdDateTime).toBe('2026-01-10T10:00:00.000Z');
  });

  it('names the field path of every problem in a bad fixture', async () => {
    const bad = await defaultFixtureWith((fixture) => {
      const users = fixture.users as Record<string, unknown>[];
      delete users[1]?.userPrincipalName;
      (fixture.tenant as Record<string, unknown>).id = 'not-a-guid';
    });
    expect(() => parseFixture(bad)).toThrow(FixtureError);
    expect(() => parseFixture(bad)).toThrow(/users\[1\]\.userPrincipalName: Required/);
    expect(() => parseFixture(bad)).toThrow(/tenant\.id: must be a GUID/);
  });

  it('refuses a rule that moves mail to a folder the mailbox does not have', async () => {
    const bad = await defaultFixtureWith((fixture) => {
      const mailboxes = fixture.mailboxes as { inboxRules: { actions: Record<string, unknown> }[] }[];
      const rule = mailboxes[1]?.inboxRules[0];
      if (rule) rule.actions.moveToFolder = 'No Such Folder';
    });
    expect(() => parseFixture(bad)).toThrow(/mailboxes\[1\]\.inboxRules\[0\]\.actions\.moveToFolder/);
  });

  it('the default fixture file validates against the shipped JSON Schema', () => {
    const schema = JSON.parse(readFileSync(fixtureSchemaPath, 'utf8')) as object;
    const validate = new Ajv2020({ strict: false }).compile(schema);
    const valid = validate(JSON.parse(readFileSync(defaultFixturePath, 'utf8')));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('ships a JSON Schema that matches the zod schema', () => {
    const shipped: unknown = JSON.parse(readFileSync(fixtureSchemaPath, 'utf8'));
    expect(shipped).toEqual(JSON.parse(renderFixtureSchema()));
  });
});
