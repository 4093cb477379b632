import type { Json, KeyValueStore } from '../../store/types';

const KEY = 'teams/delivery/outstanding';

/**
 * Incidents whose cards and summaries still owe Teams something: added when the cards are
 * posted, removed once the incident is closed and both summaries arrived. A restarted bot (or
 * another instance on the same store) reads it to finish the job. One key, updated with eTags.
 */
export class DeliveryLedger {
  constructor(private readonly store: KeyValueStore) {}

  async list(): Promise<string[]> {
    const entry = await this.store.getItem(KEY);
    return Array.isArray(entry?.value)
      ? entry.value.filter((id): id is string => typeof id === 'string')
      : [];
  }

  add(incidentId: string): Promise<void> {
    return this.change((ids) => (ids.includes(incidentId) ? ids : [...ids, incidentId]));
  }

  remove(incidentId: string): Promise<void> {
    return this.change((ids) => ids.filter((id) => id !== incidentId));
  }

  private async change(next: (ids: string[]) => string[]): Promise<void> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const entry = await this.store.getItem(KEY);
      const current = Array.isArray(entry?.value)
        ? entry.value.filter((id): id is string => typeof id === 'string')
        : [];
      const changed = next(current);
      if (changed.length === current.length && changed.every((id, index) => id === current[index])) return;
      if ((await this.store.setItem(KEY, changed as Json, entry?.eTag)) !== undefined) return;
    }
    throw new Error('Could not record outstanding Teams deliveries: too many concurrent updates.');
  }
}
