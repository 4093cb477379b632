import { z } from 'zod';
import type { InboxRuleChange } from '../types';

/**
 * Search-UnifiedAuditLog output, as InvokeCommand serialises it: one record per audited event,
 * its details in AuditData (a JSON string). For New-InboxRule and Set-InboxRule the cmdlet's
 * parameters are in AuditData.Parameters as {Name, Value} pairs (learn.microsoft.com, "Search the
 * audit log to investigate mailbox rule changes"; the same shape public detections parse).
 */
export const auditRecordWire = z.object({
  CreationDate: z.string(),
  Operations: z.string().nullish(),
  AuditData: z.string().nullish(),
});

const auditDataWire = z.object({
  CreationTime: z.string().nullish(),
  Operation: z.string().nullish(),
  Parameters: z.array(z.object({ Name: z.string(), Value: z.unknown() })).nullish(),
});

/** The cmdlets whose audit records say an inbox rule was created or changed. */
export const RULE_CHANGE_OPERATIONS = ['New-InboxRule', 'Set-InboxRule'] as const;

/** The UTC instant of a record: AuditData.CreationTime has no zone designator but is UTC. */
function utc(value: string): string | undefined {
  const withZone = /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`;
  const ms = Date.parse(withZone);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/** One record as a rule change; undefined for records that name no rule or time. */
export function toInboxRuleChange(wire: z.output<typeof auditRecordWire>): InboxRuleChange | undefined {
  let data: z.output<typeof auditDataWire> = {};
  try {
    const parsed = auditDataWire.safeParse(JSON.parse(wire.AuditData ?? '{}'));
    if (parsed.success) data = parsed.data;
  } catch {
    // An unreadable AuditData names no rule.
  }
  const operation = data.Operation ?? wire.Operations ?? '';
  const parameter = (name: string): string | undefined => {
    const value = data.Parameters?.find((candidate) => candidate.Name === name)?.Value;
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  // New-InboxRule names the rule (-Name); Set-InboxRule identifies it (-Identity: name, or mailbox\id).
  const rule = operation === 'New-InboxRule' ? parameter('Name') : parameter('Identity');
  const at = utc(data.CreationTime ?? wire.CreationDate);
  if (rule === undefined || at === undefined) return undefined;
  return { rule: rule.includes('\\') ? (rule.split('\\').pop() ?? rule) : rule, operation, at };
}
