import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Json, KeyValueStore } from '../../store/types';
import type { Alert } from './alert';

const ALERT_KEY_PREFIX = 'teams/alerts/';

const alertRecordSchema = z.object({
  reference: z.string(),
  alert: z.object({
    users: z.array(z.string()),
    alertId: z.string(),
    source: z.string(),
    severity: z.string(),
    title: z.string(),
    link: z.string().optional(),
  }),
  receivedAt: z.string(),
  status: z.enum(['awaiting-responder', 'opened']),
  openedBy: z.string().optional(),
});
export type AlertRecord = z.infer<typeof alertRecordSchema>;

/** Alerts waiting for a responder, in the project's key-value store (shared by instances). */
export class AlertInbox {
  constructor(private readonly store: KeyValueStore) {}

  async add(alert: Alert, receivedAt: string): Promise<AlertRecord> {
    const record: AlertRecord = { reference: randomUUID(), alert, receivedAt, status: 'awaiting-responder' };
    await this.store.setItem(ALERT_KEY_PREFIX + record.reference, record as unknown as Json);
    return record;
  }

  async get(reference: string): Promise<AlertRecord | undefined> {
    const entry = await this.store.getItem(ALERT_KEY_PREFIX + reference);
    const parsed = alertRecordSchema.safeParse(entry?.value);
    return parsed.success ? parsed.data : undefined;
  }

  /**
   * Marks the alert taken by one responder. eTag-conditional, so two responders clicking at
   * once open the incidents once: the loser gets undefined.
   */
  async claim(reference: string, openedBy: string): Promise<AlertRecord | undefined> {
    const entry = await this.store.getItem(ALERT_KEY_PREFIX + reference);
    const parsed = alertRecordSchema.safeParse(entry?.value);
    if (!entry || !parsed.success || parsed.data.status !== 'awaiting-responder') return undefined;
    const claimed: AlertRecord = { ...parsed.data, status: 'opened', openedBy };
    const written = await this.store.setItem(
      ALERT_KEY_PREFIX + reference,
      claimed as unknown as Json,
      entry.eTag,
    );
    return written ? claimed : undefined;
  }

  /** Gives the alert back when opening failed (a refusal), so another responder can take it. */
  async release(reference: string): Promise<void> {
    const entry = await this.store.getItem(ALERT_KEY_PREFIX + reference);
    const parsed = alertRecordSchema.safeParse(entry?.value);
    if (!entry || !parsed.success) return;
    const { openedBy: _openedBy, ...rest } = parsed.data;
    await this.store.setItem(
      ALERT_KEY_PREFIX + reference,
      { ...rest, status: 'awaiting-responder' } as unknown as Json,
      entry.eTag,
    );
  }
}
