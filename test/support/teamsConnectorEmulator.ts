import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A Bot Connector stand-in that behaves as Microsoft documents for Teams, so the bot is tested
 * in a world with Teams' limits (the Agents Playground enforces none):
 *
 * - per bot per conversation: 7 writes per 1 s, 8 per 2 s, 60 per 30 s, 1,800 per hour; card
 *   updates count like posts. Over a limit: 429, with or without `Retry-After` (Teams may omit it).
 * - per app per tenant: 50 requests per second, all conversations together.
 * - 412 when two writes to one conversation overlap (Teams' advice is to retry 412, 502 and 504
 *   like 429).
 * - 502 on chosen writes (a gateway hiccup).
 * - 403 when the bot opens a 1:1 chat with someone who has not installed the app personally (by
 *   hand, or through Graph on the tenant the emulator is told about).
 *
 * Source of the figures: "Optimize your bot with rate limiting and best practices in Teams",
 * https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit . Choices the
 * page does not make (rejected writes do not count against the windows; a reply to an id the
 * conversation does not have is 404; the 403 body) are the emulator's.
 *
 * It keeps the latest content of every message so tests can check each card ends current.
 */
export interface EmulatorMember {
  id: string;
  name: string;
  aadObjectId: string;
  userPrincipalName: string;
}

export interface EmulatorOptions {
  members: Record<string, EmulatorMember>;
  /** Enforce the rate limits (default true). */
  limits?: boolean;
  /** `Retry-After` seconds on a 429; undefined sends none. */
  retryAfterSeconds?: number;
  /** Answer 412 when a write to a conversation arrives while another is in flight (default true). */
  rejectOverlap?: boolean;
  /** How long each write is in flight (default 10 ms). */
  writeLatencyMs?: number;
  /** Multiplies every window length (tests run the same limits faster with 0.1). */
  timeScale?: number;
  /** Channel user ids with the app installed personally; undefined means everyone. */
  personalInstalls?: string[];
  /**
   * Asks the tenant whether the app is installed for a user (Entra object id), e.g. after Graph's
   * POST /users/{id}/teamwork/installedApps on the simulated tenant; consulted when `personalInstalls`
   * does not list the user.
   */
  installedInTenant?: (aadObjectId: string) => boolean;
  /** The nth writes (1-based, over all conversations) answered 502. */
  badGatewayOn?: number[];
  /** The nth writes answered 403 (a refusal no retry changes). */
  forbiddenOn?: number[];
}

export interface EmulatedMessage {
  id: string;
  conversationId: string;
  replyToId?: string;
  /** The latest content (after every update). */
  activity: Record<string, unknown>;
  updates: number;
  postedAt: number;
  /** When the latest content arrived (the post, or the last update). */
  changedAt: number;
}

export interface ConversationStats {
  posts: number;
  updates: number;
  rejected429: number;
  rejected412: number;
  rejected502: number;
}

const WINDOWS = [
  { ms: 1_000, max: 7 },
  { ms: 2_000, max: 8 },
  { ms: 30_000, max: 60 },
  { ms: 3_600_000, max: 1_800 },
];
const TENANT_WINDOW = { ms: 1_000, max: 50 };

interface ConversationState {
  messages: Map<string, EmulatedMessage>;
  order: string[];
  writes: number[];
  inFlight: number;
  stats: ConversationStats;
  /** Activity ids the users posted (what the bot may reply to). */
  incoming: Set<string>;
}

export interface TeamsConnectorEmulator {
  url: string;
  /** Messages in a conversation, in the order they were posted, with their latest content. */
  messages(conversationId: string): EmulatedMessage[];
  stats(conversationId: string): ConversationStats;
  /** Sum over all conversations. */
  totals(): ConversationStats & { conversationsCreated: number; refused403: number };
  /** Conversation id of the 1:1 chat with a user, once the bot opened it. */
  personalConversationOf(channelUserId: string): string | undefined;
  /** A user message the bot may reply to (Teams knows the ids of what users post). */
  noteIncoming(conversationId: string, activityId: string): void;
  /** The app installed for a user personally (what Graph's installedApps does in Teams). */
  install(channelUserId: string): void;
  /** Turn limits, Retry-After or overlap rejection on and off mid-test. */
  configure(change: Partial<Pick<EmulatorOptions, 'limits' | 'retryAfterSeconds' | 'rejectOverlap'>>): void;
  close(): Promise<void>;
}

