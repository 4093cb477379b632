import type { FolderIdentity } from '../../m365/types';
import { matchKey } from './normalise';

/**
 * Where a rule puts mail, by the folder's identity rather than its (localised) name.
 * - conceal: folders nobody reads mail in (RSS Feeds, Conversation History, Sync Issues, Notes,
 *   Calendar, Recoverable Items, Clutter, Outbox...): moving mail there only makes sense to hide it.
 * - discard: Deleted Items and Junk Email: where users also send unwanted mail on purpose.
 * - archive: the Archive folder: common for filing, also used to hide mail.
 * - custom: a folder the user made.
 * - inbox: the Inbox itself.
 */
export type FolderRole = 'conceal' | 'discard' | 'archive' | 'custom' | 'inbox';

/** Graph mailFolder well-known names (Graph v1.0 mailFolder resource), plus the non-mail default folders. */
const ROLE_OF_WELL_KNOWN: Record<string, FolderRole> = {
  inbox: 'inbox',
  archive: 'archive',
  deleteditems: 'discard',
  junkemail: 'discard',
  recoverableitemsdeletions: 'conceal',
  conversationhistory: 'conceal',
  syncissues: 'conceal',
  conflicts: 'conceal',
  localfailures: 'conceal',
  serverfailures: 'conceal',
  clutter: 'conceal',
  outbox: 'conceal',
  drafts: 'conceal',
  sentitems: 'conceal',
  scheduled: 'conceal',
  searchfolders: 'conceal',
  msgfolderroot: 'conceal',
  rssfeeds: 'conceal',
  notes: 'conceal',
  calendar: 'conceal',
  contacts: 'conceal',
  tasks: 'conceal',
  journal: 'conceal',
};

/**
 * Fallback when only a folder name is known (a rule read without folder identity): the default
 * folders' names in the mailbox languages Outlook localises them to (Set-MailboxRegionalConfiguration
 * -LocalizeDefaultFolderName), en, nb, nn, sv, da, fi, de, nl, fr, es, it, pl.
 */
const DEFAULT_FOLDER_NAMES: Record<string, string[]> = {
  deleteditems: [
    'deleted items',
    'slettede elementer',
    'sletta element',
    'borttagna objekt',
    'slettet post',
    'poistetut',
    'gelöschte elemente',
    'verwijderde items',
    'éléments supprimés',
    'elementos eliminados',
    'posta eliminata',
    'elementy usunięte',
    'deleted',
  ],
  junkemail: [
    'junk email',
    'junk e-mail',
    'junk',
    'søppelpost',
    'uønsket e-post',
    'skräppost',
    'uønsket mail',
    'uønsket e-mail',
    'roskaposti',
    'junk-e-mail',
    'ongewenste e-mail',
    'courrier indésirable',
    'correo no deseado',
    'posta indesiderata',
    'wiadomości-śmieci',
    'spam',
  ],
  archive: [
    'archive',
    'arkiv',
    'arkisto',
    'archiv',
    'archief',
    'archives',
    'archivo',
    'archivio',
    'archiwum',
  ],
  conversationhistory: [
    'conversation history',
    'samtalelogg',
    'samtalehistorikk',
    'konversationshistorik',
    'samtalehistorik',
    'keskusteluhistoria',
    'unterhaltungsverlauf',
    'gespreksgeschiedenis',
    'historique des conversations',
    'historial de conversaciones',
    'cronologia conversazioni',
    'historia konwersacji',
  ],
  rssfeeds: [
    'rss feeds',
    'rss subscriptions',
    'rss-feeder',
    'rss-feeds',
    'rss-flöden',
    'rss-syötteet',
    'rss-kanäle',
    'flux rss',
    'fuentes rss',
    'feed rss',
    'kanały rss',
    'rss',
  ],
  syncissues: [
    'sync issues',
    'synkroniseringsproblemer',
    'synkroniseringsproblem',
    'synkronointiongelmat',
    'synchronisierungsprobleme',
    'synchronisatieproblemen',
    'problèmes de synchronisation',
    'problemas de sincronización',
    'problemi di sincronizzazione',
    'problemy z synchronizacją',
    'conflicts',
    'local failures',
    'server failures',
  ],
  notes: [
    'notes',
    'notater',
    'anteckningar',
    'noter',
    'muistiinpanot',
    'notizen',
    'notities',
    'notas',
    'note',
    'notatki',
  ],
  calendar: ['calendar', 'kalender', 'kalenteri', 'agenda', 'calendrier', 'calendario', 'kalendarz'],
  tasks: [
    'tasks',
    'oppgaver',
    'uppgifter',
    'opgaver',
    'tehtävät',
    'aufgaben',
    'taken',
    'tâches',
    'tareas',
    'attività',
    'zadania',
  ],
  contacts: [
    'contacts',
    'kontakter',
    'kontaktpersoner',
    'yhteystiedot',
    'kontakte',
    'contactpersonen',
    'contactos',
    'contatti',
    'kontakty',
  ],
  outbox: [
    'outbox',
    'utboks',
    'utkorgen',
    'udbakke',
    'lähtevät',
    'postausgang',
    'postvak uit',
    "boîte d'envoi",
    'bandeja de salida',
    'posta in uscita',
    'skrzynka nadawcza',
  ],
  clutter: ['clutter'],
  recoverableitemsdeletions: ['recoverable items', 'deletions'],
  inbox: [
    'inbox',
    'innboks',
    'inkorgen',
    'indbakke',
    'saapuneet',
    'posteingang',
    'postvak in',
    'boîte de réception',
    'bandeja de entrada',
    'posta in arrivo',
    'skrzynka odbiorcza',
  ],
};

