/**
 * Embedding models we recommend for hybrid search over French fiches. The app runs without any (full-text search
 * only); IT installs one by copying its folder or file and pointing the `embedder.path` setting at it. Sizes are
 * download sizes from the Hugging Face listings; dimensions are what {@link Embedder.dimension} reports.
 */

/** One recommended embedding model. */
export interface EmbedderCatalogEntry {
  /** Stable key; an ONNX model is installed in a folder of this name, a GGUF keeps its file name. */
  readonly id: string;
  /** Name shown to IT, in French. */
  readonly label: string;
  /** `onnx`: a folder for transformers.js; `gguf`: one file for llama.cpp. */
  readonly format: 'onnx' | 'gguf';
  /** The Hugging Face repository holding the files below. */
  readonly huggingFaceRepo: string;
  /** The original model the files were converted from. */
  readonly baseModel: string;
  /** Files to copy, relative to the repository; an ONNX folder keeps this layout. */
  readonly files: readonly string[];
  /** Approximate total download size, in megabytes (10^6 bytes). */
  readonly approximateSizeMb: number;
  /** Components per vector (index column width). */
  readonly dimension: number;
  /** Tokens per text the model was trained on; longer chunks are cut. */
  readonly maxTokens: number;
  /** SPDX identifier of the weights' licence. */
  readonly licence: string;
  /** Prefixes the embedders apply (guessed from the name; listed so IT can check a renamed copy's `guichet.json`). */
  readonly queryPrefix: string;
  readonly passagePrefix: string;
  /** The default choice for an ordinary agent PC. */
  readonly recommended: boolean;
  /** What to know before choosing it, in French. */
  readonly note: string;
}

/** Why an English-only embedder must not be used, in French (shown next to the catalog and on a bad choice). */
export const ENGLISH_ONLY_EMBEDDER_NOTE =
  "Les modèles d'embedding entraînés sur l'anglais seul (all-MiniLM, bge-*-en, e5-*-v2, gte-*) découpent le français " +
  'en fragments sans sens pour eux : la recherche par le sens devient pire que la recherche plein texte. ' +
  'Choisissez un modèle multilingue.';

/** The recommended embedders, the default first. */
export const EMBEDDER_CATALOG: readonly EmbedderCatalogEntry[] = [
  {
    id: 'multilingual-e5-small',
    label: 'Multilingual E5 small (ONNX, quantifié 8 bits)',
    format: 'onnx',
    huggingFaceRepo: 'Xenova/multilingual-e5-small',
    baseModel: 'intfloat/multilingual-e5-small',
    files: ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'onnx/model_quantized.onnx'],
    approximateSizeMb: 135,
    dimension: 384,
    maxTokens: 512,
    licence: 'MIT',
    queryPrefix: 'query: ',
    passagePrefix: 'passage: ',
    recommended: true,
    note:
      "Léger et multilingue (français compris), il tient sur tout poste. Les préfixes « query: » et « passage: » " +
      "sont ajoutés automatiquement. La version non quantifiée (onnx/model.onnx, 470 Mo) est un peu plus fine et " +
      'deux fois plus lente.',
  },
  {
    id: 'bge-m3',
    label: 'BGE-M3 (ONNX, quantifié 8 bits)',
    format: 'onnx',
    huggingFaceRepo: 'Xenova/bge-m3',
    baseModel: 'BAAI/bge-m3',
    files: ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'onnx/model_quantized.onnx'],
    approximateSizeMb: 590,
    dimension: 1024,
    maxTokens: 8192,
    licence: 'MIT',
    queryPrefix: '',
    passagePrefix: '',
    recommended: false,
    note:
      'Meilleure recherche en français que E5 small, mais environ cinq fois plus lent à indexer et 1 à 2 Go de ' +
      'mémoire : pour les postes récents (8 cœurs, 16 Go). Sans préfixe ; vecteurs du jeton CLS.',
  },
  {
    id: 'bge-m3-gguf',
    label: 'BGE-M3 (GGUF Q8_0, pour llama.cpp)',
    format: 'gguf',
    huggingFaceRepo: 'rbehzadan/bge-m3-gguf',
    baseModel: 'BAAI/bge-m3',
    files: ['bge-m3-Q8_0.gguf'],
    approximateSizeMb: 635,
    dimension: 1024,
    maxTokens: 8192,
    licence: 'MIT',
    queryPrefix: '',
    passagePrefix: '',
    recommended: false,
    note:
      "Le même modèle en un seul fichier, exécuté par llama.cpp comme le modèle de réponse : pratique quand la DSI " +
      'distribue déjà des GGUF. Guichet coupe chaque passage à 1 024 jetons.',
  },
];

/** The catalog entry with this id, if any. */
export function findEmbedderCatalogEntry(id: string): EmbedderCatalogEntry | undefined {
  return EMBEDDER_CATALOG.find((entry) => entry.id === id);
}

/**
 * Whether a model name (folder, file or repository) designates a known English-only embedder, which fails on
 * French: show {@link ENGLISH_ONLY_EMBEDDER_NOTE}. A name with `multilingual`, `m3` or `bge-m3` is never flagged.
 */
export function isEnglishOnlyEmbedderName(name: string): boolean {
  const lower = name.toLowerCase();
  if (/multilingual|bge-m3|(^|[^a-z0-9])m3([^a-z0-9]|$)|labse/.test(lower)) return false;
  return [
    /all-minilm/,
    /all-mpnet/,
    /paraphrase-minilm/,
    /bge-(small|base|large)-en/,
    /(^|[^a-z0-9-])e5-(small|base|large)/,
    /gte-(small|base|large)/,
    /nomic-embed-text-v1/,
    /snowflake-arctic-embed-[sml](?!.*v2)/,
  ].some((pattern) => pattern.test(lower));
}
