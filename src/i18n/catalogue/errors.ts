import { plain } from '../locale';
import type { Catalogue, Params, Render } from '../locale';

/**
 * Refusals (policy) and failures (Microsoft 365 answers, unexpected errors) with their remedies.
 * A Microsoft 365 failure names the operation: `what` is its English description (from
 * src/m365/operations.ts), `operation` its name, which the Norwegian table below translates.
 */

/** Norwegian descriptions of every operation in src/m365/operations.ts (a test keeps them in step). */
export const NB_OPERATIONS: Record<string, string> = {
  'users.getUser': 'lese brukeren',
  'users.setAccountEnabled': 'blokkere eller tillate pålogging igjen',
  'users.resetPassword': 'tilbakestille passordet',
  'users.revokeSignInSessions': 'tilbakekalle påloggingsøkter',
  'users.checkMemberGroups': 'kontrollere responderens gruppemedlemskap',
  'users.listGroupMemberships': 'liste brukerens grupper (gruppebaserte administratorroller)',
  'users.addGroupMember': 'legge brukeren tilbake i en gruppe (angring)',
  'users.removeGroupMember': 'fjerne brukeren fra en gruppe som kan tildeles roller',
  'authMethods.listMethods': 'liste autentiseringsmetoder',
  'authMethods.deleteMethod': 'slette en autentiseringsmetode',
  'authMethods.createTemporaryAccessPass': 'utstede en Temporary Access Pass',
  'mailRules.listInboxRules': 'liste innboksregler (Graph)',
  'mailRules.getInboxRule': 'lese én innboksregel (kontroll)',
  'mailRules.getMailFolder': 'finne navnet på målmappen til en regel',
  'mailRules.getWellKnownFolder': 'identifisere målmappen til en regel uansett språk i postboksen',
  'mailRules.listTenantDomains': 'lese tenantens godtatte domener (innenfor eller utenfor)',
  'mailRules.disableInboxRule': 'deaktivere en innboksregel',
  'mailRules.deleteInboxRule': 'slette en innboksregel',
  'roles.listActiveAssignments': 'liste brukerens aktive katalogroller',
  'roles.listAssignmentsForRole': 'liste hvem som har en rolle (kontroll av siste globale administrator)',
  'roles.getRoleDefinition': 'lese en rolledefinisjon (navnet på en gjenopprettet rolle)',
  'roles.removeActiveAssignment': 'fjerne en aktiv katalogrolle',
  'roles.createActiveAssignment': 'gjenopprette en aktiv katalogrolle (angring)',
  'roles.listEligibilities': 'liste brukerens PIM-kvalifiserte roller',
  'roles.removeEligibility': 'fjerne en PIM-kvalifisert rolle',
  'roles.createEligibility': 'gjenopprette en PIM-kvalifisert rolle (angring)',
  'consents.listPermissionGrants': 'liste brukerens delegerte appsamtykker',
  'consents.getServicePrincipal': 'finne appen bak et samtykke (navn, verifisert utgiver)',
  'consents.deletePermissionGrant': 'tilbakekalle et delegert appsamtykke',
  'consents.createPermissionGrant': 'gjenopprette et delegert appsamtykke (angring)',
  'consents.listAppRoleAssignments': 'liste brukerens approlletildelinger',
  'consents.deleteAppRoleAssignment': 'fjerne en approlletildeling',
  'identityProtection.confirmCompromised': 'bekrefte brukeren som kompromittert i Identity Protection',
  'identityProtection.getRiskyUser': 'lese brukerens risikotilstand',
  'identityProtection.listRiskyUsers': 'lese risikotilstanden til mange brukere samtidig (massehendelser)',
  'signIns.listRecentSignIns': 'lese nylige pålogginger (spor)',
  'teamsApps.installForUser':
    'installere Remediator som personlig app for godkjenneren (slik at en legitimasjon kan nå 1:1-chatten)',
  'exchange.getMailbox': 'lese videresending og send-på-vegne-av-delegater for postboksen',
  'exchange.setMailbox': 'fjerne videresending eller endre send-på-vegne-av-delegater',
  'exchange.getInboxRule': 'liste innboksregler, også skjulte',
  'exchange.disableInboxRule': 'deaktivere en innboksregel (også skjulte)',
  'exchange.enableInboxRule': 'aktivere en innboksregel igjen (angring)',
  'exchange.removeInboxRule': 'slette en innboksregel (også skjulte)',
  'exchange.newInboxRule': 'gjenopprette en slettet innboksregel (angring)',
  'exchange.searchUnifiedAuditLog': 'lese når innboksregler ble opprettet eller endret (revisjonsloggen)',
  'exchange.getBlockedSenderAddress': 'liste brukere som er blokkert fra å sende',
  'exchange.removeBlockedSenderAddress': 'oppheve sendeblokkeringen for brukeren',
  'exchange.getMailboxPermission': 'liste FullAccess-delegater',
  'exchange.getRecipientPermission': 'liste SendAs-delegater',
  'exchange.removeMailboxPermission': 'fjerne en FullAccess-delegat',
  'exchange.addMailboxPermission': 'gjenopprette en FullAccess-delegat (angring)',
  'exchange.removeRecipientPermission': 'fjerne en SendAs-delegat',
  'exchange.addRecipientPermission': 'gjenopprette en SendAs-delegat (angring)',
};

