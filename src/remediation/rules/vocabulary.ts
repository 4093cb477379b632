import { matchKey } from './normalise';

/**
 * Words that business-email-compromise inbox rules filter on, in the languages a European tenant
 * meets. The concepts come from public detections and incident write-ups:
 * - Microsoft Sentinel "Malicious Inbox Rule" (Azure/Azure-Sentinel, Solutions/Microsoft 365/
 *   Analytic Rules/Malicious_Inbox_Rule.yaml): helpdesk, suspicious, malicious, phishing,
 *   do not click, do not open, hijacked.
 * - Elastic "M365 Exchange inbox rule with suspicious keywords" (elastic/detection-rules) and
 *   Microsoft's BEC write-ups (Microsoft Security blog, "Investigating BEC": invoice, payment,
 *   wire, bank details, payroll, W-2).
 * - CISA/FBI IC3 BEC advisories: wire transfer, payroll diversion, direct deposit, vendor invoices.
 * The other languages carry the same concepts as a finance or IT department writes them
 * (bokmål and nynorsk, Swedish, Danish, Finnish, German, Dutch, French, Spanish, Italian, Polish).
 * Terms are matched on normalised text (see normalise.ts): case, diacritics and look-alikes do not matter.
 */
export const FINANCE_TERMS: Record<string, string[]> = {
  en: [
    'invoice',
    'invoices',
    'payment',
    'wire',
    'wire transfer',
    'bank',
    'banking',
    'bank details',
    'bank account',
    'account number',
    'remittance',
    'payroll',
    'paycheck',
    'salary',
    'direct deposit',
    'transfer',
    'iban',
    'purchase order',
    'overdue',
    'w-2',
    'w2',
    'ach',
  ],
  nb: [
    'faktura',
    'betaling',
    'overføring',
    'bankkonto',
    'kontonummer',
    'lønn',
    'purring',
    'inkasso',
    'remittering',
  ],
  nn: ['rekning', 'betaling', 'overføring', 'kontonummer', 'løn', 'utbetaling'],
  sv: [
    'faktura',
    'fakturor',
    'betalning',
    'överföring',
    'bankkonto',
    'kontonummer',
    'lön',
    'bankgiro',
    'plusgiro',
  ],
  da: ['faktura', 'fakturaer', 'betaling', 'overførsel', 'bankkonto', 'kontonummer', 'løn', 'rykker'],
  fi: ['lasku', 'laskut', 'maksu', 'tilisiirto', 'pankki', 'tilinumero', 'palkka'],
  de: [
    'rechnung',
    'zahlung',
    'überweisung',
    'bankverbindung',
    'kontonummer',
    'gehalt',
    'lohn',
    'mahnung',
    'bankdaten',
  ],
  nl: [
    'factuur',
    'facturen',
    'betaling',
    'overschrijving',
    'overboeking',
    'bankrekening',
    'rekeningnummer',
    'salaris',
    'aanmaning',
  ],
  fr: ['facture', 'paiement', 'virement', 'coordonnées bancaires', 'rib', 'salaire', 'paie'],
  es: [
    'factura',
    'pago',
    'pagos',
    'transferencia',
    'cuenta bancaria',
    'datos bancarios',
    'nómina',
    'salario',
  ],
  it: ['fattura', 'fatture', 'pagamento', 'bonifico', 'coordinate bancarie', 'conto corrente', 'stipendio'],
  pl: ['faktura', 'faktury', 'płatność', 'przelew', 'konto bankowe', 'numer konta', 'wynagrodzenie'],
};

/** Words of warnings that would reveal the compromise to the victim. */
export const SECURITY_TERMS: Record<string, string[]> = {
  en: [
    'password',
    'security',
    'phish',
    'phishing',
    'hack',
    'hacked',
    'hijacked',
    'compromised',
    'mfa',
    'suspicious',
    'malicious',
    'fraud',
    'scam',
    'verify',
    'verification',
    'unusual sign-in',
    'do not click',
    'do not open',
    'helpdesk',
    'help desk',
    'servicedesk',
  ],
  nb: [
    'passord',
    'sikkerhet',
    'svindel',
    'hacket',
    'hacka',
    'kompromittert',
    'mistenkelig',
    'ikke klikk',
    'nettfiske',
  ],
  nn: ['passord', 'tryggleik', 'svindel', 'mistenkjeleg'],
  sv: ['lösenord', 'säkerhet', 'bedrägeri', 'hackad', 'komprometterad', 'misstänkt', 'nätfiske'],
  da: ['adgangskode', 'sikkerhed', 'svindel', 'hacket', 'kompromitteret', 'mistænkelig'],
  fi: ['salasana', 'tietoturva', 'huijaus', 'kalastelu', 'hakkeroitu', 'epäilyttävä'],
  de: ['passwort', 'kennwort', 'sicherheit', 'betrug', 'gehackt', 'kompromittiert', 'verdächtig'],
  nl: ['wachtwoord', 'beveiliging', 'fraude', 'oplichting', 'gehackt', 'verdacht'],
  fr: ['mot de passe', 'sécurité', 'fraude', 'arnaque', 'piraté', 'suspect', 'hameçonnage'],
  es: ['contraseña', 'seguridad', 'fraude', 'estafa', 'hackeado', 'sospechoso'],
  it: ['sicurezza', 'frode', 'truffa', 'hackerato', 'sospetto'],
  pl: ['hasło', 'bezpieczeństwo', 'oszustwo', 'zhakowane', 'podejrzane'],
};

