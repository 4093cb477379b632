import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ConnectorCall {
  method: string;
  url: string;
  body: string;
  /** The id answered for a posted activity or a created conversation. */
  responseId?: string;
}

export interface FakeConnector {
  url: string;
  calls: ConnectorCall[];
  /** Conversations the bot created (1:1 chats for private delivery). */
  privateConversationIds: string[];
  close(): Promise<void>;
}

/**
 * A stand-in for the Bot Connector service (Teams' side of the conversation): records every
 * call the bot makes, answers getMember for mentions, and creates 1:1 conversations.
 */
export async function startFakeConnector(
  members: Record<string, { id: string; name: string; aadObjectId: string; userPrincipalName: string }>,
): Promise<FakeConnector> {
  let next = 1;
  const calls: ConnectorCall[] = [];
  const privateConversationIds: string[] = [];
  const personalChats = new Map<string, string>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const url = req.url ?? '';
      const call: ConnectorCall = { method: req.method ?? '', url, body };
      calls.push(call);
      res.setHeader('content-type', 'application/json');
      const member = /\/members\/([^/?]+)/.exec(url);
      if (req.method === 'GET' && member?.[1]) {
        const found = members[decodeURIComponent(member[1])];
        res.statusCode = found ? 200 : 404;
        res.end(JSON.stringify(found ?? { error: { code: 'MemberNotFound' } }));
        return;
      }
      if (req.method === 'POST' && /^\/v3\/conversations\/?$/.test(url)) {
        // As Teams does, one 1:1 conversation per user: opening it again returns the same id.
        const memberId = (JSON.parse(body || '{}') as { members?: { id?: string }[] }).members?.[0]?.id ?? '';
        let id = personalChats.get(memberId);
        if (!id) {
          id = `private-${next++}`;
          personalChats.set(memberId, id);
          privateConversationIds.push(id);
        }
        call.responseId = id;
        res.end(JSON.stringify({ id }));
        return;
      }
      call.responseId = `sent-${next++}`;
      res.end(JSON.stringify({ id: call.responseId }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    calls,
    privateConversationIds,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