const emptyStats = (): ConversationStats => ({
  posts: 0,
  updates: 0,
  rejected429: 0,
  rejected412: 0,
  rejected502: 0,
});

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startTeamsConnectorEmulator(options: EmulatorOptions): Promise<TeamsConnectorEmulator> {
  const settings = {
    limits: options.limits ?? true,
    retryAfterSeconds: options.retryAfterSeconds,
    rejectOverlap: options.rejectOverlap ?? true,
  };
  const latencyMs = options.writeLatencyMs ?? 10;
  const scale = options.timeScale ?? 1;
  const installs = options.personalInstalls ? new Set(options.personalInstalls) : undefined;
  const badGatewayOn = new Set(options.badGatewayOn ?? []);
  const forbiddenOn = new Set(options.forbiddenOn ?? []);
  const conversations = new Map<string, ConversationState>();
  const personal = new Map<string, string>();
  const tenantWrites: number[] = [];
  let writeNumber = 0;
  let nextId = 1;
  let created = 0;
  let refused403 = 0;

  const conversation = (id: string): ConversationState => {
    let state = conversations.get(id);
    if (!state) {
      state = {
        messages: new Map(),
        order: [],
        writes: [],
        inFlight: 0,
        stats: emptyStats(),
        incoming: new Set(),
      };
      conversations.set(id, state);
    }
    return state;
  };

  const overLimit = (writes: number[], windows: { ms: number; max: number }[], now: number): boolean =>
    windows.some((window) => writes.filter((at) => at > now - window.ms * scale).length >= window.max);

  const send = (
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  /** Rate limit, overlap and injected 502 for one write; undefined when it may proceed. */
  const refusal = (
    state: ConversationState,
  ): { status: number; headers?: Record<string, string> } | undefined => {
    writeNumber += 1;
    const now = Date.now();
    if (
      settings.limits &&
      (overLimit(state.writes, WINDOWS, now) || overLimit(tenantWrites, [TENANT_WINDOW], now))
    ) {
      state.stats.rejected429 += 1;
      return {
        status: 429,
        ...(settings.retryAfterSeconds !== undefined
          ? { headers: { 'retry-after': String(settings.retryAfterSeconds) } }
          : {}),
      };
    }
    if (settings.rejectOverlap && state.inFlight > 0) {
      state.stats.rejected412 += 1;
      return { status: 412 };
    }
    if (badGatewayOn.has(writeNumber)) {
      state.stats.rejected502 += 1;
      return { status: 502 };
    }
    if (forbiddenOn.has(writeNumber)) return { status: 403 };
    state.writes.push(now);
    tenantWrites.push(now);
    return undefined;
  };

  const handleWrite = async (
    res: http.ServerResponse,
    conversationId: string,
    apply: (state: ConversationState) => { status: number; body: unknown },
  ) => {
    const state = conversation(conversationId);
    const refused = refusal(state);
    if (refused) {
      send(
        res,
        refused.status,
        { error: { code: refused.status === 429 ? 'TooManyRequests' : 'Refused' } },
        refused.headers,
      );
      return;
    }
    state.inFlight += 1;
    try {
      await sleep(latencyMs);
      const answer = apply(state);
      send(res, answer.status, answer.body);
    } finally {
      state.inFlight -= 1;
    }
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://emulator');
      const path = url.pathname.replace(/\/+$/, '');
      const method = req.method ?? 'GET';
      const parsed = body ? (JSON.parse(body) as Record<string, unknown>) : {};

      const member = /^\/v3\/conversations\/[^/]+\/members\/([^/]+)$/.exec(path);
      if (method === 'GET' && member?.[1]) {
        const found = options.members[decodeURIComponent(member[1])];
        send(res, found ? 200 : 404, found ?? { error: { code: 'MemberNotFound' } });
        return;
      }
      if (method === 'POST' && path === '/v3/conversations') {
        const members = (parsed.members as { id?: string }[] | undefined) ?? [];
        const userId = members[0]?.id ?? '';
        const aadObjectId = options.members[userId]?.aadObjectId;
        const installedViaTenant = aadObjectId !== undefined && options.installedInTenant?.(aadObjectId);
        if (installs && !installs.has(userId) && !installedViaTenant) {
          refused403 += 1;
          send(res, 403, {
            error: { code: 'Forbidden', message: 'The bot is not installed for this user.' },
          });
          return;
        }
        let id = personal.get(userId);
        if (!id) {
          id = `a:personal-${userId}`;
          personal.set(userId, id);
          created += 1;
        }
        send(res, 201, { id });
        return;
      }
      const activities = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
      if (!activities?.[1]) {
        send(res, 404, { error: { code: 'NotFound' } });
        return;
      }
      const conversationId = decodeURIComponent(activities[1]);
      const activityId = activities[2] ? decodeURIComponent(activities[2]) : undefined;
      if (method === 'POST') {
        await handleWrite(res, conversationId, (state) => {
          if (activityId && !state.messages.has(activityId) && !state.incoming.has(activityId)) {
            return { status: 404, body: { error: { code: 'ActivityNotFoundInConversation' } } };
          }
          const id = `msg-${nextId++}`;
          state.messages.set(id, {
            id,
            conversationId,
            ...(activityId ? { replyToId: activityId } : {}),
            activity: parsed,
            updates: 0,
            postedAt: Date.now(),
            changedAt: Date.now(),
          });
          state.order.push(id);
          state.stats.posts += 1;
          return { status: 201, body: { id } };
        });
        return;
      }
      if (method === 'PUT' && activityId) {
        await handleWrite(res, conversationId, (state) => {
          const message = state.messages.get(activityId);
          if (!message) return { status: 404, body: { error: { code: 'ActivityNotFoundInConversation' } } };
          message.activity = parsed;
          message.updates += 1;
          message.changedAt = Date.now();
          state.stats.updates += 1;
          return { status: 200, body: { id: activityId } };
        });
        return;
      }
      send(res, 405, { error: { code: 'MethodNotAllowed' } });
    })().catch((error: unknown) => {
      send(res, 500, { error: { code: 'EmulatorError', message: String(error) } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    messages: (conversationId) => {
      const state = conversations.get(conversationId);
      if (!state) return [];
      return state.order.map((id) => state.messages.get(id)).filter((m): m is EmulatedMessage => !!m);
    },
    stats: (conversationId) => ({ ...(conversations.get(conversationId)?.stats ?? emptyStats()) }),
    totals: () => {
      const total = emptyStats();
      for (const state of conversations.values()) {
        for (const key of Object.keys(total) as (keyof ConversationStats)[]) total[key] += state.stats[key];
      }
      return { ...total, conversationsCreated: created, refused403 };
    },
    personalConversationOf: (channelUserId) => personal.get(channelUserId),
    noteIncoming: (conversationId, activityId) => void conversation(conversationId).incoming.add(activityId),
    install: (channelUserId) => void installs?.add(channelUserId),
    configure: (change) => Object.assign(settings, change),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
