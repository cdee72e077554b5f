/**
 * C0 and C1 control characters except tab and newline, DEL, and the bidirectional overrides that can disguise text
 * in a terminal or an export (`\u202E`…). A model can emit any byte; none of these may reach a terminal, a file or
 * the page.
 */
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** Generated text made inert: control characters removed; carriage returns become newlines (CRLF → LF). */
export function inertText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROL, '');
}

/** Whether the text holds anything a person can read once made inert. */
export function hasReadableText(text: string): boolean {
  return inertText(text).trim().length > 0;
}

/** What the agent reads when the model wrote only blanks or control characters. */
export const NO_READABLE_TEXT = "Le modèle n'a produit aucun texte lisible.";
