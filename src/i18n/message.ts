/**
 * Text the engine wants a person to read, as data: a code and its parameters. The engine never
 * builds sentences; cards, the CLI and the report render a Message in the reader's language
 * (see findings.ts). Parameters that come from the tenant (rule names, folders, addresses) are
 * inserted as given; escaping for a card is the card builder's job.
 */
export type MessageParam = string | number | string[] | Message;

export interface Message {
  code: string;
  params?: Record<string, MessageParam>;
}

export function message(code: string, params?: Record<string, MessageParam>): Message {
  return params === undefined ? { code } : { code, params };
}