const WELL_KNOWN_BY_NAME = new Map<string, string>(
  Object.entries(DEFAULT_FOLDER_NAMES).flatMap(([wellKnown, names]) =>
    names.map((name): [string, string] => [matchKey(name), wellKnown]),
  ),
);

/** Exchange reports "Folder\Sub" (after the mailbox prefix); Graph clients give the display name. */
export function folderPath(name: string): string[] {
  const separator = name.indexOf(':\\');
  const path = separator >= 0 ? name.slice(separator + 2) : name;
  return path
    .split('\\')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** The folder's own display name, for the card. */
export function folderDisplayName(name: string): string {
  const path = folderPath(name);
  return path[path.length - 1] ?? name;
}

export function wellKnownOfName(name: string): string | undefined {
  return WELL_KNOWN_BY_NAME.get(matchKey(name));
}

/**
 * The folder's role: by identity when the client resolved it (well-known name of the folder or of
 * the default folder it sits in), by its localised default name otherwise.
 */
export function folderRole(name: string, identity: FolderIdentity | undefined): FolderRole {
  const path = folderPath(name);
  if (identity?.wellKnownName !== undefined) return ROLE_OF_WELL_KNOWN[identity.wellKnownName] ?? 'conceal';
  const within = identity === undefined ? withinFromPath(path) : identity.within;
  if (within !== undefined && within !== 'msgfolderroot' && within !== 'inbox') {
    const role = ROLE_OF_WELL_KNOWN[within] ?? 'conceal';
    // A folder under Deleted Items, Junk Email or a system folder is as hidden as its parent.
    return role === 'archive' ? 'archive' : role === 'custom' ? 'custom' : 'conceal';
  }
  // Top-level folders without a Graph well-known name (RSS Feeds, Notes, Calendar) and rules read
  // without identity: the default folders' localised names.
  if (within !== 'inbox') {
    const wellKnown = wellKnownFromPath(path);
    if (wellKnown !== undefined) return ROLE_OF_WELL_KNOWN[wellKnown] ?? 'conceal';
  }
  return 'custom';
}

function wellKnownFromPath(path: string[]): string | undefined {
  if (path.length !== 1) return undefined;
  const [only] = path;
  return only === undefined ? undefined : wellKnownOfName(only);
}

function withinFromPath(path: string[]): string | undefined {
  const [top] = path;
  if (path.length < 2 || top === undefined) return undefined;
  return wellKnownOfName(top);
}
