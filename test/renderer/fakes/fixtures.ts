/** Realistic data of the fake client: the identity-card question of the README, fiches of service-public.fr. */
import type { AnswerSource, AskEvent, CorpusInfo, Fiche, FeedbackStats, PracticalLink, ResolvedSettings, RelatedQuestionLink } from '../../../assistant/api.js';
import type { AskResult } from '../../../renderer/src/lib/api/client.js';

export const QUESTION = "Mon fils de 8 ans a besoin d'une carte d'identité : quels documents fournir ?";

export const SOURCES: AnswerSource[] = [
  {
    ficheId: 'F1341', title: "Carte d'identité d'un enfant mineur", url: 'https://www.service-public.fr/particuliers/vosdroits/F1341', date: '2025-06-02', audience: 'particuliers',
    passages: [
      { n: 1, sectionPath: ['Documents à fournir', 'Première demande'], text: "La demande doit être faite par une personne exerçant l'autorité parentale. L'enfant doit être présent lors du dépôt du dossier. Il faut fournir une photo d'identité de moins de 6 mois et un justificatif de domicile du parent." },
      { n: 2, sectionPath: ['Où faire la demande ?'], text: "La demande se fait dans une mairie équipée d'un dispositif de recueil, quel que soit le lieu de domicile. Une pré-demande en ligne peut être faite sur le site de l'ANTS." },
    ],
  },
  {
    ficheId: 'F21089', title: 'Pré-demande de carte d’identité en ligne', url: 'https://www.service-public.fr/particuliers/vosdroits/F21089', date: '2023-01-12', audience: 'particuliers',
    passages: [{ n: 3, sectionPath: ['Comment faire ?'], text: "La pré-demande se fait sur le site de l'ANTS. Un numéro de pré-demande est attribué. Il doit être présenté au guichet de la mairie." }],
  },
];

export const CONSULTED_ONLY: AnswerSource[] = [
  {
    ficheId: 'F1342', title: "Carte d'identité d'un majeur", url: 'https://www.service-public.fr/particuliers/vosdroits/F1342', date: '2025-04-15', audience: 'particuliers',
    passages: [{ n: 4, sectionPath: ['Documents à fournir'], text: 'Le majeur fournit une photo et un justificatif de domicile de moins de 1 an.' }],
  },
];

export const ANSWER_TOKENS = [
  "La demande doit être faite par un parent exerçant l'autorité parentale, ",
  "en présence de l'enfant [1]. ",
  '\n\nÀ fournir :\n\n- une photo d’identité de moins de 6 mois ;\n- un justificatif de domicile du parent [1].\n\n',
  "La demande se dépose dans une mairie équipée d'un dispositif de recueil [2] ; ",
  "une pré-demande en ligne sur le site de l'ANTS fait gagner du temps [3].",
];

export const RELATED: RelatedQuestionLink[] = [
  { question: "Comment obtenir une carte d'identité en cas de perte ?", ficheId: 'F1344' },
  { question: "Quelle est la durée de validité de la carte d'identité d'un mineur ?", ficheId: 'F32303' },
];

export const LINKS: PracticalLink[] = [
  { title: "Pré-demande de carte d'identité", url: 'https://ants.gouv.fr/', type: 'teleservice', typeLabel: 'Téléservice', institution: 'Agence nationale des titres sécurisés (ANTS)', ficheId: 'F1341' },
  { title: 'Trouver une mairie équipée', url: 'https://passeport.ants.gouv.fr/', type: 'outil-de-recherche', typeLabel: 'Outil de recherche', institution: 'ANTS', ficheId: 'F1341' },
  { title: "Autorisation de sortie du territoire d'un mineur", url: 'https://www.service-public.fr/particuliers/vosdroits/R46121', type: 'formulaire', typeLabel: 'Formulaire', institution: 'Ministère chargé de l’intérieur', ficheId: 'F1341' },
];

export function askResult(overrides: Partial<AskResult> = {}): AskResult {
  return {
    conversationId: 'c-2026-01', messageId: 'm-1', question: QUESTION, searchQuery: QUESTION, mode: 'model',
    answer: ANSWER_TOKENS.join(''), citations: SOURCES.flatMap((s) => s.passages.map((p) => ({ n: p.n!, ficheId: s.ficheId, title: s.title, url: s.url }))),
    invalidCitations: [], citationValidity: 1, sources: SOURCES, consulted: CONSULTED_ONLY, relatedQuestions: RELATED, links: LINKS,
    weakRetrieval: false, stopReason: 'stop', notices: [], warnings: [],
    stats: { searchMs: 42, promptTokens: 980, evaluatedPromptTokens: 41, readAfterSubmitMs: 2300, ttftMs: 2340, tokensPerSecond: 11.8, totalMs: 9800 },
    ...overrides,
  };
}

/** Events in the engine's order: status, sources (before the model reads), tokens, then citations, related, links. */
export function askEvents(): AskEvent[] {
  const result = askResult();
  return [
    { type: 'status', stage: 'searching', message: 'Recherche des fiches…' },
    { type: 'sources', consulted: [...SOURCES, ...CONSULTED_ONLY] },
    { type: 'status', stage: 'writing', message: 'Le modèle lit les extraits puis rédige…' },
    ...ANSWER_TOKENS.map((text): AskEvent => ({ type: 'token', text })),
    { type: 'citations', citations: result.citations, sources: SOURCES },
    { type: 'related', questions: RELATED },
    { type: 'links', links: LINKS },
    { type: 'done', reason: 'completed', ...(result.conversationId ? { conversationId: result.conversationId } : {}), ...(result.messageId ? { messageId: result.messageId } : {}) },
  ];
}

