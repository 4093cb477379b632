import { ago, plain, regionName } from '../locale';
import type { Catalogue, Params, Render } from '../locale';

/**
 * Findings, reasons and planned changes of every step but the inbox rules (inboxRules.ts).
 * Tenant values (names, addresses, roles, apps) are parameters, inserted as given.
 */

const EN_METHOD: Record<string, string> = {
  password: 'password',
  phone: 'phone method',
  email: 'email method',
  microsoftAuthenticator: 'Microsoft Authenticator',
  fido2: 'FIDO2 security key',
  softwareOath: 'software OATH token',
  temporaryAccessPass: 'Temporary Access Pass',
  windowsHelloForBusiness: 'Windows Hello for Business',
  platformCredential: 'platform credential',
  other: 'sign-in method',
};
const NB_METHOD: Record<string, string> = {
  password: 'passord',
  phone: 'telefonmetode',
  email: 'e-postmetode',
  microsoftAuthenticator: 'Microsoft Authenticator',
  fido2: 'FIDO2-sikkerhetsnøkkel',
  softwareOath: 'programvarebasert OATH-token',
  temporaryAccessPass: 'Temporary Access Pass (midlertidig tilgangskode)',
  windowsHelloForBusiness: 'Windows Hello for Business',
  platformCredential: 'plattformlegitimasjon',
  other: 'påloggingsmetode',
};

/** Delegated scopes that let an app read, exfiltrate or keep access (src/remediation/steps/appConsents.ts). */
const EN_SCOPE: Record<string, string> = {
  'mail.read': 'can read all mail',
  'mail.readwrite': 'can read and write all mail',
  'mail.send': 'can send mail as the user',
  'mailboxsettings.readwrite': 'can change mailbox settings (forwarding, rules)',
  'files.read.all': 'can read all files',
  'files.readwrite.all': 'can read and write all files',
  'contacts.read': 'can read contacts',
  'directory.read.all': 'can read the directory',
  'directory.readwrite.all': 'can change the directory',
  'user.readwrite.all': 'can change users',
  full_access_as_user: 'has full access to the mailbox (EWS)',
  'eas.accessasuser.all': 'has Exchange ActiveSync access',
  offline_access: 'keeps access while the user is away',
};
const NB_SCOPE: Record<string, string> = {
  'mail.read': 'kan lese all e-post',
  'mail.readwrite': 'kan lese og skrive all e-post',
  'mail.send': 'kan sende e-post som brukeren',
  'mailboxsettings.readwrite': 'kan endre postboksinnstillinger (videresending, regler)',
  'files.read.all': 'kan lese alle filer',
  'files.readwrite.all': 'kan lese og skrive alle filer',
  'contacts.read': 'kan lese kontakter',
  'directory.read.all': 'kan lese katalogen',
  'directory.readwrite.all': 'kan endre katalogen',
  'user.readwrite.all': 'kan endre brukere',
  full_access_as_user: 'har full tilgang til postboksen (EWS)',
  'eas.accessasuser.all': 'har Exchange ActiveSync-tilgang',
  offline_access: 'beholder tilgangen mens brukeren er borte',
};

/** The scopes the consent step treats as risky (same keys in both languages; a test checks). */
export const RISKY_SCOPE_KEYS: readonly string[] = Object.keys(EN_SCOPE);

const EN_RIGHT: Record<string, string> = {
  FullAccess: 'can open the mailbox and read all mail',
  SendAs: 'can send mail as the user',
  SendOnBehalf: 'can send mail on behalf of the user',
};
const NB_RIGHT: Record<string, string> = {
  FullAccess: 'kan åpne postboksen og lese all e-post',
  SendAs: 'kan sende e-post som brukeren',
  SendOnBehalf: 'kan sende e-post på vegne av brukeren',
};

/** Identity Protection's riskLevel and riskState values (Graph riskyUser). */
const NB_RISK: Record<string, string> = {
  low: 'lav',
  medium: 'middels',
  high: 'høy',
  hidden: 'skjult',
  none: 'ingen',
  atRisk: 'i faresonen',
  confirmedCompromised: 'bekreftet kompromittert',
  remediated: 'utbedret',
  dismissed: 'avvist',
  confirmedSafe: 'bekreftet trygg',
};

