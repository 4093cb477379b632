import { randomBytes, randomUUID } from 'node:crypto';

export const newGuid = (): string => randomUUID();

/** Exchange RuleIdentity: a 64-bit number printed in decimal. */
export const newRuleIdentity = (): string => (randomBytes(8).readBigUInt64BE() >> 1n).toString();

/** Graph-style opaque ids (role assignments, grants): base64url of random bytes. */
export const newOpaqueId = (bytes = 24): string => randomBytes(bytes).toString('base64url');
