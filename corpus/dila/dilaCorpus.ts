/**
 * The items read from one or several DILA feeds → the final fiches and practical links. Two things need the whole
 * feed at once: a fiche's `ServiceEnLigne` is completed from the R resource of the same id (URL, institution,
 * description), and a fiche published in two feeds (particuliers and professionnels) is kept once.
 */
import type { Fiche, OnlineService } from '../fiche.js';
import type { DilaItem } from './dilaEntry.js';
import { fillMissing } from './dilaPublication.js';
import { serviceFicheUrl } from './dilaVocabulary.js';

/** The result of {@link assembleDilaCorpus}. */
export interface DilaCorpus {
  /** Fiches, dossiers and themes, in feed order, one per id. */
  fiches: Fiche[];
  /** Every practical link: the R resources, then services only known from fiches; one per id. */
  onlineServices: OnlineService[];
  /** Fiches met again in a later feed and merged into the first copy (their audiences are added to it). */
  duplicateFiches: number;
}

/**
 * Assembles the items of one or several feeds (pass them in feed order: the first copy of a fiche wins, so pass the
 * particuliers feed first to keep its navigation). Pure and deterministic; the input items are not modified.
 */
export function assembleDilaCorpus(items: Iterable<DilaItem>): DilaCorpus {
  const resources = new Map<string, OnlineService>();
  const fiches = new Map<string, Fiche>();
  let duplicateFiches = 0;
  for (const item of items) {
    if (item.type === 'resource') {
      const known = resources.get(item.service.id);
      resources.set(item.service.id, known === undefined ? item.service : fillMissing(known, item.service));
      continue;
    }
    const known = fiches.get(item.fiche.id);
    if (known === undefined) {
      fiches.set(item.fiche.id, item.fiche);
    } else {
      duplicateFiches += 1;
      fiches.set(item.fiche.id, mergeAudiences(known, item.fiche));
    }
  }
  const fromFiches = new Map<string, OnlineService>();
  const resolved = [...fiches.values()].map((fiche) => {
    const onlineServices = fiche.onlineServices.map((service) => {
      const resource = resources.get(service.id);
      let full = resource === undefined ? service : fillMissing(service, resource);
      // Last resort for a service cited without URL and absent from the feed: its page on service-public.fr.
      if (full.url === '') full = { ...full, url: serviceFicheUrl(fiche.audience, full.id) };
      if (resource === undefined && !fromFiches.has(full.id)) fromFiches.set(full.id, full);
      return full;
    });
    return { ...fiche, onlineServices };
  });
  return { fiches: resolved, onlineServices: [...resources.values(), ...fromFiches.values()], duplicateFiches };
}

function mergeAudiences(first: Fiche, again: Fiche): Fiche {
  const audiences = [...new Set([...(first.audiences ?? [first.audience]), again.audience, ...(again.audiences ?? [])])];
  return { ...first, audiences };
}
