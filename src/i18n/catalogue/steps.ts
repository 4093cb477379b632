import { plain } from '../locale';
import type { Catalogue, Render } from '../locale';

/**
 * Step titles, why each step matters, what a responder does by hand, and the guidance a step
 * gives when it cannot be automated for a target. Codes: steps.<step id>.title|summary|manual.
 */

interface StepTexts {
  title: string;
  summary: string;
  manual: string;
}

const EN_STEPS: Record<string, StepTexts> = {
  'block-sign-in': {
    title: 'Block sign-in',
    summary: 'Stops the attacker from signing in again while the account is being cleaned.',
    manual:
      'In the Microsoft Entra admin center open the user, choose Edit properties and clear "Account enabled".',
  },
  'revoke-sessions': {
    title: 'Revoke sign-in sessions',
    summary: 'Signs the attacker out everywhere: existing refresh tokens and session cookies stop working.',
    manual: 'In the Microsoft Entra admin center open the user and choose "Revoke sessions".',
  },
  'reset-password': {
    title: 'Reset password',
    summary: 'The attacker may know the current password; replace it with one only the responder receives.',
    manual:
      'In the Microsoft Entra admin center open the user and choose "Reset password"; give the new password to the user in person or by phone, never by email.',
  },
  'mailbox-forwarding': {
    title: 'Remove mailbox forwarding',
    summary:
      'Attackers forward all mail to an address they control to keep reading it after they lose access.',
    manual:
      'In the Exchange admin center open the mailbox, Mail flow settings > Email forwarding, and turn forwarding off (or Set-Mailbox -ForwardingSmtpAddress $null -ForwardingAddress $null).',
  },
  'inbox-rules': {
    title: 'Remove suspicious inbox rules',
    summary:
      'Attackers add rules that forward, hide or delete mail so the victim never sees replies or warnings.',
    manual:
      'Run Get-InboxRule -Mailbox <user> -IncludeHidden in Exchange Online PowerShell and remove suspicious rules with Remove-InboxRule.',
  },
  'unblock-sending': {
    title: 'Unblock sending',
    summary:
      'Microsoft blocks accounts that sent spam; once the account is clean the user must be able to send again.',
    manual:
      'In the Microsoft Defender portal open Email & collaboration > Review > Restricted entities and release the user (or Remove-BlockedSenderAddress -SenderAddress <user>).',
  },
  'admin-roles': {
    title: 'Remove admin roles',
    summary:
      'An attacker with an admin role can create accounts, read other mailboxes or grant themselves access.',
    manual:
      'In the Microsoft Entra admin center open the user > Assigned roles (active and eligible) and remove them; remove the user from role-assignable groups.',
  },
  'auth-methods': {
    title: 'Remove suspicious sign-in methods',
    summary:
      'An attacker who registered their own phone or authenticator can pass MFA after the password is reset.',
    manual:
      'In the Microsoft Entra admin center open the user > Authentication methods and delete the methods the user does not recognise.',
  },
  'app-consents': {
    title: 'Remove suspicious app consents',
    summary: 'A consented app keeps reading mail with its own tokens even after the password is reset.',
    manual:
      "In the Microsoft Entra admin center open Enterprise applications, find the app, Permissions > User consent, and revoke the user's consent (or delete the oauth2PermissionGrant).",
  },
  'mailbox-delegates': {
    title: 'Remove mailbox delegates',
    summary:
      'A delegate added by the attacker keeps reading or sending from the mailbox with another account.',
    manual:
      'In the Exchange admin center open the mailbox > Mailbox delegation and remove unknown delegates (or Remove-MailboxPermission / Remove-RecipientPermission).',
  },
  'confirm-compromised': {
    title: 'Confirm user compromised',
    summary:
      'Marks the user as compromised in Identity Protection so risk-based policies and reports treat it as such.',
    manual:
      'In the Microsoft Entra admin center open Protection > Identity Protection > Risky users, select the user and choose "Confirm user compromised" (needs Microsoft Entra ID P2).',
  },
  'sign-in-evidence': {
    title: 'Review sign-in evidence',
    summary:
      'Shows where and how the account was used recently, to scope the incident and spot the attacker.',
    manual:
      'In the Microsoft Entra admin center open the user > Sign-in logs (needs Microsoft Entra ID P1 or P2 and the Reports Reader role).',
  },
};

