import type { SimMailbox, TenantState } from '../fixture';
import { aliasOf } from '../lookups';
import { invalidArgument, str } from './binding';
import type { Cmdlet, CmdletContext } from './cmdlet';
import { requireMailboxByIdentity, resolveRecipientIdentity } from './recipients';

/** Every mailbox grants its owner access; Exchange lists it as this account. */
export const selfAccount = 'NT AUTHORITY\\SELF';

const mailboxRights = [
  'FullAccess',
  'ReadPermission',
  'ChangePermission',
  'ChangeOwner',
  'DeleteItem',
  'ExternalAccount',
];

function canonicalRights(values: string[], allowed: string[]): string[] {
  return values
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '')
    .map((value) => {
      const right = allowed.find((candidate) => candidate.toLowerCase() === value.toLowerCase());
      if (!right)
        throw invalidArgument(
          `Cannot convert value "${value}" to an access right. Valid values: ${allowed.join(', ')}.`,
        );
      return right;
    });
}

function rightsParam(context: CmdletContext, allowed: string[]): string[] {
  const value = context.params.AccessRights;
  return canonicalRights(Array.isArray(value) ? value.map(String) : [], allowed);
}

function mailboxPermissionWire(
  state: TenantState,
  mailbox: SimMailbox,
  entry: SimMailbox['permissions'][number],
) {
  return {
    Identity: aliasOf(state, mailbox),
    User: entry.user,
    AccessRights: [...entry.accessRights],
    IsInherited: entry.isInherited,
    Deny: entry.deny,
    InheritanceType: 'All',
  };
}

function recipientPermissionWire(
  state: TenantState,
  mailbox: SimMailbox,
  entry: SimMailbox['recipientPermissions'][number],
) {
  return {
    Identity: aliasOf(state, mailbox),
    Trustee: entry.trustee,
    AccessControlType: entry.accessControlType,
    AccessRights: [...entry.accessRights],
    IsInherited: entry.isInherited,
    InheritanceType: 'None',
  };
}

const sameTrustee = (left: string, right: string): boolean => left.toLowerCase() === right.toLowerCase();

export const permissionCmdlets: Cmdlet[] = [
  {
    name: 'Get-MailboxPermission',
    parameters: { Identity: 'string', User: 'string' },
    mandatory: ['Identity'],
    run: ({ state, params }) => {
      const mailbox = requireMailboxByIdentity(state, str(params, 'Identity') ?? '');
      const self = {
        user: selfAccount,
        accessRights: ['FullAccess', 'ReadPermission'],
        isInherited: false,
        deny: false,
      };
      const user = str(params, 'User');
      const filterUser = user === undefined ? undefined : resolveRecipientIdentity(state, user);
      return [self, ...mailbox.permissions]
        .filter((entry) => filterUser === undefined || sameTrustee(entry.user, filterUser))
        .map((entry) => mailboxPermissionWire(state, mailbox, entry));
    },
  },
  {
    name: 'Add-MailboxPermission',
    parameters: {
      Identity: 'string',
      User: 'string',
      AccessRights: 'stringArray',
      AutoMapping: 'boolean',
      InheritanceType: 'string',
    },
    mandatory: ['Identity', 'User', 'AccessRights'],
    run: (context) => {
      const { state, params } = context;
      const mailbox = requireMailboxByIdentity(state, str(params, 'Identity') ?? '');
      const user = resolveRecipientIdentity(state, str(params, 'User') ?? '');
      const rights = rightsParam(context, mailboxRights);
      let entry = mailbox.permissions.find(
        (candidate) => sameTrustee(candidate.user, user) && !candidate.deny,
      );
      if (!entry) {
        entry = { user, accessRights: [], isInherited: false, deny: false };
        mailbox.permissions.push(entry);
      }
      for (const right of rights) if (!entry.accessRights.includes(right)) entry.accessRights.push(right);
      return [mailboxPermissionWire(state, mailbox, entry)];
    },
  },
  {
    name: 'Remove-MailboxPermission',
    parameters: {
      Identity: 'string',
      User: 'string',
      AccessRights: 'stringArray',
      InheritanceType: 'string',
    },
    mandatory: ['Identity', 'User', 'AccessRights'],
    run: (context) => {
      const { state, params } = context;
      const mailbox = requireMailboxByIdentity(state, str(params, 'Identity') ?? '');
      const userParam = str(params, 'User') ?? '';
      if (sameTrustee(userParam, selfAccount))
        throw invalidArgument("The owner's own access can't be removed.");
      const user = resolveRecipientIdentity(state, userParam);
      const rights = rightsParam(context, mailboxRights);
      // Removing an entry that does not exist is a warning in Exchange, not an error.
      for (const entry of mailbox.permissions.filter((candidate) => sameTrustee(candidate.user, user))) {
        entry.accessRights = entry.accessRights.filter((right) => !rights.includes(right));
      }
      mailbox.permissions = mailbox.permissions.filter((entry) => entry.accessRights.length > 0);
      return [];
    },
  },
  {
    name: 'Get-RecipientPermission',
    parameters: { Identity: 'string', Trustee: 'string', AccessRights: 'stringArray' },
    mandatory: ['Identity'],
    run: ({ state, params }) => {
      const mailbox = requireMailboxByIdentity(state, str(params, 'Identity') ?? '');
      const self = {
        trustee: selfAccount,
        accessRights: ['SendAs'],
        accessControlType: 'Allow' as const,
        isInherited: false,
      };
      const trustee = str(params, 'Trustee');
      const filterTrustee = trustee === undefined ? undefined : resolveRecipientIdentity(state, trustee);
      return [self, ...mailbox.recipientPermissions]
        .filter((entry) => filterTrustee === undefined || sameTrustee(entry.trustee, filterTrustee))
        .map((entry) => recipientPermissionWire(state, mailbox, entry));
    },
  },
  {
    name: 'Add-RecipientPermission',
    parameters: { Identity: 'string', Trustee: 'string', AccessRights: 'stringArray' },
    mandatory: ['Identity', 'Trustee', 'AccessRights'],
    run: (context) => {
      const { state, params } = context;
      const mailbox = requireMailboxByIdentity(state, str(params, 'Identity') ?? '');
      const trustee = resolveRecipientIdentity(state, str(params, 'Trustee') ?? '');
      rightsParam(context, ['SendAs']);
      let entry = mailbox.recipientPermissions.find((candidate) => sameTrustee(candidate.trustee, trustee));
      if (!entry) {
        entry = { trustee, accessRights: ['SendAs'], accessControlType: 'Allow', isInherited: false };
        mailbox.recipientPermissions.push(entry);
      }
      return [recipientPermissionWire(state, mailbox, entry)];
    },
  },
  {
    name: 'Remove-RecipientPermission',
    parameters: { Identity: 'string', Trustee: 'string', AccessRights: 'stringArray' },
    mandatory: ['Identity', 'Trustee', 'AccessRights'],
    run: (context) => {
      const { state, params } = context;
      const mailbox = requireMailboxByIdentity(state, str(params, 'Identity') ?? '');
      const trusteeParam = str(params, 'Trustee') ?? '';
      if (sameTrustee(trusteeParam, selfAccount))
        throw invalidArgument("The owner's own access can't be removed.");
      const trustee = resolveRecipientIdentity(state, trusteeParam);
      rightsParam(context, ['SendAs']);
      mailbox.recipientPermissions = mailbox.recipientPermissions.filter(
        (entry) => !sameTrustee(entry.trustee, trustee),
      );
      return [];
    },
  },
];
