import type { Logger } from '../../observability/logger';
import type { IncidentLedger } from '../ledger';
import type { Policy } from '../policy';
import type { RemediationStore } from '../storage';

/** What every use case works with: the ledger for incidents and steps, the policy, the store's queries. */
export interface UseCaseDeps {
  ledger: IncidentLedger;
  store: RemediationStore;
  policy: Policy;
  logger: Logger;
  /** New incident and group ids. */
  ids: () => string;
}