/** Sender fragments of people and services that would warn the victim. */
export const WARNING_SENDER_TERMS = [
  'security',
  'it',
  'helpdesk',
  'servicedesk',
  'support',
  'admin',
  'soc',
  'cert',
  'csirt',
  'abuse',
  'fraud',
  'microsoft',
  'microsoftonline',
  'bank',
  'sikkerhet',
  'brukerstøtte',
  'säkerhet',
  'sikkerhed',
  'tietoturva',
  'sicherheit',
  'beveiliging',
  'sécurité',
  'seguridad',
  'sicurezza',
  'bezpieczeństwo',
];

/** Bulk senders: hiding all of their mail is everyday filtering, not targeted hiding. */
export const BULK_SENDER_TERMS = [
  'newsletter',
  'newsletters',
  'news',
  'noreply',
  'no-reply',
  'donotreply',
  'do-not-reply',
  'marketing',
  'promo',
  'promotions',
  'offers',
  'deals',
  'info',
  'mailer',
  'notification',
  'notifications',
  'updates',
  'digest',
  'mailchimp',
  'sendgrid',
  'campaign',
  'nyhetsbrev',
  'nyheter',
  'tilbud',
  'kampanje',
  'nyhetsbrev',
  'uutiskirje',
  'werbung',
  'angebote',
  'nieuwsbrief',
  'aanbiedingen',
  'offres',
  'ofertas',
  'offerte',
  'oferty',
];

/**
 * Names of the folders finance and IT people file such mail into (accounting, finance, IT,
 * security), in the same languages: a rule filing finance words there is housekeeping.
 */
export const DEPARTMENT_FOLDER_TERMS = [
  'accounting',
  'accounts payable',
  'finance',
  'it',
  'security',
  'regnskap',
  'økonomi',
  'rekneskap',
  'ekonomi',
  'bokföring',
  'regnskab',
  'bogføring',
  'kirjanpito',
  'talous',
  'buchhaltung',
  'finanzen',
  'boekhouding',
  'financiën',
  'comptabilité',
  'finances',
  'contabilidad',
  'finanzas',
  'contabilità',
  'amministrazione',
  'księgowość',
  'finanse',
];

export interface Vocabulary {
  /** Normalised term keys. */
  terms: string[];
}

function keysOf(lists: Record<string, string[]>): string[] {
  return [...new Set(Object.values(lists).flat().map(matchKey))];
}

export const FINANCE_KEYS = keysOf(FINANCE_TERMS);
export const SECURITY_KEYS = keysOf(SECURITY_TERMS);
export const WARNING_SENDER_KEYS = [...new Set(WARNING_SENDER_TERMS.map(matchKey))];
export const BULK_SENDER_KEYS = [...new Set(BULK_SENDER_TERMS.map(matchKey))];
export const DEPARTMENT_FOLDER_KEYS = [...new Set(DEPARTMENT_FOLDER_TERMS.map(matchKey))];

const WORD_CHAR = /[\p{L}\p{N}]/u;

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && WORD_CHAR.test(char);
}

/**
 * Whether a normalised term occurs in normalised text. Long terms (7+ characters) match inside
 * compounds ("Lieferantenrechnung", "innbetaling"); medium ones at the start of a word
 * ("fakturaen", "laskut"); short ones ("wire", "bank", "mfa") only as whole words.
 */
export function containsTerm(textKey: string, termKey: string): boolean {
  let from = 0;
  for (;;) {
    const at = textKey.indexOf(termKey, from);
    if (at < 0) return false;
    const before = textKey[at - 1];
    const after = textKey[at + termKey.length];
    if (termKey.length >= 7) return true;
    if (!isWordChar(before) && (termKey.length >= 5 || !isWordChar(after))) return true;
    from = at + 1;
  }
}

export function termsIn(textKey: string, termKeys: string[]): string[] {
  return termKeys.filter((term) => containsTerm(textKey, term));
}