const NB_STEPS: Record<string, StepTexts> = {
  'block-sign-in': {
    title: 'Blokker pålogging',
    summary: 'Hindrer angriperen i å logge på igjen mens kontoen ryddes.',
    manual:
      'Åpne brukeren i Microsoft Entra-administrasjonssenteret, velg Rediger egenskaper og fjern avmerkingen for «Konto aktivert».',
  },
  'revoke-sessions': {
    title: 'Tilbakekall påloggingsøkter',
    summary:
      'Logger angriperen ut overalt: eksisterende oppdateringstokener og øktinformasjonskapsler slutter å virke.',
    manual: 'Åpne brukeren i Microsoft Entra-administrasjonssenteret og velg «Tilbakekall økter».',
  },
  'reset-password': {
    title: 'Tilbakestill passord',
    summary: 'Angriperen kan kjenne det nåværende passordet; bytt det ut med et som bare responderen får.',
    manual:
      'Åpne brukeren i Microsoft Entra-administrasjonssenteret og velg «Tilbakestill passord»; gi det nye passordet til brukeren personlig eller på telefon, aldri på e-post.',
  },
  'mailbox-forwarding': {
    title: 'Fjern videresending fra postboksen',
    summary:
      'Angripere videresender all e-post til en adresse de kontrollerer, for å fortsette å lese den etter at de mister tilgangen.',
    manual:
      'Åpne postboksen i Exchange-administrasjonssenteret, Innstillinger for e-postflyt > Videresending av e-post, og slå av videresending (eller Set-Mailbox -ForwardingSmtpAddress $null -ForwardingAddress $null).',
  },
  'inbox-rules': {
    title: 'Fjern mistenkelige innboksregler',
    summary:
      'Angripere lager regler som videresender, skjuler eller sletter e-post, slik at offeret aldri ser svar eller advarsler.',
    manual:
      'Kjør Get-InboxRule -Mailbox <bruker> -IncludeHidden i Exchange Online PowerShell og fjern mistenkelige regler med Remove-InboxRule.',
  },
  'unblock-sending': {
    title: 'Opphev sendeblokkering',
    summary:
      'Microsoft blokkerer kontoer som har sendt søppelpost; når kontoen er ren, må brukeren kunne sende igjen.',
    manual:
      'Åpne E-post og samarbeid > Gjennomgang > Begrensede enheter i Microsoft Defender-portalen og frigi brukeren (eller Remove-BlockedSenderAddress -SenderAddress <bruker>).',
  },
  'admin-roles': {
    title: 'Fjern administratorroller',
    summary:
      'En angriper med en administratorrolle kan opprette kontoer, lese andre postbokser eller gi seg selv tilgang.',
    manual:
      'Åpne brukeren > Tildelte roller (aktive og kvalifiserte) i Microsoft Entra-administrasjonssenteret og fjern dem; fjern brukeren fra grupper som kan tildeles roller.',
  },
  'auth-methods': {
    title: 'Fjern mistenkelige påloggingsmetoder',
    summary:
      'En angriper som har registrert sin egen telefon eller autentiseringsapp, kan bestå MFA etter at passordet er tilbakestilt.',
    manual:
      'Åpne brukeren > Autentiseringsmetoder i Microsoft Entra-administrasjonssenteret og slett metodene brukeren ikke kjenner igjen.',
  },
  'app-consents': {
    title: 'Fjern mistenkelige appsamtykker',
    summary:
      'En app med samtykke fortsetter å lese e-post med sine egne tokener, selv etter at passordet er tilbakestilt.',
    manual:
      'Åpne Bedriftsprogrammer i Microsoft Entra-administrasjonssenteret, finn appen, Tillatelser > Brukersamtykke, og tilbakekall brukerens samtykke (eller slett oauth2PermissionGrant).',
  },
  'mailbox-delegates': {
    title: 'Fjern delegater fra postboksen',
    summary:
      'En delegat som angriperen har lagt til, fortsetter å lese eller sende fra postboksen med en annen konto.',
    manual:
      'Åpne postboksen > Postboksdelegering i Exchange-administrasjonssenteret og fjern ukjente delegater (eller Remove-MailboxPermission / Remove-RecipientPermission).',
  },
  'confirm-compromised': {
    title: 'Bekreft at brukeren er kompromittert',
    summary:
      'Merker brukeren som kompromittert i Identity Protection, slik at risikobaserte policyer og rapporter behandler den slik.',
    manual:
      'Åpne Beskyttelse > Identity Protection > Risikable brukere i Microsoft Entra-administrasjonssenteret, velg brukeren og «Bekreft at brukeren er kompromittert» (krever Microsoft Entra ID P2).',
  },
  'sign-in-evidence': {
    title: 'Gå gjennom påloggingsspor',
    summary:
      'Viser hvor og hvordan kontoen er brukt i det siste, for å avgrense hendelsen og finne angriperen.',
    manual:
      'Åpne brukeren > Påloggingslogger i Microsoft Entra-administrasjonssenteret (krever Microsoft Entra ID P1 eller P2 og rollen Rapportleser).',
  },
};

