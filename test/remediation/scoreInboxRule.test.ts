import { describe, expect, it } from 'vitest';
import type { InboxRule } from '../../src/m365/types';
import type { Suspicion } from '../../src/remediation/contract';
import { isInsideTenant, scoreInboxRule } from '../../src/remediation/rules/scoreInboxRule';
import { renderMessage } from '../../src/i18n/findings';
import { inboxRule } from '../support/inboxRules';

const rule = inboxRule;

const context = {
  tenantDomains: ['contoso.com', 'contoso.onmicrosoft.com'],
  compromiseWindow: { start: '2026-11-20T09:00:00Z', end: '2026-11-21T09:00:00Z' },
};

interface Case {
  name: string;
  rule: InboxRule;
  suspicion: Suspicion;
  /** A phrase one of the reasons must contain. */
  reason?: string;
}

const cases: Case[] = [
  {
    name: 'forward to gmail',
    rule: rule({ actions: { forwardTo: ['x@gmail.com'] } }),
    suspicion: 'high',
    reason: 'forwards to x@gmail.com (outside contoso.com',
  },
  {
    name: 'redirect outside',
    rule: rule({ actions: { redirectTo: ['drop@evil.example'] } }),
    suspicion: 'high',
    reason: 'redirects to drop@evil.example (outside contoso.com',
  },
  {
    name: 'forward as attachment to gmail (Exchange recipient format)',
    rule: rule({ actions: { forwardAsAttachmentTo: ['"Archive" [SMTP:megan.archive@gmail.com]'] } }),
    suspicion: 'high',
    reason: 'forwards as attachment to megan.archive@gmail.com (outside contoso.com',
  },
  {
    name: 'forward to a colleague inside the tenant',
    rule: rule({ name: 'To Adele', actions: { forwardTo: ['AdeleV@contoso.com'] } }),
    suspicion: 'none',
    reason: 'inside contoso.com',
  },
  {
    name: 'forward to a subdomain of the tenant',
    rule: rule({ actions: { forwardTo: ['team@eu.contoso.com'] } }),
    suspicion: 'none',
  },
  {
    name: 'look-alike domain is outside',
    rule: rule({ actions: { forwardTo: ['ceo@contoso.com.evil.io'] } }),
    suspicion: 'high',
  },
  {
    name: 'delete invoices',
    rule: rule({ name: 'cleanup', conditions: { subjectContains: ['invoice'] }, actions: { delete: true } }),
    suspicion: 'high',
    reason: "deletes mail whose subject contains 'invoice'",
  },
  {
    name: 'permanent delete',
    rule: rule({ actions: { permanentDelete: true } }),
    suspicion: 'high',
    reason: 'permanently deletes mail',
  },
  {
    name: 'plain delete from a promotional sender is everyday filtering',
    rule: rule({ conditions: { fromAddresses: ['promo@shop.example'] }, actions: { delete: true } }),
    suspicion: 'low',
    reason: 'deletes mail from promo@shop.example',
  },
  {
    name: 'move everything to RSS Subscriptions',
    rule: rule({ actions: { moveToFolder: 'RSS Subscriptions' } }),
    suspicion: 'high',
    reason: "to 'RSS Subscriptions', a folder people rarely look at",
  },
  {
    name: 'move to Junk Email (Exchange folder form)',
    rule: rule({ actions: { moveToFolder: 'MeganB@contoso.com:\\Junk Email' } }),
    suspicion: 'medium',
    reason: "'Junk Email'",
  },
  {
    name: 'move to Archive alone is filing, low',
    rule: rule({ conditions: { subjectContains: ['Contoso Retail'] }, actions: { moveToFolder: 'Archive' } }),
    suspicion: 'low',
    reason: "whose subject contains 'Contoso Retail'",
  },
  {
    name: 'move everything to Archive and mark as read',
    rule: rule({ actions: { moveToFolder: 'Archive', markAsRead: true } }),
    suspicion: 'high',
  },
  {
    name: 'move one subject to Notes',
    rule: rule({ conditions: { subjectContains: ['Weekly'] }, actions: { moveToFolder: 'Notes' } }),
    suspicion: 'medium',
  },
  {
    name: 'move everything to Conversation History',
    rule: rule({ actions: { moveToFolder: 'Conversation History' } }),
    suspicion: 'high',
  },
  {
    name: 'mark everything as read',
    rule: rule({ actions: { markAsRead: true } }),
    suspicion: 'medium',
    reason: 'marks mail as read',
  },
  {
    name: 'move security mail to RSS, mark read, punctuation name',
    rule: rule({
      name: '.',
      conditions: { fromAddresses: ['security@contoso.com', 'it@contoso.com'] },
      actions: { moveToFolder: 'RSS Subscriptions', markAsRead: true },
    }),
    suspicion: 'high',
    reason: "has a punctuation-only name ('.')",
  },
  {
    name: 'blank name alone',
    rule: rule({
      name: '   ',
      conditions: { senderContains: ['newsletter'] },
      actions: { moveToFolder: 'Newsletters' },
    }),
    suspicion: 'medium',
    reason: 'has a blank name',
  },
  {
    name: 'hidden rule',
    rule: rule({ hidden: true, actions: { moveToFolder: 'Newsletters' } }),
    suspicion: 'high',
    reason: 'is hidden',
  },
  {
    name: 'hidden rule forwarding outside',
    rule: rule({ hidden: true, actions: { forwardTo: ['a@protonmail.com'] } }),
    suspicion: 'high',
  },
  {
    name: 'keyword alone (password) is low',
    rule: rule({ conditions: { subjectContains: ['password'] }, actions: { moveToFolder: 'IT' } }),
    suspicion: 'low',
    reason: "filters on finance or security words: 'password'",
  },
  {
    name: 'keyword with mark as read is high',
    rule: rule({ conditions: { bodyContains: ['wire transfer'] }, actions: { markAsRead: true } }),
    suspicion: 'high',
  },
  {
    name: 'phish keyword moving to Archive',
    rule: rule({ conditions: { subjectOrBodyContains: ['phish'] }, actions: { moveToFolder: 'Archive' } }),
    suspicion: 'high',
  },
  {
    name: 'compromised keyword deleting',
    rule: rule({ conditions: { subjectContains: ['compromised'] }, actions: { delete: true } }),
    suspicion: 'high',
  },
  {
    name: 'MFA keyword deleting',
    rule: rule({ conditions: { subjectContains: ['MFA'] }, actions: { delete: true } }),
    suspicion: 'high',
  },
  {
    name: 'keyword must be a word: "banking" matches, "bankrupt" does not',
    rule: rule({ conditions: { subjectContains: ['bankrupt'] }, actions: { moveToFolder: 'Reading' } }),
    suspicion: 'none',
  },
  {
    name: 'newsletters to a folder',
    rule: rule({
      name: 'Newsletters',
      conditions: { fromAddresses: ['news@contoso-weekly.example'] },
      actions: { moveToFolder: 'Newsletters' },
    }),
    suspicion: 'none',
    reason: "to 'Newsletters'",
  },
  {
    name: 'disabled external forward is lowered',
    rule: rule({ enabled: false, actions: { redirectTo: ['x@gmail.com'] } }),
    suspicion: 'medium',
    reason: 'is disabled',
  },
  {
    name: 'disabled benign rule stays none',
    rule: rule({
      enabled: false,
      conditions: { subjectContains: ['[proj]'] },
      actions: { moveToFolder: 'Projects' },
    }),
    suspicion: 'none',
    reason: 'is disabled',
  },
  {
    name: 'read-only rule is lowered',
    rule: rule({ readOnly: true, actions: { moveToFolder: 'Junk Email' } }),
    suspicion: 'low',
    reason: 'is read-only',
  },
  {
    name: 'rule with no actions',
    rule: rule({ name: 'Flag boss' }),
    suspicion: 'none',
    reason: 'nothing suspicious',
  },
  {
    name: 'move mail from helpdesk to Deleted Items',
    rule: rule({ conditions: { senderContains: ['helpdesk'] }, actions: { moveToFolder: 'Deleted Items' } }),
    suspicion: 'high',
    reason: 'people who would warn the user',
  },
  {
    name: 'Exchange junk mail rule is a system rule',
    rule: rule({ name: 'Junk E-mail Rule', hidden: true, actions: { moveToFolder: 'Junk Email' } }),
    suspicion: 'none',
    reason: "is Exchange's own rule 'Junk E-mail Rule'",
  },
  {
    name: 'automatic-reply rule is a system rule',
    rule: rule({ name: 'Microsoft.Exchange.OOF.KnownExternalSenders.Global', hidden: true }),
    suspicion: 'none',
  },
  {
    name: 'a system rule name that forwards outside is not a system rule',
    rule: rule({ name: 'Junk E-mail Rule', hidden: true, actions: { forwardTo: ['x@protonmail.ch'] } }),
    suspicion: 'high',
  },
  {
    name: 'a look-alike system rule name is not a system rule',
    rule: rule({ name: 'Junk E-mail Rule\u200b', hidden: true, actions: { moveToFolder: 'Junk Email' } }),
    suspicion: 'high',
    reason: 'invisible characters',
  },
  {
    name: 'forward to an accepted domain of the tenant is inside',
    rule: rule({ actions: { forwardTo: ['ops@contoso.onmicrosoft.com'] } }),
    suspicion: 'none',
  },
  {
    name: 'localised Deleted Items by name (Norwegian)',
    rule: rule({ name: '.', actions: { moveToFolder: 'Slettede elementer', markAsRead: true } }),
    suspicion: 'high',
  },
  {
    name: 'folder identity beats the name: a renamed Deleted Items',
    rule: rule({
      conditions: { subjectContains: ['Rechnung'] },
      actions: { moveToFolder: 'Papierkorb', moveToFolderIdentity: { wellKnownName: 'deleteditems' } },
    }),
    suspicion: 'high',
    reason: "'Rechnung'",
  },
  {
    name: 'a user folder named like a system folder under the Inbox is a user folder',
    rule: rule({
      conditions: { senderContains: ['newsletter'] },
      actions: { moveToFolder: 'Inbox\\Archive', moveToFolderIdentity: { within: 'inbox' } },
    }),
    suspicion: 'none',
  },
  {
    name: 'a subfolder of Deleted Items hides mail',
    rule: rule({
      conditions: { subjectContains: ['betaling'] },
      actions: { moveToFolder: 'Gamle', moveToFolderIdentity: { within: 'deleteditems' } },
    }),
    suspicion: 'high',
  },
  {
    name: 'look-alike Cyrillic letters in a keyword',
    rule: rule({ conditions: { subjectContains: ['іnvоісе'] }, actions: { delete: true } }),
    suspicion: 'high',
    reason: 'look-alike letters',
  },
  {
    name: 'zero-width space inside a keyword',
    rule: rule({ conditions: { subjectContains: ['pay\u200bment'] }, actions: { moveToFolder: 'Archive' } }),
    suspicion: 'high',
  },
  {
    name: 'vowel list matches every message',
    rule: rule({
      conditions: { bodyContains: ['a', 'e', 'i', 'o', 'u'] },
      actions: { moveToFolder: 'Archive' },
    }),
    suspicion: 'medium',
    reason: 'practically every message',
  },
  {
    name: 'size range every message fits',
    rule: rule({
      conditions: { sizeRange: { minimumKilobytes: 0, maximumKilobytes: 100_000 } },
      actions: { moveToFolder: 'Deleted Items', markAsRead: true },
    }),
    suspicion: 'high',
  },
  {
    name: 'all mail of one contact archived and read',
    rule: rule({
      conditions: { fromAddresses: ['anna@partner.example'] },
      actions: { moveToFolder: 'Archive', markAsRead: true },
    }),
    suspicion: 'high',
    reason: 'hides all mail from anna@partner.example',
  },
  {
    name: 'notifications filed into a folder named after the sender',
    rule: rule({
      conditions: { fromAddresses: ['jira@contoso.atlassian.net'] },
      actions: { moveToFolder: 'Jira', markAsRead: true },
    }),
    suspicion: 'none',
  },
  {
    name: 'payment words filed into a folder of that name',
    rule: rule({
      conditions: { subjectContains: ['payment'] },
      actions: { moveToFolder: 'Payments', markAsRead: true },
    }),
    suspicion: 'low',
    reason: 'a folder named after those words',
  },
  {
    name: 'invoices filed into the accounting folder and read are housekeeping',
    rule: rule({
      conditions: { subjectContains: ['invoice'] },
      actions: { moveToFolder: 'Accounting', markAsRead: true },
    }),
    suspicion: 'low',
  },
  {
    name: 'newsletters archived and read are housekeeping',
    rule: rule({
      conditions: { senderContains: ['newsletter'] },
      actions: { moveToFolder: 'Archive', markAsRead: true },
    }),
    suspicion: 'low',
  },
  {
    name: 'German and Polish finance words',
    rule: rule({
      conditions: { subjectContains: ['Zahlungserinnerung', 'przelew'] },
      actions: { delete: true },
    }),
    suspicion: 'high',
  },
  {
    name: 'deleting bounces hides mail sent from the account',
    rule: rule({ conditions: { messageTypes: ['NonDeliveryReport'] }, actions: { delete: true } }),
    suspicion: 'high',
    reason: 'NonDeliveryReport',
  },
  {
    name: 'exceptions are shown',
    rule: rule({
      conditions: { senderContains: ['fabrikam.com'] },
      exceptions: { subjectContains: ['urgent'] },
      actions: { moveToFolder: 'Vendors' },
    }),
    suspicion: 'none',
    reason: "except mail matching 'urgent'",
  },
  {
    name: 'a rule changed inside the compromise window weighs more',
    rule: rule({
      changedDateTime: '2026-11-20T10:00:00Z',
      conditions: { subjectContains: ['password'] },
      actions: { moveToFolder: 'IT' },
    }),
    suspicion: 'medium',
    reason: 'during the compromise',
  },
];

describe('scoreInboxRule', () => {
  it('has a case table of at least 25 rules', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  it.each(cases)('$name → $suspicion', ({ rule: subject, suspicion, reason }) => {
    const score = scoreInboxRule(subject, context);
    expect(score.suspicion).toBe(suspicion);
    expect(score.reasons.length).toBeGreaterThan(0);
    const english = score.reasons.map((value) => renderMessage(value, 'en'));
    if (reason) expect(english.join(' | ')).toContain(reason);
  });

  it('is pure: the same input gives the same answer and the rule is not modified', () => {
    const subject = rule({ actions: { forwardTo: ['x@gmail.com'] } });
    const copy = structuredClone(subject);
    expect(scoreInboxRule(subject, context)).toEqual(scoreInboxRule(subject, context));
    expect(subject).toEqual(copy);
  });

  it('never preselects a system rule, and says so', () => {
    const score = scoreInboxRule(rule({ name: 'Junk E-mail Rule', hidden: true }), context);
    expect(score.systemRule).toBe(true);
  });

  it('treats every address as outside when no tenant domain is known', () => {
    expect(isInsideTenant('AdeleV@contoso.com', [])).toBe(false);
  });
});
