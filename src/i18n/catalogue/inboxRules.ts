import type { MessageParam } from '../message';
import { dateTime, plain, text } from '../locale';
import type { Catalogue, Params, Render } from '../locale';

/** Inbox-rule findings and reasons (src/remediation/rules). */

/** " <filter>" when the message has one, else "". */
function filter(p: Params, r: (value: MessageParam | undefined) => string): string {
  return p.filter === undefined ? '' : ` ${r(p.filter)}`;
}

function domainsOr(p: Params, fallback: string): string {
  const domains = plain(p.domains);
  return domains === '' ? fallback : domains;
}

const EN: Record<string, Render> = {
  'filter.subject': (p) => `whose subject contains ${text(p.values)}`,
  'filter.containing': (p) => `containing ${text(p.values)}`,
  'filter.from': (p) => `from ${plain(p.values)}`,
  'rule.forwardsOutside': (p) =>
    `${EN_HOW[plain(p.how)] ?? 'forwards'} to ${plain(p.address)} (outside ${domainsOr(p, 'the tenant')})`,
  'rule.forwardsInside': (p) =>
    `${EN_HOW[plain(p.how)] ?? 'forwards'} to ${plain(p.address)} (inside ${domainsOr(p, 'the tenant')})`,
  'rule.permanentDelete': (p, r) => `permanently deletes mail${filter(p, r)}`,
  'rule.delete': (p, r) => `deletes mail${filter(p, r)}`,
  'rule.moveConceal': (p, r) =>
    `moves mail${filter(p, r)} to '${plain(p.folder)}', a folder people rarely look at`,
  'rule.moveDiscard': (p, r) =>
    `moves mail${filter(p, r)} to '${plain(p.folder)}', with deleted or junk mail`,
  'rule.moveArchive': (p, r) =>
    `moves mail${filter(p, r)} to '${plain(p.folder)}' (common for filing, also used to hide mail)`,
  'rule.moveCustom': (p, r) => `moves mail${filter(p, r)} to '${plain(p.folder)}'`,
  'rule.oddFolderName': (p) => `the folder '${plain(p.folder)}' has no readable name`,
  'rule.copyTo': (p) =>
    p.hidden === 1
      ? `copies mail to '${plain(p.folder)}', a folder people rarely look at`
      : `copies mail to '${plain(p.folder)}'`,
  'rule.markRead': () => 'marks mail as read',
  'rule.sensitiveWords': (p) => `filters on finance or security words: ${text(p.words)}`,
  'rule.filedByTopic': (p) => `files them into '${plain(p.folder)}', a folder named after those words`,
  'rule.warningSenders': (p) => `acts on mail from people who would warn the user: ${text(p.senders)}`,
  'rule.matchesEverything': (p) =>
    `applies to practically every message (${EN_EVERYTHING[plain(p.why)] ?? ''})`,
  'rule.targetedHiding': (p) =>
    `hides all mail from ${plain(p.senders)}, as attackers do with a contact they impersonate`,
  'rule.hidesSentEvidence': (p) =>
    `hides ${plain(p.types)} messages, which would reveal mail sent from the account`,
  'rule.messageTypes': (p) => `acts on message types: ${plain(p.types)}`,
  'rule.headerWords': (p) => `matches message headers containing ${text(p.words)}`,
  'rule.exceptions': (p) => `except mail matching ${text(p.values)}`,
  'rule.invisibleCharacters': () => 'contains invisible characters (zero-width or control characters)',
  'rule.lookalikeLetters': () => 'uses look-alike letters from another alphabet',
  'rule.blankName': () => 'has a blank name',
  'rule.punctuationName': (p) => `has a punctuation-only name ('${plain(p.name)}')`,
  'rule.shortName': (p) => `has a one-character name ('${plain(p.name)}')`,
  'rule.hidden': () => 'is hidden (only Exchange Get-InboxRule -IncludeHidden shows it; Outlook does not)',
  'rule.systemRule': (p) =>
    `is Exchange's own rule '${plain(p.name)}' (junk mail or automatic replies): left alone`,
  'rule.changedInWindow': (p, _r, locale) =>
    `was created or changed during the compromise window (${dateTime(p.at, locale)}), which began ${dateTime(p.since, locale)}`,
  'rule.disabled': () => 'is disabled',
  'rule.readOnly': () => 'is read-only (maintained by a client or policy)',
  'rule.nothingSuspicious': () => 'nothing suspicious: no forwarding, deletion or hiding',
  'inboxRules.findingRule': (p) =>
    p.hidden === 1 ? `Hidden rule ${ruleLabelEn(p)}` : `Rule ${ruleLabelEn(p)}`,
  'inboxRules.findingHiddenUnchecked': () => 'Hidden rules could not be checked',
  'inboxRules.exchangeUnavailable': (p) =>
    `Exchange Online could not be asked (${plain(p.code)}), and Graph never lists hidden rules: run Get-InboxRule -Mailbox ${plain(p.mailbox)} -IncludeHidden by hand.`,
  'inboxRules.deleteRule': (p) =>
    p.hidden === 1
      ? `Delete the hidden inbox rule ${ruleLabelEn(p)}.`
      : `Delete the inbox rule ${ruleLabelEn(p)}.`,
};

