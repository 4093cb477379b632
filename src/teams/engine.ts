import type { RemediationEngine } from '../remediation/contract';

/** What the bot drives: the remediation engine (one name, src/remediation/contract.ts). */
export type { RemediationEngine };
