import type { Activity } from 'botbuilder';

const DEFAULT_CAPACITY = 5_000;

/**
 * What each message last showed, as far as this instance knows, so a card whose content did not
 * change is not written again: every update counts against Teams' per-conversation limits. After
 * a restart (or on another instance) the memory is empty and the card is simply written once more.
 */
export class SentCards {
  private readonly shown = new Map<string, string>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  /** True when the message already shows exactly this content. */
  shows(activityId: string, activity: Partial<Activity>): boolean {
    return this.shown.get(activityId) === JSON.stringify(activity);
  }

  remember(activityId: string, activity: Partial<Activity>): void {
    this.shown.delete(activityId);
    this.shown.set(activityId, JSON.stringify(activity));
    // Oldest first out: Map keeps insertion order.
    while (this.shown.size > this.capacity) {
      const oldest = this.shown.keys().next().value;
      if (oldest === undefined) break;
      this.shown.delete(oldest);
    }
  }

  /** A write that failed (or whose outcome is unknown): the card may show anything. */
  forget(activityId: string): void {
    this.shown.delete(activityId);
  }
}
