/** The refusal audit lives with the engine (which limits its own refusals too); hosting uses it from here. */
export { RefusalAudit } from '../remediation/refusalAudit';
export type { AuditSink, RefusalAuditOptions } from '../remediation/refusalAudit';
