import { describe, expect, it, vi } from 'vitest';
import { TokenBatcher } from '../../assistant/engine/tokenBatcher.js';

describe('TokenBatcher', () => {
  it('sends the first text at once and groups what comes faster than the interval', async () => {
    vi.useFakeTimers();
    try {
      const sent: string[] = [];
      const batcher = new TokenBatcher((text) => sent.push(text), 16);
      batcher.push('Bon');
      expect(sent).toEqual(['Bon']);
      batcher.push('jour');
      batcher.push(' à');
      expect(sent).toEqual(['Bon']);
      vi.advanceTimersByTime(20);
      expect(sent).toEqual(['Bon', 'jour à']);
      batcher.push(' vous');
      batcher.flush();
      expect(sent.join('')).toBe('Bonjour à vous');
      batcher.flush();
      expect(sent).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('with interval 0, every piece is sent', () => {
    const sent: string[] = [];
    const batcher = new TokenBatcher((text) => sent.push(text), 0);
    for (const piece of ['a', 'b', 'c']) batcher.push(piece);
    expect(sent).toEqual(['a', 'b', 'c']);
  });
});
