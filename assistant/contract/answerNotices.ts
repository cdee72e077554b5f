/** French notices of an answer that the CLI prints and the interface shows its own way (browser-safe: no import). */

/** The draft was stopped at the agent's request: the interface says it once, with the « Arrêté » badge. */
export const STOPPED_NOTICE = 'Rédaction arrêtée à la demande.';

/** Search only, by the agent's choice (or after a model failure the answer's warnings explain). */
export const SEARCH_ONLY_NOTICE = 'Mode recherche seule : voici les passages les plus pertinents des fiches.';

/** Search only because no model is installed; the interface says where to add one (Paramètres), not the CLI. */
export const NO_MODEL_NOTICE =
  "Aucun modèle de langue n'est chargé : voici les passages les plus pertinents des fiches (installez un modèle avec « guichet models add » pour obtenir un brouillon).";
