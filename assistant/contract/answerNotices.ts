/** French notices of an answer that the CLI prints and the interface shows its own way (browser-safe: no import). */

/** The draft was stopped at the agent's request: the interface says it once, with the « Arrêté » badge. */
export const STOPPED_NOTICE = 'Rédaction arrêtée à la demande.';
