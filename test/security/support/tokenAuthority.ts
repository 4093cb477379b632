import { createHmac, generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import type { BotAuthenticationEndpoints } from '../../../src/server/botAuthentication';

export const CHANNEL_ISSUER = 'https://api.botframework.com';
/** An Entra v1 issuer botbuilder treats as an Emulator / skill token issuer. */
export const EMULATOR_ISSUER = 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/';

function keyPair() {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

export interface TokenAuthority {
  endpoints: BotAuthenticationEndpoints;
  /** A token signed with the published key (RS256, kid of the published key). */
  sign(
    claims: Record<string, unknown>,
    options?: { expiresInSeconds?: number; algorithm?: 'RS256' | 'RS384' },
  ): string;
  /** Same kid, different private key: the signature cannot verify. */
  signWithForeignKey(claims: Record<string, unknown>): string;
  /** alg "none", no signature. */
  unsigned(claims: Record<string, unknown>): string;
  /** HS256 keyed with the PUBLIC key's PEM: the classic algorithm-confusion forgery. */
  hmacWithPublicKey(claims: Record<string, unknown>): string;
  requests: string[];
  close(): Promise<void>;
}

/**
 * A local stand-in for login.botframework.com: an OpenID configuration and a JWKS with one RSA
 * key (endorsed for several channels, as the real Bot Framework keys are), and helpers to sign tokens.
 */
export async function startTokenAuthority(): Promise<TokenAuthority> {
  const { publicKey, privateKey } = keyPair();
  const foreign = keyPair();
  const kid = 'test-key-1';
  const jwk = publicKey.export({ format: 'jwk' });
  const requests: string[] = [];
  let base = '';
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    res.setHeader('content-type', 'application/json');
    if (req.url?.endsWith('/.well-known/openidconfiguration')) {
      res.end(JSON.stringify({ issuer: CHANNEL_ISSUER, jwks_uri: `${base}/keys` }));
      return;
    }
    if (req.url === '/keys') {
      res.end(
        JSON.stringify({
          keys: [{ ...jwk, kid, use: 'sig', endorsements: ['msteams', 'webchat', 'directline'] }],
        }),
      );
      return;
    }
    res.statusCode = 404;
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const payload = (claims: Record<string, unknown>, expiresInSeconds = 600) => {
    const now = Math.floor(Date.now() / 1000);
    return { nbf: now - 60, iat: now - 60, exp: now + expiresInSeconds, ...claims };
  };

  return {
    endpoints: {
      channelOpenIdMetadataUrl: `${base}/channel/.well-known/openidconfiguration`,
      emulatorOpenIdMetadataUrl: `${base}/emulator/.well-known/openidconfiguration`,
      channelTokenIssuer: CHANNEL_ISSUER,
    },
    sign: (claims, options = {}) =>
      jwt.sign(
        payload(claims, options.expiresInSeconds),
        privateKey.export({ format: 'pem', type: 'pkcs8' }),
        {
          algorithm: options.algorithm ?? 'RS256',
          keyid: kid,
        },
      ),
    signWithForeignKey: (claims) =>
      jwt.sign(payload(claims), foreign.privateKey.export({ format: 'pem', type: 'pkcs8' }), {
        algorithm: 'RS256',
        keyid: kid,
      }),
    unsigned: (claims) => {
      const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      return `${encode({ alg: 'none', typ: 'JWT', kid })}.${encode(payload(claims))}.`;
    },
    hmacWithPublicKey: (claims) => {
      const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const head = `${encode({ alg: 'HS256', typ: 'JWT', kid })}.${encode(payload(claims))}`;
      const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
      return `${head}.${createHmac('sha256', pem).update(head).digest('base64url')}`;
    },
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
