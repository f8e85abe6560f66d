"""Every component id of the dashboard, in one place so callbacks never mistype one."""

# Application shell (header, navigation, footer).
APP_URL = "app-url"
NAV_NATIONAL = "nav-vue-nationale"
NAV_TERRITORY = "nav-fiche-territoire"
NAV_QUALITY = "nav-qualite"
NAV_DEPOSIT = "nav-depot"
NAV_METHODOLOGY = "nav-methodologie"
NAV_RANKINGS = "nav-classements"
NAV_COMPARE = "nav-comparer"
NAV_AXES = "nav-axes"
NAV_DOWNLOADS = "nav-telechargements"
FOOTER = "pied-de-page"
FOOTER_SOURCE = "pied-de-page-source"

# Vue nationale.
NATIONAL_URL = "vue-nationale-url"
NATIONAL_NAVIGATE = "vue-nationale-navigation"
NATIONAL_MILLESIME = "vue-nationale-millesime"
NATIONAL_STATUS = "vue-nationale-etat"
NATIONAL_KPIS = "vue-nationale-indicateurs"
NATIONAL_MAP_LEVEL = "vue-nationale-echelon-carte"
NATIONAL_MAP = "vue-nationale-carte"
NATIONAL_MAP_TABLE = "vue-nationale-carte-tableau"
NATIONAL_DISTRIBUTION = "vue-nationale-repartition"
NATIONAL_DISTRIBUTION_TABLE = "vue-nationale-repartition-tableau"

# Fiche territoire.
TERRITORY_URL = "fiche-url"
TERRITORY_CHOOSER = "fiche-territoire"
TERRITORY_MILLESIME = "fiche-millesime"
TERRITORY_BODY = "fiche-contenu"
TERRITORY_NAME = "fiche-nom"
TERRITORY_RADAR = "fiche-radar"
TERRITORY_EVOLUTION = "fiche-evolution"
TERRITORY_AXES_TABLE = "fiche-tableau-axes"
TERRITORY_ANSWERS = "fiche-reponses"
TERRITORY_PRINT = "fiche-imprimer"
TERRITORY_METHOD_VERSION = "fiche-version-methodologie"
TERRITORY_RANK = "fiche-rang"
TERRITORY_RANK_CHART = "fiche-rang-graphique"
TERRITORY_RANK_TABLE = "fiche-rang-tableau"
TERRITORY_STRENGTHS = "fiche-forces"
TERRITORY_WEAKNESSES = "fiche-faiblesses"
TERRITORY_PEERS = "fiche-pairs"
TERRITORY_EVOLUTION_TABLE = "fiche-evolution-tableau"

# Qualité des données.
QUALITY_URL = "qualite-url"
QUALITY_MILLESIME = "qualite-millesime"
QUALITY_STATUS = "qualite-etat"
QUALITY_KPIS = "qualite-indicateurs"
QUALITY_KINDS_CHART = "qualite-categories-graphique"
QUALITY_KINDS_TABLE = "qualite-categories-tableau"
QUALITY_KIND_FILTER = "qualite-filtre-categorie"
QUALITY_MISSING = "qualite-sans-reponse"
QUALITY_REJECTED = "qualite-rejetes"
QUALITY_CORRECTED = "qualite-corriges"
QUALITY_TERRITORY = "qualite-territoire"
QUALITY_HISTORY = "qualite-historique"

# Déposer un fichier.
DEPOSIT_TOKEN = "depot-jeton"
DEPOSIT_UPLOAD = "depot-fichier"
DEPOSIT_FILE_NAME = "depot-fichier-choisi"
DEPOSIT_SUBMIT = "depot-envoyer"
DEPOSIT_RESULT = "depot-resultat"

# Méthodologie.
METHOD_URL = "methodologie-url"
METHOD_VERSION = "methodologie-version"
METHOD_BODY = "methodologie-contenu"
METHOD_TREE = "methodologie-arbre"
METHOD_AXES_TABLE = "methodologie-tableau-axes"
METHOD_QUESTIONS = "methodologie-questions"
METHOD_LEVELS = "methodologie-niveaux"
METHOD_MISSING = "methodologie-donnees-manquantes"
METHOD_ROBUSTNESS = "methodologie-robustesse"
METHOD_SENSITIVITY_CHART = "methodologie-sensibilite-graphique"
METHOD_SENSITIVITY_TABLE = "methodologie-sensibilite-tableau"
METHOD_VERSIONS_TABLE = "methodologie-versions"
METHOD_BREAKS = "methodologie-ruptures"

# Classements.

# Comparer.

# Axes.

# Téléchargements.
