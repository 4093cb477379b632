import type { SimInboxRule, TenantState } from '../fixture';
import { findMailbox, upnOf } from '../lookups';
import { bindingError, str } from './binding';
import type { Cmdlet } from './cmdlet';

/**
 * Search-UnifiedAuditLog, for inbox rule changes only. The simulator keeps no audit log of its
 * own: a rule's createdDateTime / changedDateTime (from the fixture, or set by New-InboxRule)
 * become New-InboxRule / Set-InboxRule records, shaped as the real cmdlet returns them (AuditData
 * a JSON string with the cmdlet's Parameters). Records of deleted rules are not kept, and records
 * are there at once (the real log takes 30 minutes to a day): both are the simulator's.
 */

interface RuleEvent {
  operation: 'New-InboxRule' | 'Set-InboxRule';
  at: string;
  upn: string;
  rule: SimInboxRule;
}

function eventsOf(state: TenantState, upn: string, rule: SimInboxRule): RuleEvent[] {
  return [
    ...(rule.createdDateTime
      ? [{ operation: 'New-InboxRule' as const, at: rule.createdDateTime, upn, rule }]
      : []),
    ...(rule.changedDateTime
      ? [{ operation: 'Set-InboxRule' as const, at: rule.changedDateTime, upn, rule }]
      : []),
  ];
}

function time(params: Record<string, unknown>, name: string): number {
  const value = str(params, name) ?? '';
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw bindingError(
      `Cannot bind parameter '${name}'. Cannot convert value "${value}" to type "System.DateTime".`,
    );
  }
  return ms;
}

function record(event: RuleEvent, index: number, count: number): Record<string, unknown> {
  // The audit log's CreationTime has no zone designator; it is UTC.
  const creationTime = new Date(event.at).toISOString().replace(/\.\d+Z$/, '');
  const parameters =
    event.operation === 'New-InboxRule'
      ? [
          { Name: 'Mailbox', Value: event.upn },
          { Name: 'Name', Value: event.rule.name },
        ]
      : [{ Name: 'Identity', Value: `${event.upn}\\${event.rule.name}` }];
  return {
    RecordType: 'ExchangeAdmin',
    CreationDate: creationTime,
    UserIds: event.upn,
    Operations: event.operation,
    AuditData: JSON.stringify({
      CreationTime: creationTime,
      Operation: event.operation,
      RecordType: 1,
      ResultStatus: 'True',
      UserId: event.upn,
      Workload: 'Exchange',
      ObjectId: event.rule.name,
      Parameters: parameters,
    }),
    ResultIndex: index + 1,
    ResultCount: count,
    Identity: `${event.operation}-${event.rule.ruleIdentity}-${creationTime}`,
  };
}

export const auditLogCmdlets: Cmdlet[] = [
  {
    name: 'Search-UnifiedAuditLog',
    parameters: {
      StartDate: 'string',
      EndDate: 'string',
      UserIds: 'stringArray',
      Operations: 'stringArray',
      RecordType: 'string',
      SessionId: 'string',
      SessionCommand: 'string',
    },
    mandatory: ['StartDate', 'EndDate'],
    run: ({ state, params }) => {
      const start = time(params, 'StartDate');
      const end = time(params, 'EndDate');
      const users = Array.isArray(params.UserIds) ? (params.UserIds as string[]) : [];
      const operations = new Set(
        (Array.isArray(params.Operations) ? (params.Operations as string[]) : []).map((op) =>
          op.toLowerCase(),
        ),
      );
      const mailboxes = users.length > 0 ? users.map((user) => findMailbox(state, user)) : state.mailboxes;
      const events = mailboxes
        .flatMap((mailbox) =>
          mailbox ? mailbox.inboxRules.flatMap((rule) => eventsOf(state, upnOf(state, mailbox), rule)) : [],
        )
        .filter((event) => operations.size === 0 || operations.has(event.operation.toLowerCase()))
        .filter((event) => {
          const at = Date.parse(event.at);
          return at >= start && at <= end;
        })
        .sort((a, b) => b.at.localeCompare(a.at));
      return events.map((event, index) => record(event, index, events.length));
    },
  },
];
