import { message } from '../../i18n/message';
import { described, finding, stepTexts } from './text';
import type { AppRoleAssignment, PermissionGrant } from '../../m365/types';
import type { Finding, Suspicion } from '../contract';
import type { ActionRecord } from '../storage';
import { ageInMs } from '../time';
import type { Message } from '../../i18n/message';
import { appRoleAssignmentSchema, permissionGrantSchema, toJson } from './payloads';
import type { StepModule } from './types';
import { z } from 'zod';

/** Delegated scopes that let an app read or exfiltrate data, or keep access (consent phishing favourites). */
const RISKY_SCOPES = new Set([
  'mail.read',
  'mail.readwrite',
  'mail.send',
  'mailboxsettings.readwrite',
  'files.read.all',
  'files.readwrite.all',
  'contacts.read',
  'directory.read.all',
  'directory.readwrite.all',
  'user.readwrite.all',
  'full_access_as_user',
  'eas.accessasuser.all',
  'offline_access',
]);

const RECENT_WINDOW_MS = 7 * 24 * 3_600_000;

const grantPayload = z.object({ grant: permissionGrantSchema });
const assignmentPayload = z.object({ assignment: appRoleAssignmentSchema });

function assessGrant(grant: PermissionGrant): { suspicion: Suspicion; reasons: Message[] } {
  const scopes = grant.scope.split(' ').filter((scope) => scope.length > 0);
  const reasons: Message[] = [];
  const risky = scopes.filter((scope) => RISKY_SCOPES.has(scope.toLowerCase()));
  for (const scope of risky) reasons.push(message('appConsents.scope', { scope }));
  const unverified = !grant.clientVerifiedPublisher;
  if (unverified) reasons.push(message('appConsents.unverified'));
  else reasons.push(message('appConsents.verified', { publisher: grant.clientVerifiedPublisher ?? '' }));
  let suspicion: Suspicion = 'low';
  if (risky.length > 0 && unverified) suspicion = 'high';
  else if (risky.length > 0 || unverified) suspicion = 'medium';
  return { suspicion, reasons };
}

/** Step 9: delegated consents (OAuth2 permission grants) and app role assignments of the user. */
export const appConsents: StepModule = {
  id: 'app-consents',
  ...stepTexts('app-consents'),
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
      findings.push(
        finding(
          { id: findingId, suspicion, selectedByDefault: suspicion === 'high' || suspicion === 'medium' },
          message('appConsents.findingGrant', {
            app: grant.clientDisplayName,
            scope: grant.scope,
            resource: grant.resourceDisplayName,
          }),
          reasons,
        ),
      );
      candidates.push({
        id: `revoke-${findingId}`,
        findingId,
        kind: 'delete-permission-grant',
        ...described(
          message('appConsents.actionGrant', { app: grant.clientDisplayName, scope: grant.scope }),
        ),
        payload: { grant: toJson(grant) },
      });
    });
    assignments.forEach((assignment: AppRoleAssignment, index) => {
      const age = ageInMs(assignment.createdDateTime, now);
      const recent = age !== undefined && age <= RECENT_WINDOW_MS;
      const findingId = `app-role-${index + 1}`;
      findings.push(
        finding(
          { id: findingId, suspicion: recent ? 'medium' : 'low', selectedByDefault: recent },
          message('appConsents.findingAssignment', { resource: assignment.resourceDisplayName }),
          [
            assignment.createdDateTime
              ? message('appConsents.reasonAssigned', {
                  then: assignment.createdDateTime,
                  now: now.toISOString(),
                })
              : message('appConsents.reasonAssignedUnknown'),
          ],
        ),
      );
      candidates.push({
        id: `remove-${findingId}`,
        findingId,
        kind: 'delete-app-role-assignment',
        ...described(message('appConsents.actionAssignment', { resource: assignment.resourceDisplayName })),
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
