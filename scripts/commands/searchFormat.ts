import type { SearchResult } from '../../assistant/knowledge/knowledgeTypes.js';

/** Search results as an agent reads them in a terminal. */
export function formatHits(result: SearchResult): string {
  if (result.hits.length === 0) return 'Aucune fiche ne correspond à cette question.';
  const lines: string[] = [];
  if (result.analysis.corrections.length > 0) {
    lines.push(`(orthographe corrigée : ${result.analysis.corrections.map((c) => `${c.from} → ${c.to}`).join(', ')})`);
  }
  if (result.weak) lines.push('Attention : aucune fiche ne correspond bien à la question ; reformulez ou vérifiez les sources.');
  result.hits.forEach((hit, index) => {
    lines.push('', `${index + 1}. ${hit.title} (${hit.ficheId}) — ${hit.audience}, mise à jour ${hit.date}`, `   ${hit.url}`);
    for (const passage of hit.passages) {
      if (passage.sectionPath.length > 0) lines.push(`   › ${passage.sectionPath.join(' › ')}`);
      lines.push(`     ${excerpt(passage.text, 280)}`);
    }
  });
  return lines.join('\n');
}

function excerpt(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max).replace(/\s\S*$/, '')}…`;
}
