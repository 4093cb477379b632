import type { ConversationReference } from 'botbuilder';
import { z } from 'zod';
import type { Json, KeyValueStore } from '../../store/types';

const KEY = 'teams/delivery/credentials-owed';

/** A credential step approved by someone who has not received its secret yet. */
export interface OwedCredential {
  incidentId: string;
  stepId: string;
  approver: { channelUserId: string; name: string };
  /** Where the approval was clicked (the note about the delivery goes there). */
  clickedIn: { reference: Partial<ConversationReference>; personal: boolean; locale: string };
}

const schema = z.array(
  z.object({
    incidentId: z.string(),
    stepId: z.string(),
    approver: z.object({ channelUserId: z.string(), name: z.string() }),
    clickedIn: z.object({
      reference: z.record(z.string(), z.unknown()),
      personal: z.boolean(),
      locale: z.string(),
    }),
  }),
);

const same = (a: { incidentId: string; stepId: string }, b: { incidentId: string; stepId: string }) =>
  a.incidentId === b.incidentId && a.stepId === b.stepId;

/**
 * Credentials the bot owes an approver: recorded before a password reset (or TAP) runs, removed
 * once the secret reached the approver. The secret itself is never stored; a restarted bot that
 * finds an entry whose step is done sets a new credential and delivers that one, so no password
 * ends up known to nobody. One key, updated with eTags (as the delivery ledger).
 */
export class OwedCredentials {
  constructor(private readonly store: KeyValueStore) {}

  async list(): Promise<OwedCredential[]> {
    const entry = await this.store.getItem(KEY);
    const parsed = schema.safeParse(entry?.value ?? []);
    return parsed.success ? (parsed.data as OwedCredential[]) : [];
  }

  owe(credential: OwedCredential): Promise<void> {
    return this.change((owed) => [...owed.filter((entry) => !same(entry, credential)), credential]);
  }

  settle(incidentId: string, stepId: string): Promise<void> {
    return this.change((owed) => owed.filter((entry) => !same(entry, { incidentId, stepId })));
  }

  private async change(next: (owed: OwedCredential[]) => OwedCredential[]): Promise<void> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const entry = await this.store.getItem(KEY);
      const parsed = schema.safeParse(entry?.value ?? []);
      const current = parsed.success ? (parsed.data as OwedCredential[]) : [];
      const changed = next(current);
      if (JSON.stringify(changed) === JSON.stringify(current)) return;
      if (
        (await this.store.setItem(KEY, JSON.parse(JSON.stringify(changed)) as Json, entry?.eTag)) !==
        undefined
      ) {
        return;
      }
    }
    throw new Error('Could not record a credential owed to an approver: too many concurrent updates.');
  }
}
