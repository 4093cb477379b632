import type { SimFolder, SimInboxRule, SimMailbox } from './fixture';

/**
 * Inbox rules are ONE store seen through two APIs: Graph messageRules (hidden rules
 * invisible) and Exchange Get-InboxRule (hidden rules with -IncludeHidden). These
 * helpers keep ordering and folder lookups in one place for both views.
 */

export function rulesInOrder(mailbox: SimMailbox, includeHidden: boolean): SimInboxRule[] {
  return mailbox.inboxRules
    .filter((rule) => includeHidden || !rule.hidden)
    .sort((left, right) => left.priority - right.priority);
}

export function findFolder(mailbox: SimMailbox, idOrName: string): SimFolder | undefined {
  const key = idOrName.toLowerCase();
  return (
    mailbox.folders.find((folder) => folder.id === idOrName) ??
    mailbox.folders.find((folder) => folder.wellKnownName?.toLowerCase() === key) ??
    mailbox.folders.find((folder) => folder.displayName.toLowerCase() === key)
  );
}

/** "Parent\\Child" from the mailbox root, as Exchange shows MoveToFolder after "<mailbox>:\\". */
export function folderPathOf(mailbox: SimMailbox, folderId: string): string | null {
  const names: string[] = [];
  let current = mailbox.folders.find((folder) => folder.id === folderId);
  for (let depth = 0; current !== undefined && depth < 10; depth += 1) {
    names.unshift(current.displayName);
    const parentId = current.parentFolderId;
    current = parentId === null ? undefined : mailbox.folders.find((folder) => folder.id === parentId);
  }
  return names.length === 0 ? null : names.join('\\');
}

/** Inserting at a priority shifts the rules at and below it down, as Exchange does. */
export function makeRoomAtPriority(mailbox: SimMailbox, priority: number): void {
  for (const rule of mailbox.inboxRules) {
    if (rule.priority >= priority) rule.priority += 1;
  }
}

export function nextPriority(mailbox: SimMailbox): number {
  return mailbox.inboxRules.reduce((max, rule) => Math.max(max, rule.priority), 0) + 1;
}