/** The operation in the locale: the English description, or its Norwegian name by operation. */
function what(p: Params, locale: 'en' | 'nb-NO'): string {
  const english = plain(p.what);
  const norwegian = NB_OPERATIONS[plain(p.operation)];
  return locale === 'en' ? english : (norwegian ?? english);
}

const saidEn = (p: Params): string =>
  p.service === undefined ? '' : ` The service said: ${plain(p.service)}`;
const saidNb = (p: Params): string =>
  p.service === undefined ? '' : ` Tjenesten svarte: ${plain(p.service)}`;

const EN: Record<string, Render> = {
  // Refusals by policy.
  'refusal.noRespondersGroup': () =>
    'No responders group is configured (RESPONDERS_GROUP_ID), so nobody may remediate accounts.',
  'refusal.notResponder': (p) =>
    `${plain(p.name)} is not a member of the responders group, so cannot remediate accounts.`,
  'refusal.breakGlass': (p) =>
    `${plain(p.account)} is a break-glass account: Remediator never changes it. Handle it by hand under your break-glass procedure.`,
  'refusal.ownIdentity': () => 'Remediator cannot remediate its own identity.',
  'refusal.noSuchUser': (p) => `No user ${plain(p.target)} exists in the tenant.`,
  'refusal.unknownStep': (p) => `Unknown step ${plain(p.step)}.`,
  'refusal.noIncident': (p) => `No incident ${plain(p.id)}.`,
  'refusal.incidentClosed': (p, r) => `Incident ${plain(p.id)} is ${r(p.status)}.`,
  'refusal.noStep': (p) => `Incident ${plain(p.id)} has no step ${plain(p.step)}.`,
  'refusal.noGroup': (p) => `No incident group ${plain(p.id)}.`,
  'refusal.incidentGone': () => 'The incident disappeared while it was being joined.',
  'refusal.retryInstead': () => 'This step failed: retry it instead of approving it again.',
  'refusal.byHand': (p, r) => `This step must be done by hand: ${r(p.guidance)}`,
  'refusal.unknownFindings': (p) => `Unknown finding ids: ${plain(p.ids)}.`,
  'refusal.cannotUndo': (p, r) => `${r(p.step)} cannot be undone now.`,
  'refusal.lookupFailed': (p, r) => `Could not look up ${plain(p.target)}: ${r(p.error)}`,
  'refusal.targetCannotApprove': () => 'The compromised user cannot approve their own remediation.',
  'refusal.targetCannotAct': () => 'The compromised user cannot act on their own remediation.',
  'refusal.selfApproval': (p) =>
    `Four-eyes: ${plain(p.name)} opened this incident, so another responder must approve it.`,
  'refusal.selfApprovalUndo': (p) =>
    `Four-eyes: ${plain(p.name)} asked for this undo, so another responder must approve it.`,
  'refusal.lastGlobalAdminRole': () =>
    'The last Global Administrator assignment is never removed: add another Global Administrator first.',
  'refusal.lastGlobalAdminLockout': (p, r) =>
    `${r(p.step)} refused: ${plain(p.name)} is the last Global Administrator who can sign in (every other one is disabled, being contained, or assigned only through a group), so this would lock the tenant out. Enable or add another Global Administrator first, or use your break-glass procedure.`,
  // A refusal whose exact text is not known here: said by its kind.
  'refusal.NotResponder': () => 'Only members of the responders group may do this.',
  'refusal.SelfApproval': () => 'Four-eyes: another responder must approve this.',
  'refusal.TargetCannotApprove': () => 'The compromised user cannot act on their own remediation.',
  'refusal.ProtectedAccount': () => 'This account is protected: Remediator never changes it.',
  'refusal.LastGlobalAdministrator': () =>
    'Refused: this would leave the tenant without a Global Administrator who can sign in.',
  'refusal.IncidentClosed': () => 'The incident is closed: nothing more can be done on it.',
  'refusal.StepNotActionable': () => 'This step cannot be done now in this way.',
  'refusal.NotApproved': () => 'The incident must be approved by a second responder first.',
  'refusal.UnknownIncident': () => 'There is no such incident (or step).',
  'refusal.UnknownTarget': () => 'That account was not found in the directory.',
  'remedy.decide': () => 'A responder must decide how to proceed.',

  // Failures.
  'error.unexpected': () => 'Remediator hit an unexpected error while running this step.',
  'remedy.unexpected': () => 'Retry the step; if it keeps failing, check the logs.',
  'm365.unauthenticated': (p) =>
    `Microsoft 365 refused Remediator's credentials while trying to ${what(p, 'en')}.${saidEn(p)}`,
  'm365.remedy.unauthenticated': () =>
    'Check the app registration (tenant id, client id, secret or certificate) and that it has not expired.',
  'm365.notLicensed': (p) => `The tenant is not licensed to ${what(p, 'en')}.${saidEn(p)}`,
  'm365.remedy.notLicensed': () =>
    'Identity Protection needs Microsoft Entra ID P2; skip this step or license the tenant.',
  'm365.permissionDenied': (p) =>
    `Remediator is not allowed to ${what(p, 'en')}: it needs application permission ${plain(p.permissions)} (with admin consent)${p.role !== undefined ? ` and the directory role ${plain(p.role)}` : ''}.${saidEn(p)}`,
  'm365.remedy.permissionDenied': (p) =>
    `Grant Remediator's app application permission ${plain(p.permissions)} (with admin consent)${p.role !== undefined ? ` and the directory role ${plain(p.role)}` : ''}, then retry the step.`,
  'm365.notFound': (p) => `Could not ${what(p, 'en')}: the object does not exist (any more).${saidEn(p)}`,
  'm365.remedy.notFound': () =>
    'Check the id; if the object was already removed, there is nothing left to do.',
  'm365.syncedUser': (p) =>
    `Could not ${what(p, 'en')}: the user is synchronised from on-premises Active Directory, so the cloud copy cannot change it.`,
  'm365.remedy.syncedUser': () =>
    'Reset the password on-premises (Active Directory Users and Computers or your AD tooling), then let Microsoft Entra Connect sync it; block sign-in and revoke sessions here meanwhile.',
  'm365.defaultMethod': (p) =>
    `Could not ${what(p, 'en')}: it is the user's default sign-in method.${saidEn(p)}`,
  'm365.remedy.defaultMethod': () =>
    "Change the user's default sign-in method first (Entra admin center > user > Authentication methods), or delete the user's other methods first, then retry.",
  'm365.failedDependency': (p) => `Could not ${what(p, 'en')}: a request it depended on failed.`,
  'm365.remedy.failedDependency': () => 'Fix the earlier failure, then retry.',
  'm365.throttled': (p) =>
    `Microsoft 365 is throttling Remediator; could not ${what(p, 'en')} after several retries.`,
  'm365.remedy.throttled': () => 'Wait a minute and retry the step.',
  'm365.unavailable': (p) => `Microsoft 365 did not answer in time; could not ${what(p, 'en')}.`,
  'm365.remedy.unavailable': () =>
    'Retry the step shortly; check https://status.cloud.microsoft if it persists.',
  'm365.badRequest': (p) => `Microsoft 365 rejected the request to ${what(p, 'en')}.${saidEn(p)}`,
  'm365.remedy.badRequest': () => 'Check the values involved; this is usually not fixed by retrying.',
  'm365.unknown': (p) =>
    `Unexpected answer (${plain(p.status)}) while trying to ${what(p, 'en')}.${saidEn(p)}`,
  'm365.remedy.unknown': () =>
    'Retry the step; if it keeps failing, check the service health and the logs (request id).',
  'm365.unexpectedShape': (p) =>
    `Unexpected answer shape while trying to ${what(p, 'en')}: ${plain(p.issue)}.`,
  'm365.remedy.unexpectedShape': () => 'The API may have changed; report this with the request id.',
  'm365.invalidInput': (p) => `Could not ${what(p, 'en')}: a value was not valid (${plain(p.issue)}).`,
  'm365.remedy.invalidInput': () => 'Check the value passed in; nothing was sent to Microsoft 365.',
};

