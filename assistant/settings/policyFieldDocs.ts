import type { SettingKey } from './settingsSchema.js';

/**
 * Each key of the machine policy, described for IT in French: the published schema's `description`s and the reference
 * table of docs/deploiement.md come from here. A key without its line fails test/unit/policySchema.test.ts.
 */
export const POLICY_FIELD_DOCS: Partial<Record<SettingKey, string>> = {
  'runtime.threads': 'Nombre de fils de calcul (threads) du modèle de langue, de 1 à 256. null : le nombre de cœurs physiques, plafonné. Limite la charge du processeur sur les postes partagés.',
  'runtime.gpu': 'Processeur graphique : « auto » (mesuré au premier chargement), « cpu » (jamais de GPU), « vulkan », « cuda », « metal ».',
  'runtime.gpuMemoryMiB': 'Mémoire du GPU que Guichet peut utiliser, en Mio (0 à 1 048 576). null : la mémoire libre du GPU. Les couches qui ne tiennent pas restent sur le processeur.',
  'runtime.contextSize': 'Taille du contexte du modèle, en jetons (512 à 131 072). null : choisie selon la mémoire du poste.',
  'runtime.modelPath': 'Modèle de langue par défaut : chemin complet d’un fichier GGUF. null : le meilleur modèle installé qui tient dans la mémoire.',
  'runtime.modelsDir': 'Dossier où le service informatique dépose les modèles GGUF (par exemple /opt/guichet/modeles ou C:\\ProgramData\\Guichet\\modeles) ; ils sont découverts au démarrage.',
  'embedder.path': 'Modèle d’embedding pour la recherche hybride : fichier GGUF (dossier ONNX aussi accepté par la ligne de commande installée avec npm, pas par les paquets de bureau). null : recherche plein texte seule.',
  'network.allowDownloads': 'Autorise les téléchargements explicites (modèles, mises à jour du corpus). false : aucun téléchargement.',
  'corpus.autoFetch': 'Au premier lancement, récupère les flux DILA à jour si le réseau est joignable.',
  'corpus.feedBaseUrl': 'Adresse de base des flux DILA (un miroir interne, par exemple).',
  'corpus.audiences': 'Publics importés : liste parmi « particuliers », « professionnels », « associations ».',
  'privacy.maskBeforeModel': 'Masque les données personnelles de la question avant que le modèle ne la lise.',
  'replies.aiMention': 'Mention ajoutée à chaque réponse Services Publics+ rédigée avec l’IA.',
  'interface.serviceName': 'Nom du service de l’État qui déploie Guichet (« France Services de Figeac ») ; seul ce réglage fait afficher le bloc marque de l’État.',
  'interface.theme': 'Apparence : « etat » (système de design de l’État, réservé aux services de l’État) ou « neutre ».',
  'features.replyDrafting': 'Rédaction de réponses aux usagers (Services Publics+) et bibliothèque de réponses. false : fonction retirée.',
  'features.history': 'Historique des conversations sur le poste. false : rien n’est enregistré, la liste reste vide.',
  'features.export': 'Export des conversations et de la bibliothèque de réponses en fichiers. false : export refusé.',
  'features.corpusUpdate': 'Mise à jour du corpus par le réseau (adresse d’un flux, récupération au premier lancement). false : seuls les fichiers et paquets locaux s’importent.',
  'history.retentionDays': 'Durée de conservation de l’historique, en jours (1 à 36 500) : les conversations plus anciennes sont supprimées au démarrage. null : conservées.',
  'corpus.packPath': 'Paquet de corpus distribué par le service informatique (dossier produit par « guichet corpus pack », vérifié par son manifeste, ou zip d’un flux) : importé au premier lancement à la place des flux en ligne.',
  'runtime.remote.url': 'Adresse d’un serveur de modèle partagé compatible OpenAI (llama-server, vLLM, passerelle de l’État), par exemple https://llm.dept.gouv.fr/v1. null : le modèle du poste. Utilisée seulement si remote.allowed est vrai et son hôte dans remote.allowedHosts ; HTTPS obligatoire sauf vers le poste lui-même.',
  'runtime.remote.model': 'Nom du modèle sur le serveur partagé (tel que GET /models le liste). null : le premier proposé.',
  'remote.allowed': 'Autorise un serveur de modèle partagé (politique seulement). false par défaut : rien ne quitte le poste. Avec un serveur, les données personnelles sont masquées avant l’envoi sauf si la politique fixe privacy.maskBeforeModel à false.',
  'remote.allowedHosts': 'Serveurs autorisés (politique seulement) : liste de « hôte » (tout port) ou « hôte:port ». Vide : aucun.',
  'remote.apiKeyFile': 'Fichier contenant la clé d’API du serveur partagé (politique seulement), lu par le moteur, jamais journalisé. null : aucune clé, ou celle saisie dans Paramètres.',
  'runtime.readAhead': 'Lecture anticipée : pendant que l’agent tape, le moteur lit déjà le prompt système et les extraits dans le modèle (jamais sur batterie, ne charge jamais de modèle). false : désactivée.',
};
