import type { Logger } from '../observability/logger';
import type { EngineListener, IncidentView, StepId } from './contract';

interface Pending {
  stepIds: Set<StepId>;
  /** A view is being read; a change meanwhile asks for one more read after it. */
  reading: boolean;
  again: boolean;
}

/**
 * The engine's change events (in-process). A write tells the feed which incident and steps
 * changed; when someone listens, the feed reads the incident's view once and hands it to every
 * listener. Writers never wait for the read, and changes that arrive while a view is being read
 * are folded into one more read, so a burst of writes costs a few reads and the last event always
 * reflects the last write.
 */
export class IncidentFeed {
  private readonly listeners = new Set<EngineListener>();
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly read: (incidentId: string) => Promise<IncidentView | undefined>,
    private readonly logger: Logger,
  ) {}

  subscribe(listener: EngineListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  changed(incidentId: string, stepIds: readonly StepId[] = []): void {
    if (this.listeners.size === 0) return;
    const entry = this.pending.get(incidentId) ?? { stepIds: new Set(), reading: false, again: false };
    for (const stepId of stepIds) entry.stepIds.add(stepId);
    this.pending.set(incidentId, entry);
    if (entry.reading) {
      entry.again = true;
      return;
    }
    void this.publish(incidentId, entry);
  }

  private async publish(incidentId: string, entry: Pending): Promise<void> {
    entry.reading = true;
    do {
      entry.again = false;
      const stepIds = [...entry.stepIds];
      entry.stepIds.clear();
      try {
        const incident = await this.read(incidentId);
        if (incident) this.emit({ type: 'incident.changed', incident, stepIds });
      } catch (error) {
        this.logger.warn({ err: error, incidentId }, 'incident change not published');
      }
    } while (entry.again);
    this.pending.delete(incidentId);
  }

  private emit(event: Parameters<EngineListener>[0]): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.logger.warn({ err: error, incidentId: event.incident.id }, 'change listener failed');
      }
    }
  }
}
