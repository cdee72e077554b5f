import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../renderer/src/lib/text/markdown.js';

function dom(html: string): HTMLElement {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div;
}

describe('Markdown sanitiser (marked + DOMPurify under jsdom)', () => {
  it.each([
    ['<script>alert(1)</script>'],
    ['<img src=x onerror="alert(1)">'],
    ['<iframe src="https://evil.example"></iframe>'],
    ['<svg><script>alert(1)</script></svg>'],
    ['<a href="javascript:alert(1)">clic</a>'],
    ['<div style="background:url(javascript:alert(1))" onclick="alert(1)">x</div>'],
  ])('raw HTML never runs: %s', (hostile) => {
    const out = dom(renderMarkdown(`Texte ${hostile} fin`));
    expect(out.querySelector('script, img, iframe, svg, [onerror], [onclick], [style]')).toBeNull();
    expect(out.querySelector('a[href^="javascript"]')).toBeNull();
  });

  it('drops images and unsafe links from Markdown', () => {
    const out = dom(renderMarkdown('![suivi](https://tracker.example/p.png) [a](javascript:alert(1)) [b](data:text/html,x) [c](https://www.service-public.fr/) [d](mailto:caf@example.fr)'));
    expect(out.querySelector('img')).toBeNull();
    const hrefs = [...out.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(hrefs.filter(Boolean)).toEqual(['https://www.service-public.fr/', 'mailto:caf@example.fr']);
    const safe = out.querySelector('a[href^="https"]')!;
    expect(safe.getAttribute('target')).toBe('_blank');
    expect(safe.getAttribute('rel')).toBe('noopener noreferrer');
  });

  it('shows HTML typed in the text as text', () => {
    const out = dom(renderMarkdown('Balise <b onclick="x()">gras</b>'));
    expect(out.textContent).toContain('<b onclick="x()">gras</b>');
    expect(out.querySelector('b')).toBeNull();
  });

  it('makes chips of citations, not of brackets in code or links', () => {
    const out = dom(renderMarkdown('Voir [1] et [2, 3]. `tableau[1]`', { citationTitle: (n) => `Fiche ${n}` }));
    expect([...out.querySelectorAll('button[data-cite]')].map((b) => b.getAttribute('data-cite'))).toEqual(['1', '2', '3']);
    expect(out.querySelector('code')?.textContent).toBe('tableau[1]');
  });

  it('gives fiches their DSFR tables and « À noter » highlights', () => {
    const out = dom(renderMarkdown('| A | B |\n| --- | --- |\n| 1 | 2 |\n\n> **À noter** : sur rendez-vous.'));
    expect(out.querySelector('.fr-table table')).not.toBeNull();
    expect(out.querySelector('blockquote.fr-highlight')).not.toBeNull();
  });
});