const EN_HOW: Record<string, string> = {
  forward: 'forwards',
  redirect: 'redirects',
  attachment: 'forwards as attachment',
};
const EN_EVERYTHING: Record<string, string> = {
  noCondition: 'no condition',
  trivialWords: 'words or senders that every message contains',
  sizeRange: 'a size range every message fits',
  header: 'a header every message has',
};

function ruleLabelEn(p: Params): string {
  const name = plain(p.name);
  return name.trim() === '' ? '(no name)' : `'${name}'`;
}

function ruleLabelNb(p: Params): string {
  const name = plain(p.name);
  return name.trim() === '' ? '(uten navn)' : `'${name}'`;
}

const NB_HOW: Record<string, string> = {
  forward: 'videresender',
  redirect: 'omdirigerer',
  attachment: 'videresender som vedlegg',
};
const NB_EVERYTHING: Record<string, string> = {
  noCondition: 'ingen betingelse',
  trivialWords: 'ord eller avsendere som alle meldinger inneholder',
  sizeRange: 'et størrelsesområde alle meldinger passer i',
  header: 'et hode alle meldinger har',
};

const NB: Record<string, Render> = {
  'filter.subject': (p) => `der emnet inneholder ${text(p.values)}`,
  'filter.containing': (p) => `som inneholder ${text(p.values)}`,
  'filter.from': (p) => `fra ${plain(p.values)}`,
  'rule.forwardsOutside': (p) =>
    `${NB_HOW[plain(p.how)] ?? 'videresender'} til ${plain(p.address)} (utenfor ${domainsOr(p, 'tenanten')})`,
  'rule.forwardsInside': (p) =>
    `${NB_HOW[plain(p.how)] ?? 'videresender'} til ${plain(p.address)} (innenfor ${domainsOr(p, 'tenanten')})`,
  'rule.permanentDelete': (p, r) => `sletter e-post${filter(p, r)} permanent`,
  'rule.delete': (p, r) => `sletter e-post${filter(p, r)}`,
  'rule.moveConceal': (p, r) =>
    `flytter e-post${filter(p, r)} til «${plain(p.folder)}», en mappe folk sjelden ser i`,
  'rule.moveDiscard': (p, r) =>
    `flytter e-post${filter(p, r)} til «${plain(p.folder)}», sammen med slettet e-post eller søppelpost`,
  'rule.moveArchive': (p, r) =>
    `flytter e-post${filter(p, r)} til «${plain(p.folder)}» (vanlig for arkivering, brukes også til å skjule e-post)`,
  'rule.moveCustom': (p, r) => `flytter e-post${filter(p, r)} til «${plain(p.folder)}»`,
  'rule.oddFolderName': (p) => `mappen «${plain(p.folder)}» har ikke noe lesbart navn`,
  'rule.copyTo': (p) =>
    p.hidden === 1
      ? `kopierer e-post til «${plain(p.folder)}», en mappe folk sjelden ser i`
      : `kopierer e-post til «${plain(p.folder)}»`,
  'rule.markRead': () => 'merker e-post som lest',
  'rule.sensitiveWords': (p) => `filtrerer på ord om økonomi eller sikkerhet: ${text(p.words)}`,
  'rule.filedByTopic': (p) => `legger dem i «${plain(p.folder)}», en mappe oppkalt etter de ordene`,
  'rule.warningSenders': (p) => `behandler e-post fra noen som ville advart brukeren: ${text(p.senders)}`,
  'rule.matchesEverything': (p) =>
    `gjelder praktisk talt alle meldinger (${NB_EVERYTHING[plain(p.why)] ?? ''})`,
  'rule.targetedHiding': (p) =>
    `skjuler all e-post fra ${plain(p.senders)}, slik angripere gjør med en kontakt de utgir seg for å være`,
  'rule.hidesSentEvidence': (p) =>
    `skjuler meldinger av typen ${plain(p.types)}, som ville avslørt e-post sendt fra kontoen`,
  'rule.messageTypes': (p) => `gjelder meldingstypene ${plain(p.types)}`,
  'rule.headerWords': (p) => `treffer meldingshoder som inneholder ${text(p.words)}`,
  'rule.exceptions': (p) => `unntatt e-post som treffer ${text(p.values)}`,
  'rule.invisibleCharacters': () => 'inneholder usynlige tegn (nullbredde- eller kontrolltegn)',
  'rule.lookalikeLetters': () => 'bruker forvekslbare bokstaver fra et annet alfabet',
  'rule.blankName': () => 'har et tomt navn',
  'rule.punctuationName': (p) => `har et navn av bare tegnsetting («${plain(p.name)}»)`,
  'rule.shortName': (p) => `har et navn på ett tegn («${plain(p.name)}»)`,
  'rule.hidden': () =>
    'er skjult (bare Exchange Get-InboxRule -IncludeHidden viser den; Outlook gjør det ikke)',
  'rule.systemRule': (p) =>
    `er Exchanges egen regel «${plain(p.name)}» (søppelpost eller automatiske svar): røres ikke`,
  'rule.changedInWindow': (p, _r, locale) =>
    `ble opprettet eller endret i kompromitteringsvinduet (${dateTime(p.at, locale)}), som startet ${dateTime(p.since, locale)}`,
  'rule.disabled': () => 'er deaktivert',
  'rule.readOnly': () => 'er skrivebeskyttet (vedlikeholdes av en klient eller policy)',
  'rule.nothingSuspicious': () => 'ingenting mistenkelig: ingen videresending, sletting eller skjuling',
  'inboxRules.findingRule': (p) =>
    p.hidden === 1 ? `Skjult regel ${ruleLabelNb(p)}` : `Regel ${ruleLabelNb(p)}`,
  'inboxRules.findingHiddenUnchecked': () => 'Skjulte regler kunne ikke kontrolleres',
  'inboxRules.exchangeUnavailable': (p) =>
    `Exchange Online svarte ikke (${plain(p.code)}), og Graph viser aldri skjulte regler: kjør Get-InboxRule -Mailbox ${plain(p.mailbox)} -IncludeHidden manuelt.`,
  'inboxRules.deleteRule': (p) =>
    p.hidden === 1
      ? `Slett den skjulte innboksregelen ${ruleLabelNb(p)}.`
      : `Slett innboksregelen ${ruleLabelNb(p)}.`,
};

export const INBOX_RULES: Catalogue = { en: EN, 'nb-NO': NB };