const NB: Record<string, Render> = {
  'refusal.noRespondersGroup': () =>
    'Ingen respondergruppe er satt opp (RESPONDERS_GROUP_ID), så ingen kan rydde opp i kontoer.',
  'refusal.notResponder': (p) =>
    `${plain(p.name)} er ikke medlem av respondergruppen og kan derfor ikke rydde opp i kontoer.`,
  'refusal.breakGlass': (p) =>
    `${plain(p.account)} er en nødtilgangskonto (break-glass): Remediator endrer den aldri. Håndter den manuelt etter nødtilgangsrutinen deres.`,
  'refusal.ownIdentity': () => 'Remediator kan ikke rydde opp i sin egen identitet.',
  'refusal.noSuchUser': (p) => `Det finnes ingen bruker ${plain(p.target)} i tenanten.`,
  'refusal.unknownStep': (p) => `Ukjent steg ${plain(p.step)}.`,
  'refusal.noIncident': (p) => `Fant ingen hendelse ${plain(p.id)}.`,
  'refusal.incidentClosed': (p, r) => `Hendelse ${plain(p.id)} er ${r(p.status)}.`,
  'refusal.noStep': (p) => `Hendelse ${plain(p.id)} har ikke steget ${plain(p.step)}.`,
  'refusal.noGroup': (p) => `Fant ingen hendelsesgruppe ${plain(p.id)}.`,
  'refusal.incidentGone': () => 'Hendelsen forsvant mens du ble lagt til i den.',
  'refusal.retryInstead': () => 'Dette steget feilet: prøv det på nytt i stedet for å godkjenne det igjen.',
  'refusal.byHand': (p, r) => `Dette steget må gjøres manuelt: ${r(p.guidance)}`,
  'refusal.unknownFindings': (p) => `Ukjente funn-id-er: ${plain(p.ids)}.`,
  'refusal.cannotUndo': (p, r) => `«${r(p.step)}» kan ikke angres nå.`,
  'refusal.lookupFailed': (p, r) => `Kunne ikke slå opp ${plain(p.target)}: ${r(p.error)}`,
  'refusal.targetCannotApprove': () => 'Den kompromitterte brukeren kan ikke godkjenne sin egen opprydding.',
  'refusal.targetCannotAct': () => 'Den kompromitterte brukeren kan ikke behandle sin egen opprydding.',
  'refusal.selfApproval': (p) =>
    `Fireøyneprinsippet: ${plain(p.name)} åpnet denne hendelsen, så en annen responder må godkjenne den.`,
  'refusal.selfApprovalUndo': (p) =>
    `Fireøyneprinsippet: ${plain(p.name)} ba om denne angringen, så en annen responder må godkjenne den.`,
  'refusal.lastGlobalAdminRole': () =>
    'Den siste tildelingen av Global administrator fjernes aldri: legg til en annen global administrator først.',
  'refusal.lastGlobalAdminLockout': (p, r) =>
    `«${r(p.step)}» ble avvist: ${plain(p.name)} er den siste globale administratoren som kan logge på (alle andre er deaktivert, er under opprydding eller har rollen bare gjennom en gruppe), så dette ville stenge alle ute av tenanten. Aktiver eller legg til en annen global administrator først, eller bruk nødtilgangsrutinen deres.`,
  'refusal.NotResponder': () => 'Bare medlemmer av respondergruppen kan gjøre dette.',
  'refusal.SelfApproval': () => 'Fireøyneprinsippet: en annen responder må godkjenne dette.',
  'refusal.TargetCannotApprove': () => 'Den kompromitterte brukeren kan ikke behandle sin egen opprydding.',
  'refusal.ProtectedAccount': () => 'Denne kontoen er beskyttet: Remediator endrer den aldri.',
  'refusal.LastGlobalAdministrator': () =>
    'Avvist: dette ville etterlatt tenanten uten en global administrator som kan logge på.',
  'refusal.IncidentClosed': () => 'Hendelsen er lukket: ingenting mer kan gjøres med den.',
  'refusal.StepNotActionable': () => 'Dette steget kan ikke utføres slik nå.',
  'refusal.NotApproved': () => 'Hendelsen må først godkjennes av en annen responder.',
  'refusal.UnknownIncident': () => 'Fant ingen slik hendelse (eller slikt steg).',
  'refusal.UnknownTarget': () => 'Fant ikke den kontoen i katalogen.',
  'remedy.decide': () => 'En responder må avgjøre hvordan dere går videre.',

  'error.unexpected': () => 'Remediator fikk en uventet feil under dette steget.',
  'remedy.unexpected': () => 'Prøv steget på nytt; sjekk loggene hvis det fortsetter å feile.',
  'm365.unauthenticated': (p) =>
    `Microsoft 365 avviste påloggingsinformasjonen til Remediator under forsøket på å ${what(p, 'nb-NO')}.${saidNb(p)}`,
  'm365.remedy.unauthenticated': () =>
    'Kontroller appregistreringen (tenant-id, klient-id, hemmelighet eller sertifikat) og at den ikke er utløpt.',
  'm365.notLicensed': (p) => `Tenanten har ikke lisens til å ${what(p, 'nb-NO')}.${saidNb(p)}`,
  'm365.remedy.notLicensed': () =>
    'Identity Protection krever Microsoft Entra ID P2; hopp over steget eller skaff lisens.',
  'm365.permissionDenied': (p) =>
    `Remediator har ikke lov til å ${what(p, 'nb-NO')}: appen trenger programtillatelsen ${plain(p.permissions)} (med administratorsamtykke)${p.role !== undefined ? ` og katalogrollen ${plain(p.role)}` : ''}.${saidNb(p)}`,
  'm365.remedy.permissionDenied': (p) =>
    `Gi appen til Remediator programtillatelsen ${plain(p.permissions)} (med administratorsamtykke)${p.role !== undefined ? ` og katalogrollen ${plain(p.role)}` : ''}, og prøv steget på nytt.`,
  'm365.notFound': (p) => `Kunne ikke ${what(p, 'nb-NO')}: objektet finnes ikke (lenger).${saidNb(p)}`,
  'm365.remedy.notFound': () =>
    'Kontroller id-en; hvis objektet allerede er fjernet, er det ingenting mer å gjøre.',
  'm365.syncedUser': (p) =>
    `Kunne ikke ${what(p, 'nb-NO')}: brukeren synkroniseres fra lokal Active Directory, så skykopien kan ikke endre den.`,
  'm365.remedy.syncedUser': () =>
    'Tilbakestill passordet lokalt (Active Directory Users and Computers eller AD-verktøyene deres) og la Microsoft Entra Connect synkronisere det; blokker pålogging og tilbakekall økter her i mellomtiden.',
  'm365.defaultMethod': (p) =>
    `Kunne ikke ${what(p, 'nb-NO')}: det er brukerens standard påloggingsmetode.${saidNb(p)}`,
  'm365.remedy.defaultMethod': () =>
    'Bytt brukerens standard påloggingsmetode først (Entra-administrasjonssenteret > bruker > Autentiseringsmetoder), eller slett brukerens andre metoder først, og prøv igjen.',
  'm365.failedDependency': (p) =>
    `Kunne ikke ${what(p, 'nb-NO')}: en forespørsel den var avhengig av, feilet.`,
  'm365.remedy.failedDependency': () => 'Rett opp den første feilen, og prøv igjen.',
  'm365.throttled': (p) =>
    `Microsoft 365 struper Remediator; kunne ikke ${what(p, 'nb-NO')} etter flere forsøk.`,
  'm365.remedy.throttled': () => 'Vent et minutt og prøv steget på nytt.',
  'm365.unavailable': (p) => `Microsoft 365 svarte ikke i tide; kunne ikke ${what(p, 'nb-NO')}.`,
  'm365.remedy.unavailable': () =>
    'Prøv steget på nytt om litt; sjekk https://status.cloud.microsoft hvis det vedvarer.',
  'm365.badRequest': (p) => `Microsoft 365 avviste forespørselen om å ${what(p, 'nb-NO')}.${saidNb(p)}`,
  'm365.remedy.badRequest': () =>
    'Kontroller verdiene det gjelder; dette løses vanligvis ikke ved å prøve på nytt.',
  'm365.unknown': (p) =>
    `Uventet svar (${plain(p.status)}) under forsøket på å ${what(p, 'nb-NO')}.${saidNb(p)}`,
  'm365.remedy.unknown': () =>
    'Prøv steget på nytt; sjekk tjenestestatusen og loggene (forespørsels-id) hvis det fortsetter å feile.',
  'm365.unexpectedShape': (p) =>
    `Svaret hadde uventet form under forsøket på å ${what(p, 'nb-NO')}: ${plain(p.issue)}.`,
  'm365.remedy.unexpectedShape': () =>
    'API-et kan ha endret seg; meld fra om dette sammen med forespørsels-id-en.',
  'm365.invalidInput': (p) => `Kunne ikke ${what(p, 'nb-NO')}: en verdi var ugyldig (${plain(p.issue)}).`,
  'm365.remedy.invalidInput': () => 'Kontroller verdien; ingenting ble sendt til Microsoft 365.',
};

export const ERRORS: Catalogue = { en: EN, 'nb-NO': NB };