function methodLabel(p: Params, labels: Record<string, string>): string {
  const kind = labels[plain(p.kind)] ?? labels.other ?? '';
  return p.detail === undefined || plain(p.detail) === '' ? kind : `${kind} ${plain(p.detail)}`;
}

const s = (count: number, one: string, many: string) => (count === 1 ? one : many);

const EN: Record<string, Render> = {
  'blockSignIn.finding': () => 'Sign-in is allowed',
  'blockSignIn.reason': (p) =>
    `${plain(p.name)} can still sign in, and so can anyone who has the password or a session.`,
  'blockSignIn.action': (p) => `Block sign-in for ${plain(p.name)} (accountEnabled = false).`,

  'revokeSessions.finding': () => 'Existing sessions stay valid',
  'revokeSessions.reason': () =>
    'Tokens issued before the password reset keep working until they are revoked (refresh tokens last up to 90 days).',
  'revokeSessions.action': (p) => `Revoke all sign-in sessions of ${plain(p.name)}.`,

  'resetPassword.finding': () => 'The attacker may know the password',
  'resetPassword.reason': () => 'A compromised password stays usable until it is changed.',
  'resetPassword.actionPassword': (p) =>
    `Set a new random password for ${plain(p.name)}, to be changed at next sign-in; meant for the approver only, never stored.`,
  'resetPassword.actionTap': (p) =>
    `Create a one-time Temporary Access Pass (${plain(p.minutes)} minutes, replacing any existing one); meant for the approver only, never stored.`,

  'forwarding.finding': (p) => `Forwards all mail to ${plain(p.address)}`,
  'forwarding.reasonSmtp': (p) =>
    `forwards all mail to ${plain(p.address)} (${p.outside === 1 ? 'outside' : 'inside'} ${plain(p.domains) || 'the tenant'}); ${p.keepsCopy === 1 ? 'a copy stays in the mailbox' : 'no copy stays in the mailbox'}`,
  'forwarding.reasonRecipient': (p) =>
    `forwards all mail to the recipient ${plain(p.address)}; ${p.keepsCopy === 1 ? 'a copy stays in the mailbox' : 'no copy stays in the mailbox'}`,
  'forwarding.action': (p) => `Stop forwarding to ${plain(p.address)} (${plain(p.field)} = $null).`,

  'unblockSending.finding': (p) => `${plain(p.address)} is blocked from sending`,
  'unblockSending.reason': (p) =>
    `on the restricted users list${p.reason !== undefined ? ` (reason: ${plain(p.reason)})` : ''}; Microsoft limits how often one account can be released, so release it after the other steps`,
  'unblockSending.action': (p) => `Release ${plain(p.address)} from the restricted users list.`,

  'adminRoles.findingActive': (p) => `Active role: ${plain(p.role)}`,
  'adminRoles.reasonActive': (p) =>
    `holds ${plain(p.role)} for ${plain(p.scope) === '/' ? 'the whole tenant' : `scope ${plain(p.scope)}`}`,
  'adminRoles.kept': (p) =>
    `kept: ${plain(p.name)} holds the last Global Administrator assignment, and removing it would lock the tenant out; add another Global Administrator first`,
  'adminRoles.actionActive': (p) => `Remove the active ${plain(p.role)} role.`,
  'adminRoles.findingEligible': (p) => `Eligible role (PIM): ${plain(p.role)}`,
  'adminRoles.reasonEligible': (p) =>
    `can activate ${plain(p.role)} through Privileged Identity Management at any time`,
  'adminRoles.actionEligible': (p) => `Remove the PIM eligibility for ${plain(p.role)}.`,
  'adminRoles.findingGroup': (p) => `Member of role-assignable group ${plain(p.group)}`,
  'adminRoles.reasonGroupRoles': (p) => `gets ${plain(p.roles)} through the group ${plain(p.group)}`,
  'adminRoles.reasonGroupEmpty': (p) => `${plain(p.group)} is role-assignable but holds no active role now`,
  'adminRoles.actionGroup': (p) =>
    `Remove ${plain(p.name)} from ${plain(p.group)}${plain(p.roles) ? ` (${plain(p.roles)})` : ''}.`,

  'authMethods.method': (p) => methodLabel(p, EN_METHOD),
  'authMethods.reasonRecent': (p, r, locale) =>
    `${r(p.method)} added ${ago(p.then, p.now, locale)}: recently added methods are how attackers keep MFA access`,
  'authMethods.reasonOld': (p, r, locale) => `${r(p.method)}, added ${ago(p.then, p.now, locale)}`,
  'authMethods.reasonUnknownDate': (p, r) => `${r(p.method)}, registration date unknown`,
  'authMethods.action': (p, r) => `Delete the ${r(p.method)}.`,

  'appConsents.findingGrant': (p) => `${plain(p.app)}: ${plain(p.scope)} on ${plain(p.resource)}`,
  'appConsents.scope': (p) =>
    `${EN_SCOPE[plain(p.scope).toLowerCase()] ?? 'delegated permission'} (${plain(p.scope)})`,
  'appConsents.unverified': () => 'the publisher is not verified',
  'appConsents.verified': (p) => `publisher verified as ${plain(p.publisher)}`,
  'appConsents.actionGrant': (p) => `Revoke ${plain(p.app)}'s consent (${plain(p.scope)}).`,
  'appConsents.findingAssignment': (p) => `Assigned to ${plain(p.resource)}`,
  'appConsents.reasonAssigned': (p, _r, locale) => `assigned ${ago(p.then, p.now, locale)}`,
  'appConsents.reasonAssignedUnknown': () => 'assignment date unknown',
  'appConsents.actionAssignment': (p) => `Remove the assignment to ${plain(p.resource)}.`,

  'delegates.finding': (p) => `${plain(p.trustee)} has ${plain(p.right)}`,
  'delegates.reasonRight': (p) =>
    `${plain(p.trustee)} ${EN_RIGHT[plain(p.right)] ?? 'has access'} (${plain(p.right)})`,
  'delegates.outside': () => 'the delegate is outside the tenant',
  'delegates.confirm': () => 'confirm with the user that they added this delegate',
  'delegates.action': (p) => `Remove ${plain(p.right)} from ${plain(p.trustee)}.`,

  'confirm.finding': () => 'Not yet confirmed as compromised',
  'confirm.reasonRisk': (p) =>
    `Identity Protection rates the user ${plain(p.level)} risk (${plain(p.state)})`,
  'confirm.reasonNoRecord': () => 'Identity Protection has no risk record for the user',
  'confirm.action': (p) =>
    `Confirm ${plain(p.name)} as compromised in Identity Protection (risk level becomes high).`,

  'signIns.findingSuccess': (p, _r, locale) => {
    const count = Number(p.count);
    const cities = plain(p.cities);
    return `${count} successful sign-in${s(count, '', 's')} from ${regionName(p.country, locale)}${cities ? ` (${cities})` : ''}`;
  },
  'signIns.findingFailure': (p, _r, locale) => {
    const count = Number(p.count);
    return `${count} failed sign-in${s(count, '', 's')} from ${regionName(p.country, locale)}`;
  },
  'signIns.reasonUnusual': (p, _r, locale) =>
    `unusual country: the user usually signs in from ${p.usual === undefined ? 'elsewhere' : regionName(p.usual, locale)}`,
  'signIns.reasonUsual': () => "the user's usual country",
  'signIns.reasonRecent': (p, _r, locale) =>
    `most recent ${ago(p.then, p.now, locale)}; IP ${plain(p.ips)}${p.apps !== undefined ? `; apps ${plain(p.apps)}` : ''}`,
  'signIns.reasonRisky': (p) => `${plain(p.count)} flagged risky by Identity Protection`,
  'signIns.reasonFailure': (p) => `failure: ${plain(p.reasons)}`,
  'signIns.reasonNotUsual': (p, _r, locale) =>
    `not the usual country (${p.usual === undefined ? 'unknown' : regionName(p.usual, locale)})`,
};

