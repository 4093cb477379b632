import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { defaultFixturePath } from '../src/simulator';
import type { FixtureInput } from '../src/simulator';

/** Megan Bowen, the compromised user whose pattern every synthetic victim copies. */
export const MEGAN_ID = '14e1ed1f-b4f7-47ee-ae98-d39876f6f691';
const MEGAN_UPN = 'MeganB@contoso.com';
const HELPDESK_ADMINS_GROUP_ID = '57e25af0-7d67-4e82-ba7c-f77f69a71462';

/** Deterministic GUID-shaped id (same input, same id), so runs are comparable. */
export function syntheticGuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function victimUpn(index: number): string {
  return `victim${String(index).padStart(4, '0')}@contoso.com`;
}

type Row = Record<string, unknown>;

function rows(fixture: Row, key: string): Row[] {
  const value = fixture[key];
  return Array.isArray(value) ? (value as Row[]) : [];
}

/** A deep copy of a record with Megan's id and UPN swapped for the victim's. */
function retarget<T>(record: T, userId: string, upn: string, index: number): T {
  const json = JSON.stringify(record)
    .split(MEGAN_ID)
    .join(userId)
    .split(MEGAN_UPN)
    .join(upn)
    .split('Megan Bowen')
    .join(`Victim ${index}`);
  return JSON.parse(json) as T;
}

/**
 * The Contoso fixture plus `count` users compromised exactly like Megan (forwarding, hidden and
 * malicious inbox rules, roles active / eligible / through Helpdesk Admins, an attacker phone
 * method, the Mail Sync Pro consent, a FullAccess + SendAs delegate, blocked from sending, risky,
 * sign-ins from Lagos and Moscow), each with fresh ids. Built in memory: no huge file committed.
 */
export function buildMassFixture(count: number): { fixture: FixtureInput; upns: string[] } {
  const fixture = JSON.parse(fs.readFileSync(defaultFixturePath, 'utf8')) as Row;
  const upns: string[] = [];
  const perUserCollections = [
    'roleAssignments',
    'roleEligibilitySchedules',
    'oauth2PermissionGrants',
    'appRoleAssignments',
    'authenticationMethods',
    'riskyUsers',
    'signIns',
  ];
  const meganRows = Object.fromEntries(
    perUserCollections.map((key) => [
      key,
      rows(fixture, key).filter((row) => JSON.stringify(row).includes(MEGAN_ID)),
    ]),
  );
  const meganUser = rows(fixture, 'users').find((user) => user.id === MEGAN_ID);
  const meganMailbox = rows(fixture, 'mailboxes').find((mailbox) => mailbox.userId === MEGAN_ID);
  const meganBlocked = rows(fixture, 'blockedSenders').find((sender) => sender.senderAddress === MEGAN_UPN);
  const helpdesk = rows(fixture, 'groups').find((group) => group.id === HELPDESK_ADMINS_GROUP_ID);
  if (!meganUser || !meganMailbox || !meganBlocked || !helpdesk) throw new Error('the fixture lacks Megan');

  for (let index = 1; index <= count; index += 1) {
    const userId = syntheticGuid(`victim-${index}`);
    const upn = victimUpn(index);
    upns.push(upn);
    rows(fixture, 'users').push({
      ...retarget(meganUser, userId, upn, index),
      mail: upn,
      givenName: 'Victim',
      surname: String(index),
    });
    for (const key of perUserCollections) {
      for (const [position, row] of (meganRows[key] ?? []).entries()) {
        const copy = retarget(row, userId, upn, index);
        // Risky users are keyed by the user id; everything else gets a fresh id of its own.
        if (key !== 'riskyUsers') copy.id = syntheticGuid(`${key}-${index}-${position}`);
        rows(fixture, key).push(copy);
      }
    }
    const mailbox = retarget(meganMailbox, userId, upn, index);
    mailbox.inboxRules = rows(mailbox, 'inboxRules').map((rule, position) => {
      const { graphId: _graphId, ...rest } = rule;
      return { ...rest, ruleIdentity: String(9_000_000_000_000 + index * 100 + position) };
    });
    rows(fixture, 'mailboxes').push(mailbox);
    rows(fixture, 'blockedSenders').push({ ...meganBlocked, senderAddress: upn });
    (helpdesk.members as string[]).push(userId);
  }
  return { fixture: fixture as FixtureInput, upns };
}
