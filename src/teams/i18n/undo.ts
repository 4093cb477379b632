import { localeTagFor } from './index';

/**
 * What cards and notices say about undone steps. Undo is remediation too: it is asked for by one
 * responder, approved by a second, and every card says so instead of "Done".
 */
const en = {
  undone: (who: string) => `Undone by ${who}`,
  undoRequested: (who: string) => `undo asked for by ${who}: waiting for a second responder`,
  undoRunning: 'undo running…',
  undoFailed: 'undo failed',
  undoRequestedBy: 'Undo asked for by',
  undoneBy: 'Undone by',
  approveUndo: 'Approve undo',
  approveRestore: 'Approve restoring roles',
  noticeRequested: (who: string, step: string, target: string) =>
    `${who} asked to undo "${step}" for ${target}. Nothing has changed: a second responder must approve it on the step card.`,
  noticeDone: (who: string, step: string, target: string, askedBy: string) =>
    `"${step}" for ${target} was undone: asked for by ${askedBy}, approved by ${who}.`,
  noticeFailed: (who: string, step: string, target: string) =>
    `Undoing "${step}" for ${target} (approved by ${who}) failed; see the step card.`,
  restoreRequested: (target: string) =>
    `Restoring the admin roles of ${target} needs a second responder: nothing has changed yet. Another responder approves it on the step card (or types the same command).`,
  otherConversation:
    'That incident was opened in another conversation, so nothing was done. Act on it where it was opened.',
  hideRefused: 'Only the responder who received a credential can hide it, on the message that carried it.',
};

type UndoStrings = typeof en;

const nbNO: UndoStrings = {
  undone: (who) => `Angret av ${who}`,
  undoRequested: (who) => `angring bedt om av ${who}: venter på en ny responder`,
  undoRunning: 'angrer…',
  undoFailed: 'angring feilet',
  undoRequestedBy: 'Angring bedt om av',
  undoneBy: 'Angret av',
  approveUndo: 'Godkjenn angring',
  approveRestore: 'Godkjenn gjenoppretting av roller',
  noticeRequested: (who, step, target) =>
    `${who} ba om å angre «${step}» for ${target}. Ingenting er endret: en annen responder må godkjenne det på trinnkortet.`,
  noticeDone: (who, step, target, askedBy) =>
    `«${step}» for ${target} er angret: bedt om av ${askedBy}, godkjent av ${who}.`,
  noticeFailed: (who, step, target) =>
    `Angring av «${step}» for ${target} (godkjent av ${who}) feilet; se trinnkortet.`,
  restoreRequested: (target) =>
    `Gjenoppretting av adminrollene til ${target} krever en ny responder: ingenting er endret ennå. En annen responder godkjenner det på trinnkortet (eller skriver den samme kommandoen).`,
  otherConversation:
    'Den hendelsen ble åpnet i en annen samtale, så ingenting ble gjort. Handle der den ble åpnet.',
  hideRefused: 'Bare responderen som fikk et passord kan skjule det, på meldingen som inneholdt det.',
};

export function undoStringsFor(locale: string | undefined): UndoStrings {
  return localeTagFor(locale) === 'nb-NO' ? nbNO : en;
}
