import type { Activity, ConversationReference } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../../src/observability/logger';
import { DeliveryError, DeliveryOutbox } from '../../../src/teams/delivery/outbox';
import { SlidingWindowPacer } from '../../../src/teams/delivery/slidingWindow';
import type { ConversationGateway, PrivateDelivery } from '../../../src/teams/gateway';

const chat: Partial<ConversationReference> = {
  conversation: { id: 'chat-1', tenantId: 't' } as ConversationReference['conversation'],
};
const text = (value: string): Partial<Activity> => ({ type: 'message', text: value });

class HttpFailure extends Error {
  constructor(
    readonly statusCode: number,
    retryAfter?: string,
  ) {
    super(`HTTP ${statusCode}`);
    this.response = { headers: { get: (name: string) => (name === 'retry-after' ? retryAfter : undefined) } };
  }
  readonly response: { headers: { get(name: string): string | undefined } };
}

/** Records every write; answers with the failures queued for it, then success. */
class ScriptedWriter implements ConversationGateway {
  readonly writes: { kind: string; text?: string; at: number; inFlight: number }[] = [];
  failures: Error[] = [];
  private inFlight = 0;
  private next = 1;

  private async write(kind: string, activity: Partial<Activity>): Promise<string> {
    this.inFlight += 1;
    this.writes.push({
      kind,
      ...(activity.text ? { text: activity.text } : {}),
      at: Date.now(),
      inFlight: this.inFlight,
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 2));
      const failure = this.failures.shift();
      if (failure) throw failure;
      return `id-${this.next++}`;
    } finally {
      this.inFlight -= 1;
    }
  }

  send(_reference: Partial<ConversationReference>, activity: Partial<Activity>) {
    return this.write('send', activity);
  }
  async update(_reference: Partial<ConversationReference>, _id: string, activity: Partial<Activity>) {
    await this.write('update', activity);
  }
  async sendPrivately(
    _reference: Partial<ConversationReference>,
    user: string,
    activity: Partial<Activity>,
  ): Promise<PrivateDelivery> {
    return { conversationId: `personal-${user}`, activityId: await this.write('private', activity) };
  }
}

const outboxOver = (writer: ScriptedWriter) =>
  new DeliveryOutbox({ writer, logger: createSilentLogger(), timeScale: 0.01, random: () => 0.5 });

describe('DeliveryOutbox', () => {
  it('never has two writes in flight to one conversation', async () => {
    const writer = new ScriptedWriter();
    const outbox = outboxOver(writer);
    await Promise.all(Array.from({ length: 10 }, (_, n) => outbox.send(chat, text(`m${n}`))));
    expect(writer.writes).toHaveLength(10);
    expect(writer.writes.every((write) => write.inFlight === 1)).toBe(true);
    expect(writer.writes.map((write) => write.text)).toEqual(Array.from({ length: 10 }, (_, n) => `m${n}`));
  });

  it('sends only the latest content of a card whose updates queued up', async () => {
    const writer = new ScriptedWriter();
    const outbox = outboxOver(writer);
    const first = outbox.send(chat, text('blocking'));
    const updates = ['running', 'half', 'done'].map((state) => outbox.update(chat, 'card-1', text(state)));
    await Promise.all([first, ...updates]);
    expect(writer.writes.map((write) => write.text)).toEqual(['blocking', 'done']);
    expect(outbox.stats().coalesced).toBe(2);
  });

  it('retries 429 without Retry-After, 412 and 502, and tells the caller the id', async () => {
    const writer = new ScriptedWriter();
    writer.failures = [
      new HttpFailure(429),
      new HttpFailure(412),
      new HttpFailure(502),
      new HttpFailure(429, '0'),
    ];
    const outbox = outboxOver(writer);
    await expect(outbox.send(chat, text('hello'))).resolves.toBe('id-1');
    expect(writer.writes).toHaveLength(5);
    expect(outbox.stats()).toMatchObject({ retries: 4, throttled: 2, failed: 0, posts: 1 });
  });

  it('does not retry a refusal (403) and tells the caller what happened', async () => {
    const writer = new ScriptedWriter();
    writer.failures = [new HttpFailure(403)];
    const outbox = outboxOver(writer);
    const failure = await outbox
      .sendPrivately(chat, '29:adele', text('secret'))
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DeliveryError);
    expect((failure as DeliveryError).status).toBe(403);
    expect(writer.writes).toHaveLength(1);
    expect(outbox.stats().failed).toBe(1);
  });

  it('gives up after the last attempt with the last status', async () => {
    const writer = new ScriptedWriter();
    writer.failures = Array.from({ length: 3 }, () => new HttpFailure(503));
    const outbox = new DeliveryOutbox({
      writer,
      logger: createSilentLogger(),
      timeScale: 0.01,
      maxAttempts: 3,
    });
    await expect(outbox.update(chat, 'card-1', text('x'))).rejects.toMatchObject({
      status: 503,
      attempts: 3,
    });
  });
});

describe('SlidingWindowPacer', () => {
  it('keeps every rolling window at or under its maximum', () => {
    const pacer = new SlidingWindowPacer([
      { ms: 1_000, max: 7 },
      { ms: 2_000, max: 8 },
    ]);
    const slots = Array.from({ length: 40 }, () => pacer.reserve(0));
    for (const end of slots) {
      expect(slots.filter((slot) => slot > end - 1_000 && slot <= end).length).toBeLessThanOrEqual(7);
      expect(slots.filter((slot) => slot > end - 2_000 && slot <= end).length).toBeLessThanOrEqual(8);
    }
    // Bursts are allowed up to the limit: the first seven go at once.
    expect(slots.slice(0, 7).every((slot) => slot === 0)).toBe(true);
  });

  it('holds everything back after a 429 until the pause ends', () => {
    const pacer = new SlidingWindowPacer([{ ms: 1_000, max: 7 }]);
    pacer.pauseUntil(500);
    expect(pacer.reserve(0)).toBe(500);
  });
});
