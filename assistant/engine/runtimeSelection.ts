import type { HardwareInfo } from '../../native-models/hardware.js';
import type { GenerateOptions, GenerateRequest, GenerationResult, LoadControl, LoadedModel, LoadModelOptions, ModelRuntime, ReadAheadOptions, ReadAheadRequest, ReadAheadResult, RuntimeStatus } from '../../native-models/modelRuntime.js';
import type { RemoteModelInfo, RemoteRuntime } from '../../remote-models/remoteRuntime.js';
import { remoteApiKey, type SecretStore } from '../settings/remoteApiKey.js';
import { remoteTarget, type RemoteTarget } from '../settings/remotePolicy.js';
import type { Settings } from '../settings/settingsSchema.js';
import { estimateTokens } from '../text/tokenEstimate.js';

/** What {@link RuntimeSelection} chooses between. */
export interface RuntimeSelectionDeps {
  /** The llama.cpp runtime of this PC. */
  local: ModelRuntime;
  /** The live settings: `runtime.remote.url` (checked against policy on every call) picks the shared server. */
  settings: Settings;
  /** Where the agent's API key is kept (the policy's key file comes first). */
  secrets: SecretStore;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
}

/**
 * The one runtime the use cases see: the shared server when the settings name one that policy allows, else the model
 * on this PC. Never switches silently: a refused or unreachable server is an error the use case reports, and the
 * agent chooses the local model (`--model`, or the server removed in Paramètres).
 */
export class RuntimeSelection implements ModelRuntime {
  private remote: { key: string; runtime: RemoteRuntime } | undefined;

  constructor(private readonly deps: RuntimeSelectionDeps) {}

  /** The shared server the settings name, policy checked (throws `RemoteModelError`); `undefined`: this PC. */
  target(): RemoteTarget | undefined {
    return remoteTarget(this.deps.settings);
  }

  /** Whether the settings name a shared server (allowed or not). */
  get remoteConfigured(): boolean {
    return Boolean(this.deps.settings['runtime.remote.url']);
  }

  /** The models the configured server offers. */
  async remoteModels(signal?: AbortSignal): Promise<{ target: RemoteTarget; models: RemoteModelInfo[] } | undefined> {
    const target = this.target();
    if (!target) return undefined;
    return { target, models: await (await this.remoteFor(target)).models(signal) };
  }

  /** For the shared server, `options.path` is replaced by `runtime.remote.model` (empty: the server's first). */
  async load(options: LoadModelOptions, control?: LoadControl): Promise<LoadedModel> {
    const target = this.target();
    if (!target) return this.deps.local.load(options, control);
    const remote = await this.remoteFor(target);
    return remote.load({ path: target.model ?? '', contextSize: options.contextSize ?? null }, control);
  }

  async unload(): Promise<void> {
    await this.remote?.runtime.unload();
    await this.deps.local.unload();
  }

  status(): RuntimeStatus {
    if (!this.remoteConfigured) return this.deps.local.status();
    let target: RemoteTarget | undefined;
    try {
      target = this.target();
    } catch {
      return { state: 'empty' };
    }
    return this.remote && target && this.remote.key === keyOf(target) ? this.remote.runtime.status() : { state: 'empty' };
  }

  async generate(request: GenerateRequest, options?: GenerateOptions): Promise<GenerationResult> {
    return (await this.active()).generate(request, options);
  }

  async promptTokens(request: GenerateRequest): Promise<number> {
    return (await this.active()).promptTokens(request);
  }

  /**
   * Reading ahead needs a context on this PC: with a shared server the local runtime has no model loaded, so its
   * readings answer `no-model` and nothing is sent anywhere.
   */
  async readAhead(request: ReadAheadRequest, options?: ReadAheadOptions): Promise<ReadAheadResult> {
    if (this.target() || !this.deps.local.readAhead) return { state: 'no-model', prefixTokens: 0, reusedTokens: 0, readTokens: 0, steps: 0, stepsAfterYield: 0, readingMs: 0 };
    return this.deps.local.readAhead(request, options);
  }

  yieldReadAhead(): void {
    this.deps.local.yieldReadAhead?.();
  }

  readingSpeed(): number | undefined {
    return this.target() ? undefined : this.deps.local.readingSpeed?.();
  }

  hardware(): Promise<HardwareInfo> {
    return this.deps.local.hardware();
  }

  async dispose(): Promise<void> {
    await this.remote?.runtime.dispose();
    await this.deps.local.dispose();
  }

  private async active(): Promise<ModelRuntime> {
    const target = this.target();
    return target ? this.remoteFor(target) : this.deps.local;
  }

  /** One client per server and model; a changed URL or model (Paramètres) makes a new one. */
  private async remoteFor(target: RemoteTarget): Promise<RemoteRuntime> {
    const key = keyOf(target);
    if (this.remote?.key === key) return this.remote.runtime;
    // Loaded on first use: the OpenAI client costs nothing to an engine that never talks to a server.
    const { RemoteRuntime } = await import('../../remote-models/remoteRuntime.js');
    const apiKey = await remoteApiKey(target.apiKeyFile, this.deps.secrets);
    const runtime = new RemoteRuntime({
      url: target.url,
      ...(apiKey ? { apiKey } : {}),
      ...(this.deps.fetch ? { fetch: this.deps.fetch } : {}),
      estimateTokens,
      hardware: () => this.deps.local.hardware(),
    });
    await this.remote?.runtime.dispose();
    this.remote = { key, runtime };
    return runtime;
  }

  /** Forgets the client (a new API key was entered): the next call connects with the new key. */
  async reconnect(): Promise<void> {
    await this.remote?.runtime.dispose();
    this.remote = undefined;
  }
}

function keyOf(target: RemoteTarget): string {
  return `${target.url}\n${target.model ?? ''}`;
}
