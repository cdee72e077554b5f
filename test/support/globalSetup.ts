import { existsSync } from 'node:fs';
import { sharedDir } from './sharedData.js';

/** The tests read the real feeds and models in ../shared: a missing fixture is an error, never a skip. */
export default function setup(): void {
  if (!existsSync(sharedDir('corpus/dila'))) {
    throw new Error(`Données de test absentes : ${sharedDir('')} (clonez le dépôt à côté de ../shared).`);
  }
}
