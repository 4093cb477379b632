import { plain } from '../locale';
import type { Catalogue, Render } from '../locale';

/** The labels of the incident report and the CLI (the sentences inside come from the other areas). */

const EN_STATUS: Record<string, string> = {
  pending: 'pending',
  approved: 'approved',
  skipped: 'skipped',
  running: 'running',
  done: 'done',
  failed: 'failed',
  'awaiting-approval': 'awaiting approval',
  open: 'open',
  completed: 'completed',
  cancelled: 'cancelled',
};
const NB_STATUS: Record<string, string> = {
  pending: 'venter',
  approved: 'godkjent',
  skipped: 'hoppet over',
  running: 'kjører',
  done: 'utført',
  failed: 'feilet',
  'awaiting-approval': 'venter på godkjenning',
  open: 'åpen',
  completed: 'fullført',
  cancelled: 'avbrutt',
};

const EN_SUSPICION: Record<string, string> = { high: 'HIGH', medium: 'MEDIUM', low: 'low', none: '-' };
const NB_SUSPICION: Record<string, string> = { high: 'HØY', medium: 'MIDDELS', low: 'lav', none: '-' };

const EN: Record<string, Render> = {
  'report.title': (p) => `Incident ${plain(p.id)}: ${plain(p.who)}`,
  'report.status': (p) => EN_STATUS[plain(p.status)] ?? plain(p.status),
  'report.statusLine': (p, r) => `Status: ${r(p.status)}`,
  'report.opened': (p) => `Opened: ${plain(p.at)} by ${plain(p.by)} (${plain(p.origin)})`,
  'report.approvals': (p) => `Approvals: ${plain(p.list) || 'none'}`,
  'report.approvalAt': (p) => `${plain(p.who)} at ${plain(p.at)}`,
  'report.lastChange': (p) => `Last change: ${plain(p.at)}`,
  'report.verified': () => 'verified',
  'report.manual': (p) => `Manual: ${plain(p.text)}`,
  'report.byHand': (p) => `By hand: ${plain(p.text)}`,
  'report.nothingToDo': () => 'Nothing to do.',
  'report.proposed': () => 'Proposed:',
  'report.approvedBy': (p) => `Approved by ${plain(p.who)}`,
  'report.skippedBy': (p) => `Skipped by ${plain(p.who)}`,
  'report.undoneBy': (p) => `Undone by ${plain(p.who)}`,
  'report.undoRequested': (p) =>
    `Undo asked for by ${plain(p.who)}; nothing changed. A second responder approves it: run again with --approver <upn>.`,
  'report.request': (p) => `request ${plain(p.ids)}`,
  'report.error': (p) => `Error: ${plain(p.message)} Remedy: ${plain(p.remedy)}`,
  'report.errorLine': (p) => `Error: ${plain(p.message)}`,
  'report.remedyLine': (p) => `Remedy: ${plain(p.remedy)}`,
  'report.auditTrail': () => 'Audit trail',
  'report.suspicion': (p) => EN_SUSPICION[plain(p.level)] ?? '-',
  'cli.secret': (p) =>
    `${plain(p.kind) === 'temporaryAccessPass' ? 'Temporary Access Pass' : 'New password'} for ${plain(p.name)}, shown once — give it to the user by phone or in person, never by email${p.expires !== undefined ? ` (expires ${plain(p.expires)})` : ''}`,
};

const NB: Record<string, Render> = {
  'report.title': (p) => `Hendelse ${plain(p.id)}: ${plain(p.who)}`,
  'report.status': (p) => NB_STATUS[plain(p.status)] ?? plain(p.status),
  'report.statusLine': (p, r) => `Status: ${r(p.status)}`,
  'report.opened': (p) => `Åpnet: ${plain(p.at)} av ${plain(p.by)} (${plain(p.origin)})`,
  'report.approvals': (p) => `Godkjenninger: ${plain(p.list) || 'ingen'}`,
  'report.approvalAt': (p) => `${plain(p.who)} kl. ${plain(p.at)}`,
  'report.lastChange': (p) => `Sist endret: ${plain(p.at)}`,
  'report.verified': () => 'kontrollert',
  'report.manual': (p) => `Manuelt: ${plain(p.text)}`,
  'report.byHand': (p) => `Manuelt: ${plain(p.text)}`,
  'report.nothingToDo': () => 'Ingenting å gjøre.',
  'report.proposed': () => 'Foreslått:',
  'report.approvedBy': (p) => `Godkjent av ${plain(p.who)}`,
  'report.skippedBy': (p) => `Hoppet over av ${plain(p.who)}`,
  'report.undoneBy': (p) => `Angret av ${plain(p.who)}`,
  'report.undoRequested': (p) =>
    `${plain(p.who)} har bedt om å angre; ingenting er endret. En annen responder må godkjenne: kjør igjen med --approver <upn>.`,
  'report.request': (p) => `forespørsel ${plain(p.ids)}`,
  'report.error': (p) => `Feil: ${plain(p.message)} Tiltak: ${plain(p.remedy)}`,
  'report.errorLine': (p) => `Feil: ${plain(p.message)}`,
  'report.remedyLine': (p) => `Tiltak: ${plain(p.remedy)}`,
  'report.auditTrail': () => 'Revisjonsspor',
  'report.suspicion': (p) => NB_SUSPICION[plain(p.level)] ?? '-',
  'cli.secret': (p) =>
    `${plain(p.kind) === 'temporaryAccessPass' ? 'Temporary Access Pass (midlertidig tilgangskode)' : 'Nytt passord'} for ${plain(p.name)}, vises bare én gang — gi det til brukeren på telefon eller personlig, aldri på e-post${p.expires !== undefined ? ` (utløper ${plain(p.expires)})` : ''}`,
};

export const REPORT: Catalogue = { en: EN, 'nb-NO': NB };

/** For the completeness test. */
export const STATUS_TABLES: [string, Record<string, string>, Record<string, string>][] = [
  ['statuses', EN_STATUS, NB_STATUS],
  ['suspicion marks', EN_SUSPICION, NB_SUSPICION],
];
