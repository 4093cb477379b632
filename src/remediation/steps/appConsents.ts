import type { AppRoleAssignment, PermissionGrant } from '../../m365/types';
import type { Finding, Suspicion } from '../contract';
import type { ActionRecord } from '../storage';
import { ageInMs, describeAge } from '../time';
import { appRoleAssignmentSchema, permissionGrantSchema, toJson } from './payloads';
import type { StepModule } from './types';
import { z } from 'zod';

/** Delegated scopes that let an app read or exfiltrate data, or keep access (consent phishing favourites). */
const RISKY_SCOPES: Record<string, string> = {
  'mail.read': 'can read all mail',
  'mail.readwrite': 'can read and write all mail',
  'mail.send': 'can send mail as the user',
  'mailboxsettings.readwrite': 'can change mailbox settings (forwarding, rules)',
  'files.read.all': 'can read all files',
  'files.readwrite.all': 'can read and write all files',
  'contacts.read': 'can read contacts',
  'directory.read.all': 'can read the directory',
  'directory.readwrite.all': 'can change the directory',
  'user.readwrite.all': 'can change users',
  full_access_as_user: 'has full access to the mailbox (EWS)',
  'eas.accessasuser.all': 'has Exchange ActiveSync access',
  offline_access: 'keeps access while the user is away (offline_access)',
};

const RECENT_WINDOW_MS = 7 * 24 * 3_600_000;

const grantPayload = z.object({ grant: permissionGrantSchema });
const assignmentPayload = z.object({ assignment: appRoleAssignmentSchema });

function assessGrant(grant: PermissionGrant): { suspicion: Suspicion; reasons: string[] } {
  const scopes = grant.scope.split(' ').filter((scope) => scope.length > 0);
  const reasons: string[] = [];
  const risky = scopes.filter((scope) => RISKY_SCOPES[scope.toLowerCase()] !== undefined);
  for (const scope of risky) reasons.push(`${RISKY_SCOPES[scope.toLowerCase()] ?? scope} (${scope})`);
  const unverified = !grant.clientVerifiedPublisher;
  if (unverified) reasons.push('the publisher is not verified');
  else reasons.push(`publisher verified as ${grant.clientVerifiedPublisher}`);
  let suspicion: Suspicion = 'low';
  if (risky.length > 0 && unverified) suspicion = 'high';
  else if (risky.length > 0 || unverified) suspicion = 'medium';
  return { suspicion, reasons };
}

/** Step 9: delegated consents (OAuth2 permission grants) and app role assignments of the user. */
export const appConsents: StepModule = {
  id: 'app-consents',
  title: 'Remove suspicious app consents',
  summary: 'A consented app keeps reading mail with its own tokens even after the password is reset.',
  manualSteps:
    "In the Microsoft Entra admin center open Enterprise applications, find the app, Permissions > User consent, and revoke the user's consent (or delete the oauth2PermissionGrant).",
  undoable: false,
  concurrentActions: true,

  async discover(ctx) {
    const now = ctx.now();
    const [grants, assignments] = await Promise.all([
      ctx.services.consents.listPermissionGrants(ctx.target.id),
      ctx.services.consents.listAppRoleAssignments(ctx.target.id),
    ]);
    const findings: Finding[] = [];
    const candidates: ActionRecord[] = [];
    grants.forEach((grant: PermissionGrant, index) => {
      const { suspicion, reasons } = assessGrant(grant);
      const findingId = `grant-${index + 1}`;
      findings.push({
        id: findingId,
        title: `${grant.clientDisplayName}: ${grant.scope} on ${grant.resourceDisplayName}`,
        reasons,
        suspicion,
        selectedByDefault: suspicion === 'high' || suspicion === 'medium',
      });
      candidates.push({
        id: `revoke-${findingId}`,
        findingId,
        kind: 'delete-permission-grant',
        description: `Revoke ${grant.clientDisplayName}'s consent (${grant.scope}).`,
        payload: { grant: toJson(grant) },
      });
    });
    assignments.forEach((assignment: AppRoleAssignment, index) => {
      const age = ageInMs(assignment.createdDateTime, now);
      const recent = age !== undefined && age <= RECENT_WINDOW_MS;
      const findingId = `app-role-${index + 1}`;
      findings.push({
        id: findingId,
        title: `Assigned to ${assignment.resourceDisplayName}`,
        reasons: [
          assignment.createdDateTime
            ? `assigned ${describeAge(assignment.createdDateTime, now)}`
            : 'assignment date unknown',
        ],
        suspicion: recent ? 'medium' : 'low',
        selectedByDefault: recent,
      });
      candidates.push({
        id: `remove-${findingId}`,
        findingId,
        kind: 'delete-app-role-assignment',
        description: `Remove the assignment to ${assignment.resourceDisplayName}.`,
        payload: { assignment: toJson(assignment) },
      });
    });
    return { findings, candidates };
  },

  async execute(ctx, action) {
    if (action.kind === 'delete-permission-grant') {
      const { grant } = grantPayload.parse(action.payload);
      const result = await ctx.services.consents.deletePermissionGrant(grant.id);
      return { requestIds: [result.requestId] };
    }
    const { assignment } = assignmentPayload.parse(action.payload);
    const result = await ctx.services.consents.deleteAppRoleAssignment(ctx.target.id, assignment.id);
    return { requestIds: [result.requestId] };
  },

  async verify(ctx, action) {
    if (action.kind === 'delete-permission-grant') {
      const { grant } = grantPayload.parse(action.payload);
      const grants = await ctx.services.consents.listPermissionGrants(ctx.target.id);
      return grants.some((candidate) => candidate.id === grant.id) ? 'missing' : 'applied';
    }
    const { assignment } = assignmentPayload.parse(action.payload);
    const assignments = await ctx.services.consents.listAppRoleAssignments(ctx.target.id);
    return assignments.some((candidate) => candidate.id === assignment.id) ? 'missing' : 'applied';
  },
};
