import { json, objectBody, SimHttpError } from '../http';
import type { RouteContext, RouteDef } from '../http';
import { bindParameters } from './binding';
import { auditLogCmdlets } from './auditLogCmdlets';
import { blockedSenderCmdlets } from './blockedSenderCmdlets';
import type { Cmdlet } from './cmdlet';
import { inboxRuleCmdlets } from './inboxRuleCmdlets';
import { mailboxCmdlets } from './mailboxCmdlets';
import { permissionCmdlets } from './permissionCmdlets';

const cmdlets: Cmdlet[] = [
  ...mailboxCmdlets,
  ...inboxRuleCmdlets,
  ...blockedSenderCmdlets,
  ...permissionCmdlets,
  ...auditLogCmdlets,
];

function cmdletInput(context: RouteContext): { name: string; parameters: unknown } {
  const input = objectBody(context.request).CmdletInput;
  const record = input !== null && typeof input === 'object' ? (input as Record<string, unknown>) : undefined;
  if (!record || typeof record.CmdletName !== 'string') {
    throw new SimHttpError(
      400,
      'BadRequest',
      'The request body must be {"CmdletInput":{"CmdletName":...,"Parameters":{...}}}.',
    );
  }
  return { name: record.CmdletName, parameters: record.Parameters };
}

function cmdletName(context: RouteContext): string | undefined {
  try {
    return cmdletInput(context).name;
  } catch {
    return undefined;
  }
}

/** The tenant segment may be the tenant id or one of its domains. */
function requireTenant(context: RouteContext): void {
  const given = (context.params.tenantId ?? '').toLowerCase();
  const { id, domain } = context.state.tenant;
  const onMicrosoft = `${domain.split('.')[0] ?? ''}.onmicrosoft.com`;
  if (![id.toLowerCase(), domain.toLowerCase(), onMicrosoft.toLowerCase()].includes(given)) {
    throw new SimHttpError(404, 'TenantNotFound', `Tenant '${context.params.tenantId ?? ''}' was not found.`);
  }
}

function invoke(context: RouteContext) {
  requireTenant(context);
  const { name, parameters } = cmdletInput(context);
  const cmdlet = cmdlets.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
  if (!cmdlet) {
    throw new SimHttpError(
      400,
      'CommandNotFoundException',
      `The term '${name}' is not recognized as the name of a cmdlet available to this application.`,
      {},
      'System.Management.Automation.CommandNotFoundException',
    );
  }
  const params = bindParameters(cmdlet.name, cmdlet, parameters);
  const value = cmdlet.run({ state: context.state, params, now: context.now });
  return json(200, {
    '@odata.context': `${context.request.baseUrl}/adminapi/beta/${context.params.tenantId ?? ''}/$metadata#Collection(Exchange.GenericHashTable)`,
    value,
  });
}

export const exchangeRoutes: RouteDef[] = [
  {
    method: 'POST',
    path: '/adminapi/beta/:tenantId/InvokeCommand',
    service: 'exchange',
    permissions: ['Exchange.ManageAsApp'],
    throttle: { kind: 'budget' },
    cmdlet: cmdletName,
    // Get-* and Search-* cmdlets read; every other verb changes the tenant.
    write: (context) => !/^(get|search)-/i.test(cmdletName(context) ?? 'Get-'),
    handler: invoke,
  },
];