function perStep(steps: Record<string, StepTexts>): Record<string, Render> {
  const renders: Record<string, Render> = {};
  for (const [id, texts] of Object.entries(steps)) {
    renders[`steps.${id}.title`] = () => texts.title;
    renders[`steps.${id}.summary`] = () => texts.summary;
    renders[`steps.${id}.manual`] = () => texts.manual;
  }
  return renders;
}

const EN: Record<string, Render> = {
  ...perStep(EN_STEPS),
  'resetPassword.manualSynced': (p) =>
    `${plain(p.name)}'s account is synchronised from on-premises Active Directory, so the password must be reset there (Active Directory Users and Computers, or Set-ADAccountPassword -Reset) and then synced by Microsoft Entra Connect. The same applies to users of a federated domain: reset at the identity provider. Meanwhile, block sign-in and revoke sessions here.`,
  'resetPassword.manualGuest': (p) =>
    `${plain(p.name)} is a guest: the password belongs to their home organisation, whose administrators must reset it. Here, block sign-in and revoke sessions; contact the guest's organisation.`,
  'steps.couldNotCheck': (p, r) => `${r(p.manual)} Remediator could not check this: ${r(p.error)}`,
};

const NB: Record<string, Render> = {
  ...perStep(NB_STEPS),
  'resetPassword.manualSynced': (p) =>
    `Kontoen til ${plain(p.name)} synkroniseres fra lokal Active Directory, så passordet må tilbakestilles der (Active Directory Users and Computers, eller Set-ADAccountPassword -Reset) og deretter synkroniseres av Microsoft Entra Connect. Det samme gjelder brukere i et føderert domene: tilbakestill hos identitetsleverandøren. I mellomtiden: blokker pålogging og tilbakekall økter her.`,
  'resetPassword.manualGuest': (p) =>
    `${plain(p.name)} er gjest: passordet tilhører gjestens egen organisasjon, og administratorene der må tilbakestille det. Her: blokker pålogging og tilbakekall økter, og kontakt gjestens organisasjon.`,
  'steps.couldNotCheck': (p, r) => `${r(p.manual)} Remediator fikk ikke kontrollert dette: ${r(p.error)}`,
};

export const STEPS: Catalogue = { en: EN, 'nb-NO': NB };
