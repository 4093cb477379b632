import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { Actor } from '../remediation/contract';
import type { Strings } from './i18n';

/** Action.Execute data: opaque ids and the card's own inputs. Bounded so a crafted click cannot flood. */
export const actionDataSchema = z
  .object({
    i: z.string().min(1).max(100),
    s: z.string().max(100).optional(),
    v: z.string().max(200).optional(),
    credentialKind: z.enum(['password', 'temporaryAccessPass']).optional(),
  })
  .catchall(z.unknown());

export type ActionData = z.infer<typeof actionDataSchema>;

/** One card click, parsed and attributed: what every card-action handler receives. */
export interface ActionContext {
  turn: TurnContext;
  actor: Actor;
  data: ActionData;
  strings: Strings;
  locale: string;
}