const NB: Record<string, Render> = {
  'blockSignIn.finding': () => 'Pålogging er tillatt',
  'blockSignIn.reason': (p) =>
    `${plain(p.name)} kan fortsatt logge på, og det kan alle som har passordet eller en aktiv økt.`,
  'blockSignIn.action': (p) => `Blokker pålogging for ${plain(p.name)} (accountEnabled = false).`,

  'revokeSessions.finding': () => 'Eksisterende økter er fortsatt gyldige',
  'revokeSessions.reason': () =>
    'Tokener som ble utstedt før passordet ble tilbakestilt, virker til de tilbakekalles (oppdateringstokener varer i opptil 90 dager).',
  'revokeSessions.action': (p) => `Tilbakekall alle påloggingsøkter for ${plain(p.name)}.`,

  'resetPassword.finding': () => 'Angriperen kan kjenne passordet',
  'resetPassword.reason': () => 'Et kompromittert passord kan brukes helt til det blir byttet.',
  'resetPassword.actionPassword': (p) =>
    `Sett et nytt tilfeldig passord for ${plain(p.name)}, som må byttes ved neste pålogging; bare for den som godkjenner, lagres aldri.`,
  'resetPassword.actionTap': (p) =>
    `Opprett en engangs Temporary Access Pass (${plain(p.minutes)} minutter, erstatter en eventuell eksisterende); bare for den som godkjenner, lagres aldri.`,

  'forwarding.finding': (p) => `Videresender all e-post til ${plain(p.address)}`,
  'forwarding.reasonSmtp': (p) =>
    `videresender all e-post til ${plain(p.address)} (${p.outside === 1 ? 'utenfor' : 'innenfor'} ${plain(p.domains) || 'tenanten'}); ${p.keepsCopy === 1 ? 'en kopi blir liggende i postboksen' : 'ingen kopi blir liggende i postboksen'}`,
  'forwarding.reasonRecipient': (p) =>
    `videresender all e-post til mottakeren ${plain(p.address)}; ${p.keepsCopy === 1 ? 'en kopi blir liggende i postboksen' : 'ingen kopi blir liggende i postboksen'}`,
  'forwarding.action': (p) => `Stopp videresending til ${plain(p.address)} (${plain(p.field)} = $null).`,

  'unblockSending.finding': (p) => `${plain(p.address)} er blokkert fra å sende`,
  'unblockSending.reason': (p) =>
    `står på listen over begrensede brukere${p.reason !== undefined ? ` (årsak: ${plain(p.reason)})` : ''}; Microsoft begrenser hvor ofte én konto kan frigis, så frigi den etter de andre stegene`,
  'unblockSending.action': (p) => `Frigi ${plain(p.address)} fra listen over begrensede brukere.`,

  'adminRoles.findingActive': (p) => `Aktiv rolle: ${plain(p.role)}`,
  'adminRoles.reasonActive': (p) =>
    `har ${plain(p.role)} for ${plain(p.scope) === '/' ? 'hele tenanten' : `omfanget ${plain(p.scope)}`}`,
  'adminRoles.kept': (p) =>
    `beholdes: ${plain(p.name)} har den siste tildelingen av Global administrator, og å fjerne den ville stenge alle ute av tenanten; legg til en annen global administrator først`,
  'adminRoles.actionActive': (p) => `Fjern den aktive rollen ${plain(p.role)}.`,
  'adminRoles.findingEligible': (p) => `Kvalifisert rolle (PIM): ${plain(p.role)}`,
  'adminRoles.reasonEligible': (p) =>
    `kan når som helst aktivere ${plain(p.role)} gjennom Privileged Identity Management`,
  'adminRoles.actionEligible': (p) => `Fjern PIM-kvalifiseringen for ${plain(p.role)}.`,
  'adminRoles.findingGroup': (p) => `Medlem av gruppen ${plain(p.group)}, som kan tildeles roller`,
  'adminRoles.reasonGroupRoles': (p) => `får ${plain(p.roles)} gjennom gruppen ${plain(p.group)}`,
  'adminRoles.reasonGroupEmpty': (p) => `${plain(p.group)} kan tildeles roller, men har ingen aktiv rolle nå`,
  'adminRoles.actionGroup': (p) =>
    `Fjern ${plain(p.name)} fra ${plain(p.group)}${plain(p.roles) ? ` (${plain(p.roles)})` : ''}.`,

  'authMethods.method': (p) => methodLabel(p, NB_METHOD),
  'authMethods.reasonRecent': (p, r, locale) =>
    `${r(p.method)} lagt til ${ago(p.then, p.now, locale)}: nylig tillagte metoder er slik angripere beholder MFA-tilgangen`,
  'authMethods.reasonOld': (p, r, locale) => `${r(p.method)}, lagt til ${ago(p.then, p.now, locale)}`,
  'authMethods.reasonUnknownDate': (p, r) => `${r(p.method)}, registreringsdato ukjent`,
  'authMethods.action': (p, r) => `Slett metoden ${r(p.method)}.`,

  'appConsents.findingGrant': (p) => `${plain(p.app)}: ${plain(p.scope)} på ${plain(p.resource)}`,
  'appConsents.scope': (p) =>
    `${NB_SCOPE[plain(p.scope).toLowerCase()] ?? 'delegert tillatelse'} (${plain(p.scope)})`,
  'appConsents.unverified': () => 'utgiveren er ikke verifisert',
  'appConsents.verified': (p) => `utgiveren er verifisert som ${plain(p.publisher)}`,
  'appConsents.actionGrant': (p) => `Tilbakekall samtykket til ${plain(p.app)} (${plain(p.scope)}).`,
  'appConsents.findingAssignment': (p) => `Tildelt ${plain(p.resource)}`,
  'appConsents.reasonAssigned': (p, _r, locale) => `tildelt ${ago(p.then, p.now, locale)}`,
  'appConsents.reasonAssignedUnknown': () => 'tildelingsdato ukjent',
  'appConsents.actionAssignment': (p) => `Fjern tildelingen til ${plain(p.resource)}.`,

  'delegates.finding': (p) => `${plain(p.trustee)} har ${plain(p.right)}`,
  'delegates.reasonRight': (p) =>
    `${plain(p.trustee)} ${NB_RIGHT[plain(p.right)] ?? 'har tilgang'} (${plain(p.right)})`,
  'delegates.outside': () => 'delegaten er utenfor tenanten',
  'delegates.confirm': () => 'bekreft med brukeren at det var brukeren selv som la til denne delegaten',
  'delegates.action': (p) => `Fjern ${plain(p.right)} fra ${plain(p.trustee)}.`,

  'confirm.finding': () => 'Ikke bekreftet kompromittert ennå',
  'confirm.reasonRisk': (p) =>
    `Identity Protection vurderer brukerens risiko som ${NB_RISK[plain(p.level)] ?? plain(p.level)} (${NB_RISK[plain(p.state)] ?? plain(p.state)})`,
  'confirm.reasonNoRecord': () => 'Identity Protection har ingen risikoregistrering for brukeren',
  'confirm.action': (p) =>
    `Bekreft ${plain(p.name)} som kompromittert i Identity Protection (risikonivået blir høyt).`,

  'signIns.findingSuccess': (p, _r, locale) => {
    const count = Number(p.count);
    const cities = plain(p.cities);
    return `${count} ${s(count, 'vellykket', 'vellykkede')} pålogging${s(count, '', 'er')} fra ${regionName(p.country, locale)}${cities ? ` (${cities})` : ''}`;
  },
  'signIns.findingFailure': (p, _r, locale) => {
    const count = Number(p.count);
    return `${count} ${s(count, 'mislykket', 'mislykkede')} pålogging${s(count, '', 'er')} fra ${regionName(p.country, locale)}`;
  },
  'signIns.reasonUnusual': (p, _r, locale) =>
    `uvanlig land: brukeren logger vanligvis på fra ${p.usual === undefined ? 'et annet sted' : regionName(p.usual, locale)}`,
  'signIns.reasonUsual': () => 'brukerens vanlige land',
  'signIns.reasonRecent': (p, _r, locale) =>
    `sist ${ago(p.then, p.now, locale)}; IP ${plain(p.ips)}${p.apps !== undefined ? `; apper ${plain(p.apps)}` : ''}`,
  'signIns.reasonRisky': (p) =>
    `${plain(p.count)} merket som ${Number(p.count) === 1 ? 'risikabel' : 'risikable'} av Identity Protection`,
  'signIns.reasonFailure': (p) => `feil: ${plain(p.reasons)}`,
  'signIns.reasonNotUsual': (p, _r, locale) =>
    `ikke det vanlige landet (${p.usual === undefined ? 'ukjent' : regionName(p.usual, locale)})`,
};

export const STEP_FINDINGS: Catalogue = { en: EN, 'nb-NO': NB };

/** For the completeness test: lookup tables whose keys must match between the languages. */
export const LOOKUP_TABLES: [string, Record<string, string>, Record<string, string>][] = [
  ['sign-in methods', EN_METHOD, NB_METHOD],
  ['consent scopes', EN_SCOPE, NB_SCOPE],
  ['delegate rights', EN_RIGHT, NB_RIGHT],
];
