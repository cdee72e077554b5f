import { describe, expect, it } from 'vitest';
import { ensureModel } from '../../assistant/engine/modelGate.js';
import { defaultSettings } from '../../assistant/settings/settingsSchema.js';
import type { LoadControl, LoadModelOptions, ModelRuntime } from '../../native-models/modelRuntime.js';

/** A runtime that records its loads and, like a first load in `auto` on a PC with a GPU, measures two devices. */
function measuringRuntime(): { runtime: ModelRuntime; loads: LoadModelOptions[] } {
  const loads: LoadModelOptions[] = [];
  const runtime = {
    status: () => ({ state: 'empty' as const }),
    load: async (options: LoadModelOptions, control: LoadControl = {}) => {
      loads.push(options);
      control.onMeasuring?.('cpu');
      control.onMeasuring?.('vulkan');
      return {} as never;
    },
  } as unknown as ModelRuntime;
  return { runtime, loads };
}

describe('ensureModel', () => {
  it('loads the model asked for with the settings, and tells why a first load takes longer', async () => {
    const { runtime, loads } = measuringRuntime();
    const messages: string[] = [];
    await ensureModel(runtime, { ...defaultSettings(), 'runtime.gpu': 'auto', 'runtime.gpuMemoryMiB': 2048 }, '/m/lucie.gguf', { onLoading: (m) => messages.push(m) });
    expect(loads).toEqual([expect.objectContaining({ path: '/m/lucie.gguf', gpu: 'auto', gpuMemoryMiB: 2048 })]);
    expect(messages).toEqual([
      'Chargement du modèle de langue…',
      'Première utilisation de ce modèle sur ce poste : mesure de sa vitesse sur le processeur…',
      'Première utilisation de ce modèle sur ce poste : mesure de sa vitesse sur le GPU (vulkan)…',
    ]);
  });

  it('nothing named and nothing installed: no load (search-only answers)', async () => {
    const { runtime, loads } = measuringRuntime();
    await ensureModel(runtime, defaultSettings(), undefined, {});
    expect(loads).toEqual([]);
  });
});
