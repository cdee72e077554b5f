/** How many threads generation uses, and why: shown to the agent and IT beside the model's device. */
export interface ThreadChoice {
  /** Threads given to llama.cpp. Range 1–`physicalCores`. */
  threads: number;
  /** `setting`: the resolved `runtime.threads` setting (user, policy or `GUICHET_THREADS`); `auto`: chosen here. */
  source: 'setting' | 'auto';
  /** The setting asked for more threads than the PC has physical cores and was lowered. */
  capped: boolean;
  /** One French sentence explaining the choice. */
  explanation: string;
}

/**
 * Ceiling of the automatic choice. Token generation is bound by memory bandwidth: past about eight cores a desktop
 * gains nothing and the rest of the PC (the agent's other applications) loses.
 */
export const AUTO_THREADS_CEILING = 8;

/**
 * Chooses the generation's thread count. Never more than the physical cores: hyper-threads share one core's
 * arithmetic units and slow llama.cpp down (measured here: a tiny model runs at ~750 tokens/s on 1 thread and a few
 * tokens/s on 4 of 2 vCPUs).
 *
 * @param requested the resolved `runtime.threads` setting (policy > `GUICHET_THREADS` > user); `null` = automatic.
 * @param physicalCores physical cores as llama.cpp counts them for math (`Llama.cpuMathCores`); at least 1.
 */
export function chooseThreads(requested: number | null | undefined, physicalCores: number): ThreadChoice {
  const cores = Math.max(1, Math.floor(physicalCores));
  if (requested !== null && requested !== undefined && Number.isFinite(requested) && requested >= 1) {
    const wanted = Math.floor(requested);
    if (wanted > cores) {
      return {
        threads: cores,
        source: 'setting',
        capped: true,
        explanation: `${wanted} threads demandés, ramenés à ${cores} : ce PC n'a que ${cores} cœurs physiques.`,
      };
    }
    return { threads: wanted, source: 'setting', capped: false, explanation: `${wanted} thread${wanted > 1 ? 's' : ''} (réglage).` };
  }
  const threads = Math.min(cores, AUTO_THREADS_CEILING);
  return {
    threads,
    source: 'auto',
    capped: false,
    explanation: `${threads} thread${threads > 1 ? 's' : ''} : un par cœur physique${cores > AUTO_THREADS_CEILING ? ` (plafond ${AUTO_THREADS_CEILING})` : ''}.`,
  };
}
