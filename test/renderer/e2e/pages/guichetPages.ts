/**
 * Page models of Guichet's screens, by what an agent sees (roles and French labels), so that the end-to-end tests
 * against `guichet serve` can reuse them with the real engine.
 */
import type { Locator, Page } from 'playwright-core';

export class AppFrame {
  constructor(readonly page: Page) {}
  nav(label: string): Locator {
    return this.page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: label });
  }
  statusBar(): Locator {
    return this.page.getByRole('contentinfo', { name: 'État de Guichet' });
  }
  async goto(baseUrl: string, hash: string, query = ''): Promise<void> {
    await this.page.goto(`${baseUrl}${query ? `?${query}` : ''}#/${hash}`);
    await this.page.locator('.guichet-app').waitFor();
  }
}

export class QuestionPage extends AppFrame {
  questionBox(): Locator {
    return this.page.locator('#question');
  }
  async ask(question: string): Promise<void> {
    await this.questionBox().fill(question);
    await this.questionBox().press('Control+Enter');
  }
  /** Types as an agent does: `charsPerSecond` keys a second. */
  async type(question: string, charsPerSecond: number): Promise<void> {
    await this.questionBox().pressSequentially(question, { delay: Math.round(1000 / charsPerSecond) });
  }
  /** The fiches the question being typed would use, and the reading of their extracts. */
  typingPreview(): Locator {
    return this.page.locator('.guichet-preview');
  }
  /** « Lu après la question : N jetons sur M (x %), en s » of the last answer. */
  readAfterSubmit(): Locator {
    return this.page.locator('.guichet-read-after').last();
  }
  sourceCards(): Locator {
    return this.page.locator('.guichet-sources article.fr-card');
  }
  draft(): Locator {
    return this.page.locator('.guichet-draft').last();
  }
  stopButton(): Locator {
    return this.page.getByRole('button', { name: /Arrêter/ });
  }
  async stop(): Promise<void> {
    await this.page.keyboard.press('Escape');
  }
  relatedQuestion(text: string): Locator {
    return this.page.getByRole('button', { name: text });
  }
  async copy(): Promise<void> {
    await this.page.getByRole('button', { name: 'Copier le texte' }).last().click();
  }
  async waitForDraftDone(): Promise<void> {
    await this.page.getByRole('button', { name: 'Copier le texte' }).last().waitFor();
  }
}

export class FichePage extends AppFrame {
  title(): Locator {
    return this.page.locator('#fiche-title');
  }
}

export class SearchPage extends AppFrame {
  async search(query: string): Promise<void> {
    await this.page.locator('#search-input').fill(query);
    await this.page.locator('#search-input').press('Enter');
    await this.page.locator('.guichet-stack article.fr-card').first().waitFor();
  }
}

export class RepliesPage extends AppFrame {
  async draft(testimony: string, institution: string): Promise<void> {
    await this.page.locator('#testimony').fill(testimony);
    await this.page.locator('#institution').fill(institution);
    await this.page.getByRole('button', { name: 'Préparer une réponse' }).click();
    await this.page.getByRole('button', { name: 'Copier la réponse' }).waitFor();
  }
}

export class SettingsPage extends AppFrame {
  lockedHints(): Locator {
    return this.page.locator('.guichet-locked');
  }
}
