/** A user named in a message: a Teams mention (resolved later) or a typed address / object id. */
export type TargetRef =
  { kind: 'mention'; channelId: string; name: string } | { kind: 'address'; value: string };

export type Command =
  | { kind: 'compromised'; targets: TargetRef[]; unrecognised: string[] }
  | { kind: 'status' }
  | { kind: 'history'; targets: TargetRef[] }
  | { kind: 'report'; incidentId?: string }
  | { kind: 'cancel'; incidentId?: string }
  | { kind: 'restoreRoles'; targets: TargetRef[] }
  | { kind: 'help' };

export interface MentionEntity {
  mentioned: { id: string; name?: string };
  text?: string;
}

const EMAIL = /^[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Words that join names in a list ("Megan and Lynne", "Megan og Lynne"). */
const JOINERS = new Set(['and', 'og', '&', '+']);

/** Text without <at>…</at> mentions, other HTML tags and entities. */
export function plainText(text: string): string {
  return text
    .replace(/<at>[\s\S]*?<\/at>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&amp;/gi, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

function typedTargets(words: string[]): { targets: TargetRef[]; unrecognised: string[] } {
  const targets: TargetRef[] = [];
  const unrecognised: string[] = [];
  for (const raw of words) {
    const word = raw.replace(/^mailto:/i, '').replace(/^[,;:]+|[,;:.]+$/g, '');
    if (word === '' || JOINERS.has(word.toLowerCase())) continue;
    if (EMAIL.test(word) || GUID.test(word)) targets.push({ kind: 'address', value: word });
    else unrecognised.push(word);
  }
  return { targets, unrecognised };
}

/**
 * Parses a message whose bot mention was already removed. Mentions of other people come
 * from the activity's mention entities (Teams puts their display name in the text).
 */
export function parseCommand(text: string, mentions: MentionEntity[]): Command {
  const plain = plainText(text);
  const words = plain.split(/[\s,;]+/).filter((word) => word.length > 0);
  const [first = '', second = ''] = words.map((word) => word.toLowerCase());
  const mentioned: TargetRef[] = mentions.map((mention) => ({
    kind: 'mention',
    channelId: mention.mentioned.id,
    name: mention.mentioned.name ?? '',
  }));

  switch (first) {
    case 'compromised':
    case 'compromise':
    case 'kompromittert': {
      const typed = typedTargets(words.slice(1));
      return {
        kind: 'compromised',
        targets: [...mentioned, ...typed.targets],
        unrecognised: typed.unrecognised,
      };
    }
    case 'status':
      return { kind: 'status' };
    case 'history':
    case 'historikk':
      return { kind: 'history', targets: [...mentioned, ...typedTargets(words.slice(1)).targets] };
    case 'report':
    case 'rapport':
      return { kind: 'report', ...(words[1] ? { incidentId: words[1] } : {}) };
    case 'cancel':
    case 'avbryt':
      return { kind: 'cancel', ...(words[1] ? { incidentId: words[1] } : {}) };
    case 'restore':
      if (second === 'roles' || second === 'role') {
        return { kind: 'restoreRoles', targets: [...mentioned, ...typedTargets(words.slice(2)).targets] };
      }
      return { kind: 'help' };
    default:
      return { kind: 'help' };
  }
}

/** A reply to the target prompt: just people, no command word needed. */
export function parseTargetsOnly(
  text: string,
  mentions: MentionEntity[],
): { targets: TargetRef[]; unrecognised: string[] } {
  const words = plainText(text)
    .split(/[\s,;]+/)
    .filter((word) => word.length > 0);
  const typed = typedTargets(words);
  const mentioned: TargetRef[] = mentions.map((mention) => ({
    kind: 'mention',
    channelId: mention.mentioned.id,
    name: mention.mentioned.name ?? '',
  }));
  return { targets: [...mentioned, ...typed.targets], unrecognised: typed.unrecognised };
}