export const FICHE: Fiche = {
  id: 'F1341', source: 'dila', audience: 'particuliers', kind: 'information', title: "Carte d'identité d'un enfant mineur",
  description: "La carte d'identité d'un mineur est valable 10 ans. La demande se fait en mairie, en présence de l'enfant.",
  date: '2025-06-02', url: 'https://www.service-public.fr/particuliers/vosdroits/F1341', themes: ['Papiers - Citoyenneté'],
  breadcrumb: [{ id: 'N19810', title: 'Accueil particuliers' }, { id: 'N358', title: "Carte d'identité" }, { id: 'F1341', title: 'Mineur' }],
  dossier: { id: 'N358', title: "Carte d'identité", groups: [{ title: 'Demande', fiches: [{ id: 'F1342', title: 'Majeur' }, { id: 'F1341', title: 'Mineur' }] }, { title: 'Perte ou vol', fiches: [{ id: 'F1344', title: "Perte d'une carte d'identité" }] }] },
  sections: [
    { path: [], text: "La carte d'identité d'un mineur est **gratuite** lors d'une première demande." },
    { path: ['Où faire la demande ?'], text: "Dans n'importe quelle mairie équipée d'un dispositif de recueil.\n\n> **À noter** : certaines mairies ne reçoivent que sur rendez-vous." },
    { path: ['Documents à fournir', 'Première demande'], text: "- Photo d'identité de moins de 6 mois\n- Justificatif de domicile du parent\n- Pièce d'identité du parent" },
    { path: ['Documents à fournir', 'Renouvellement'], text: '| Situation | Document |\n| --- | --- |\n| Carte valide | Ancienne carte |\n| Carte périmée depuis plus de 5 ans | Passeport ou acte de naissance |' },
    { path: ['Coût'], text: 'Gratuit, sauf perte ou vol : timbre fiscal de 25 €.' },
  ],
  relatedQuestions: RELATED, onlineServices: [{ id: 'R45668', title: "Pré-demande de carte d'identité", url: 'https://ants.gouv.fr/', type: 'teleservice', institution: 'ANTS' }],
  contacts: [{ id: 'mairie', title: 'Mairie', scope: 'local', url: 'https://lannuaire.service-public.fr/' }],
  references: [{ title: 'Décret n°55-1397 du 22 octobre 1955 instituant la carte nationale d’identité', url: 'https://www.legifrance.gouv.fr/' }],
  searchable: true,
};

export function corpusInfo(newestFicheDate = '2025-06-02', ageDays = 240): CorpusInfo {
  return {
    manifest: { formatVersion: 1, builtAt: '2026-01-10T09:00:00Z', sources: [], newestFicheDate, counts: { fiches: 4050, searchable: 3781, chunks: 31200, byAudience: { particuliers: 2620, professionnels: 1090, associations: 340 }, byKind: {}, bySource: {} } },
    sizeBytes: 312_000_000, ageDays, mode: 'fulltext',
  };
}

export function settings(overrides: Partial<ResolvedSettings['values']> = {}, locked: ResolvedSettings['locked'] = []): ResolvedSettings {
  return {
    values: {
      'runtime.threads': null, 'runtime.gpu': 'auto', 'runtime.gpuMemoryMiB': null, 'runtime.contextSize': null, 'runtime.modelPath': '/opt/guichet/models/mistral-7b-instruct-v0.3.Q4_K_M.gguf', 'runtime.modelsDir': null, 'runtime.readAhead': true,
      'embedder.path': null, 'network.allowDownloads': true, 'corpus.autoFetch': true, 'corpus.feedBaseUrl': 'https://lecomarquage.service-public.fr/vdd/3.4',
      'corpus.audiences': ['particuliers', 'professionnels', 'associations'], 'privacy.maskBeforeModel': false,
      'replies.aiMention': "Cette réponse a été préparée avec l'aide d'un outil d'intelligence artificielle et relue par un agent.",
      'interface.serviceName': null, 'interface.theme': 'etat',
      'runtime.remote.url': null, 'runtime.remote.model': null, 'remote.allowed': false, 'remote.allowedHosts': [], 'remote.apiKeyFile': null,
      'features.replyDrafting': true, 'features.history': true, 'features.export': true, 'features.corpusUpdate': true,
      'history.retentionDays': null, 'corpus.packPath': null, ...overrides,
    },
    locked, warnings: [], policy: { state: 'absent', path: '/etc/guichet/policy.json' },
  };
}

export const FEEDBACK_STATS: FeedbackStats = {
  since: null, drafts: 46, usedAsIs: 27, edited: 14, discarded: 5, shareUsedAsIs: 27 / 46, medianSecondsToCopy: 52,
  byWeek: [
    { weekStart: '2025-12-01', drafts: 8, usedAsIs: 3, edited: 4, discarded: 1, shareUsedAsIs: 0.375, medianSecondsToCopy: 71 },
    { weekStart: '2025-12-08', drafts: 11, usedAsIs: 6, edited: 4, discarded: 1, shareUsedAsIs: 6 / 11, medianSecondsToCopy: 60 },
    { weekStart: '2025-12-15', drafts: 9, usedAsIs: 6, edited: 2, discarded: 1, shareUsedAsIs: 6 / 9, medianSecondsToCopy: 48 },
    { weekStart: '2026-01-05', drafts: 10, usedAsIs: 7, edited: 2, discarded: 1, shareUsedAsIs: 0.7, medianSecondsToCopy: 45 },
    { weekStart: '2026-01-12', drafts: 8, usedAsIs: 5, edited: 2, discarded: 1, shareUsedAsIs: 0.625, medianSecondsToCopy: 41 },
  ],
};
