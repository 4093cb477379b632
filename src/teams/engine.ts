import type { GroupRemediationService, RemediationService } from '../remediation/contract';

/** What the bot drives: the per-incident service and, for mass incidents, the group additions. */
export type TeamsEngine = RemediationService & GroupRemediationService;
