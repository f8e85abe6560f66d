"""Building blocks of the demo achievement sheets: six kinds of project per axis, with the
phrases the generator assembles into plausible French sheets.

A project's figures are slots (``{n1}``, ``{p1}``…) drawn by :mod:`pipelines.demo_achievements`
within the range given here: a slot starting with ``n`` is a count that grows with the
author's population, any other is drawn as is (percentages, days, marks). Partners are
generic (kinds of organisations, public bodies, associations): never a person's name.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProjectKind:
    """One kind of project of an axis, and the phrases that describe it."""

    slug: str
    title: str
    #: Kinds of territory that carry such a project (authors are chosen among them).
    kinds: tuple[str, ...]
    #: Question codes of the questionnaire the project serves.
    questions: tuple[str, ...]
    context: str
    objective: str
    done: str
    results: str
    #: Range of each figure slot of ``results``.
    slots: dict[str, tuple[int, int]]
    lesson: str
    transfer: str
    #: Budget range, in thousands of euros.
    budget_k: tuple[int, int]
    public: tuple[str, ...] = ()
    academic: tuple[str, ...] = ()
    private: tuple[str, ...] = ()
    associative: tuple[str, ...] = ()
    contact: str = "Direction du numérique"
    #: A second axis the project also serves, if any.
    also: str | None = None


def _p(slug: str, title: str, kinds: str, questions: str, **texts) -> ProjectKind:
    """A project kind from its slug, title, kinds and questions (space-separated codes)."""
    return ProjectKind(slug, title, tuple(kinds.split()), tuple(questions.split()), **texts)


PROJECTS: dict[str, tuple[ProjectKind, ...]] = {
    "LAB": (
        _p(
            "labo-innovation-publique",
            "Laboratoire d'innovation publique : des agents formés au design de services",
            "REG DEP ME CU",
            "LAB_01 LAB_03",
            context="Les projets de transformation étaient conduits service par service, sans "
            "méthode commune ni association des usagers.",
            objective="doter la collectivité d'une équipe et d'une méthode pour concevoir les "
            "services avec leurs usagers.",
            done="Création d'une équipe de quatre personnes rattachée à la direction générale, "
            "d'un programme de formation au design de services et d'un appel à projets interne "
            "ouvert aux agents. Chaque projet retenu bénéficie de huit semaines "
            "d'accompagnement et d'un budget d'expérimentation.",
            results="{n1} agents formés au design de services ; {n2} projets accompagnés, dont "
            "{n3} généralisés ; durée moyenne de conception réduite de {p1} %.",
            slots={"n1": (40, 180), "n2": (8, 20), "n3": (2, 6), "p1": (15, 40)},
            lesson="Le soutien explicite de la direction générale a été décisif pour libérer "
            "du temps aux agents volontaires.",
            transfer="Une équipe de deux personnes suffit pour démarrer ; le programme de "
            "formation est réutilisable tel quel.",
            budget_k=(150, 600),
            private=("Une agence de design de services",),
            contact="Mission innovation publique",
        ),
        _p(
            "panel-usagers-tests",
            "Un panel d'habitants pour tester les démarches avant leur mise en ligne",
            "ME CA COM CU",
            "LAB_02",
            context="Les formulaires en ligne étaient conçus sans être testés par les habitants, "
            "d'où de nombreux abandons et des appels répétés au standard.",
            objective="faire tester chaque nouvelle démarche par des habitants avant sa "
            "publication.",
            done="Constitution d'un panel de volontaires représentatif (âges, quartiers, aisance "
            "numérique), sessions de tests mensuelles dans les mairies annexes et rédaction "
            "d'une charte de conception des formulaires.",
            results="{n1} habitants inscrits au panel ; {n2} démarches retravaillées ; taux "
            "d'abandon des formulaires en baisse de {p1} %.",
            slots={"n1": (60, 300), "n2": (6, 25), "p1": (20, 55)},
            lesson="Indemniser les participants en bons d'achat chez les commerçants locaux a "
            "fidélisé le panel.",
            transfer="Demande un animateur à temps partiel et une salle équipée ; aucun outil "
            "spécifique n'est nécessaire.",
            budget_k=(40, 150),
            associative=("Un centre social de quartier",),
            contact="Direction de la relation aux usagers",
        ),
        _p(
            "fonds-experimentation",
            "Un fonds d'expérimentation pour tester avant de généraliser",
            "REG DEP ME",
            "LAB_04 LAB_05",
            context="Les idées d'amélioration des services manquaient d'un cadre budgétaire pour "
            "être testées à petite échelle.",
            objective="financer des expérimentations courtes et décider de leur généralisation "
            "sur des critères connus d'avance.",
            done="Création d'une ligne budgétaire dédiée, d'un comité de sélection associant "
            "élus, agents et habitants, et d'une grille d'évaluation commune à chaque "
            "expérimentation, publiée à son terme.",
            results="{n1} expérimentations financées en deux ans ; {n2} généralisées ; {n3} "
            "rapports d'évaluation publiés.",
            slots={"n1": (10, 30), "n2": (3, 9), "n3": (8, 20)},
            lesson="Fixer dès le départ les critères de généralisation évite de prolonger "
            "indéfiniment les expérimentations.",
            transfer="Transposable à toute collectivité disposant d'un budget d'investissement ; "
            "la grille d'évaluation est fournie.",
            budget_k=(200, 900),
            contact="Direction générale des services, mission évaluation",
        ),
        _p(
            "residence-etudiants-design",
            "Résidence d'innovation : des étudiants en design dans les services d'accueil",
            "DEP CA COM CU",
            "LAB_02",
            context="Les services d'accueil signalaient des parcours d'usagers confus sans "
            "disposer du temps pour les repenser.",
            objective="repenser l'accueil avec un regard extérieur et des méthodes de design.",
            done="Accueil d'une promotion d'étudiants en design et en sciences sociales pendant "
            "un semestre, immersion dans les services d'accueil, prototypes testés avec les "
            "usagers puis repris par les équipes.",
            results="{n1} usagers interrogés ; {n2} prototypes réalisés, dont {n3} adoptés par "
            "les services.",
            slots={"n1": (80, 400), "n2": (6, 14), "n3": (2, 5)},
            lesson="Désigner un agent référent dans chaque service accueillant a garanti la "
            "reprise des prototypes après le départ des étudiants.",
            transfer="Nécessite une convention avec un établissement d'enseignement supérieur ; "
            "le coût se limite à l'indemnisation des étudiants.",
            budget_k=(30, 120),
            academic=("École supérieure de design",),
            contact="Direction de la relation aux usagers",
        ),
        _p(
            "communaute-agents-innovateurs",
            "Défis internes : une communauté d'agents qui règle les irritants du quotidien",
            "REG DEP CA",
            "LAB_03",
            context="Des agents proposaient des améliorations sans relais pour les porter ni "
            "temps pour les mettre en œuvre.",
            objective="donner aux agents un cadre pour proposer, tester et diffuser leurs idées.",
            done="Animation d'une communauté interne, défis trimestriels sur un irritant choisi "
            "par les agents, journées de formation à l'animation d'ateliers et présentation "
            "des lauréats en comité de direction.",
            results="{n1} agents membres de la communauté ; {n2} défis menés ; {n3} solutions "
            "mises en service.",
            slots={"n1": (50, 250), "n2": (6, 12), "n3": (4, 10)},
            lesson="Choisir les irritants avec les agents plutôt qu'avec l'encadrement a "
            "multiplié les candidatures.",
            transfer="Peu coûteux : le temps des agents et un animateur à mi-temps ; le kit "
            "d'animation est diffusé sous licence ouverte.",
            budget_k=(20, 90),
            contact="Direction des ressources humaines, mission innovation",
        ),
        _p(
            "labo-citoyen-coconstruction",
            "Laboratoire citoyen : co-construire les politiques publiques avec les habitants",
            "ME COM CU",
            "LAB_02",
            context="Les concertations réglementaires attiraient peu de participants, et "
            "toujours les mêmes.",
            objective="élargir la participation et associer les habitants dès la conception.",
            done="Ateliers de co-construction itinérants, tirage au sort d'habitants, outils de "
            "prototypage rapide et restitution publique de chaque décision prise à la suite "
            "des ateliers.",
            results="{n1} habitants ayant participé à au moins un atelier, dont {p1} % pour la "
            "première fois ; {n2} politiques publiques co-construites.",
            slots={"n1": (150, 900), "p1": (45, 75), "n2": (3, 8)},
            lesson="La restitution publique des décisions a été la condition de la confiance "
            "des participants.",
            transfer="Adaptable à toute taille de commune ; prévoir un facilitateur formé et un "
            "budget de restauration des ateliers en soirée.",
            budget_k=(60, 250),
            associative=("Un collectif de facilitateurs", "Les centres sociaux du territoire"),
            contact="Direction de la participation citoyenne",
            also="GOUV",
        ),
    ),
    "EADM": (
        _p(
            "schema-directeur-numerique",
            "Un schéma directeur du numérique co-construit avec toutes les directions",
            "REG DEP ME CA",
            "EADM_01",
            context="Le système d'information avait grandi par ajouts successifs, sans feuille "
            "de route partagée ni arbitrage des priorités.",
            objective="disposer d'un plan pluriannuel des projets numériques, partagé et chiffré.",
            done="Diagnostic des applications et des usages, ateliers avec chaque direction, "
            "priorisation des projets en comité de pilotage et plan pluriannuel "
            "d'investissement associé, revu chaque année.",
            results="{n1} applications recensées et {n2} doublons supprimés ; {n3} projets "
            "programmés sur cinq ans ; {p1} % du plan engagé à mi-parcours.",
            slots={"n1": (120, 400), "n2": (10, 40), "n3": (20, 45), "p1": (40, 70)},
            lesson="La revue annuelle du plan en comité de pilotage a évité qu'il ne devienne un "
            "document figé.",
            transfer="La méthode et les gabarits d'ateliers sont réutilisables ; compter six "
            "mois de travail pour une collectivité de taille comparable.",
            budget_k=(80, 300),
            private=("Un cabinet de conseil en organisation",),
            contact="Direction des systèmes d'information",
        ),
        _p(
            "parapheur-chaine-comptable",
            "Parapheur électronique et chaîne comptable dématérialisée de bout en bout",
            "DEP CA COM CU",
            "EADM_02",
            context="Les bons de commande et les factures circulaient sur papier, avec des "
            "délais de paiement supérieurs à l'objectif réglementaire.",
            objective="payer les fournisseurs dans les délais et supprimer les circuits papier.",
            done="Déploiement d'un parapheur électronique, dématérialisation de la chaîne "
            "comptable avec le comptable public et formation des gestionnaires de chaque "
            "service.",
            results="Délai global de paiement passé de {d1} à {d2} jours ; {n1} documents signés "
            "électroniquement par an ; {p1} % de papier en moins.",
            slots={"d1": (38, 52), "d2": (18, 28), "n1": (3000, 12000), "p1": (40, 75)},
            lesson="Former les élus signataires en même temps que les agents a évité les "
            "blocages des premières semaines.",
            transfer="Repose sur des outils du marché ; l'essentiel du coût est la conduite du "
            "changement.",
            budget_k=(60, 250),
            public=("Direction départementale des finances publiques",),
            private=("Un éditeur de logiciels de gestion financière",),
            contact="Direction des finances",
        ),
        _p(
            "formation-numerique-agents",
            "Un plan de formation au numérique pour tous les agents",
            "REG DEP ME CA COM",
            "EADM_03",
            context="Une enquête interne montrait qu'un agent sur trois ne se sentait pas à "
            "l'aise avec les outils numériques du quotidien.",
            objective="donner à chaque agent les compétences numériques de son poste.",
            done="Parcours de formation en trois niveaux, ateliers courts sur le temps de "
            "travail, réseau d'agents relais dans chaque service et auto-diagnostic des "
            "compétences numériques.",
            results="{n1} agents formés ; {p1} % des agents ayant suivi au moins un module ; "
            "satisfaction moyenne de {s1}/10.",
            slots={"n1": (200, 1500), "p1": (55, 85), "s1": (7, 9)},
            lesson="Des modules de quarante-cinq minutes ont été bien plus suivis que les "
            "journées entières.",
            transfer="Le parcours s'appuie sur l'offre du CNFPT, sans coût pédagogique pour les "
            "collectivités affiliées.",
            budget_k=(30, 150),
            public=("CNFPT",),
            contact="Direction des ressources humaines",
        ),
        _p(
            "cybersecurite-mutualisee",
            "Supervision de la cybersécurité mutualisée avec les communes",
            "REG DEP ME CA",
            "EADM_05",
            context="Une attaque par rançongiciel subie par une collectivité voisine avait "
            "montré la fragilité des petites structures.",
            objective="détecter et traiter les incidents de sécurité et mieux préparer les agents.",
            done="Supervision mutualisée avec les collectivités du territoire, exercices de "
            "crise, sauvegardes déconnectées et campagnes de sensibilisation des agents à "
            "l'hameçonnage.",
            results="{n1} collectivités raccordées ; {n2} incidents détectés et traités ; taux "
            "de clic aux campagnes d'hameçonnage simulé passé de {p1} % à {p2} %.",
            slots={"n1": (12, 60), "n2": (20, 90), "p1": (18, 30), "p2": (3, 8)},
            lesson="L'exercice de crise a révélé des dépendances que l'audit n'avait pas vues.",
            transfer="Le modèle de convention de mutualisation et le plan de réponse aux "
            "incidents sont disponibles ; un centre de gestion peut porter le service.",
            budget_k=(150, 700),
            public=("ANSSI", "Centre de gestion de la fonction publique territoriale"),
            private=("Un prestataire de services de sécurité qualifié",),
            contact="Direction des systèmes d'information, responsable de la sécurité",
        ),
        _p(
            "poste-travail-nomade",
            "Poste de travail nomade et outils collaboratifs pour les agents",
            "DEP ME CU CA COM",
            "EADM_04",
            context="Le travail à distance s'était organisé dans l'urgence avec des outils "
            "hétérogènes et peu sûrs.",
            objective="offrir à chaque agent un poste mobile sécurisé et des outils communs.",
            done="Remplacement des postes fixes par des ordinateurs portables, suite "
            "collaborative hébergée en France, accès distant sécurisé et accompagnement des "
            "encadrants au management à distance.",
            results="{n1} agents équipés ; {p1} % des réunions internes en visioconférence ; "
            "{n2} déplacements évités par an.",
            slots={"n1": (150, 1200), "p1": (25, 50), "n2": (800, 4000)},
            lesson="Équiper d'abord les encadrants a accéléré l'adoption par leurs équipes.",
            transfer="Transposable sans adaptation ; le cahier des charges de la suite "
            "collaborative est fourni.",
            budget_k=(200, 1200),
            private=("Une coopérative de reconditionnement informatique",),
            contact="Direction des systèmes d'information",
        ),
        _p(
            "courrier-deliberations-electroniques",
            "Courriers et délibérations : un circuit entièrement numérique",
            "COM CA CU DEP",
            "EADM_02",
            context="Le circuit des courriers et des actes reposait sur des registres papier et "
            "des copies multiples.",
            objective="suivre chaque courrier jusqu'à sa réponse et publier les actes en ligne.",
            done="Numérisation des courriers entrants, suivi des réponses par service, "
            "télétransmission des actes au contrôle de légalité et publication en ligne des "
            "délibérations.",
            results="{n1} courriers numérisés par an ; délai moyen de réponse réduit de {p1} % ; "
            "{n2} délibérations publiées en ligne.",
            slots={"n1": (4000, 25000), "p1": (20, 45), "n2": (150, 600)},
            lesson="Un plan de classement simple, validé par les archivistes, a conditionné la "
            "réussite.",
            transfer="Adapté aux communes et intercommunalités de toute taille ; le plan de "
            "classement est partagé.",
            budget_k=(40, 180),
            public=("Archives départementales",),
            contact="Direction des affaires juridiques et des assemblées",
        ),
    ),
    "SERV": (
        _p(
            "guichet-unique-demarches",
            "Guichet unique des démarches en ligne avec compte usager",
            "ME CU CA COM",
            "SERV_01 SERV_03",
            context="Les habitants devaient passer par cinq sites différents pour leurs "
            "démarches, avec autant d'identifiants.",
            objective="un seul point d'entrée et un suivi des demandes quel que soit le canal.",
            done="Portail unique avec compte usager, connexion FranceConnect, suivi des "
            "demandes quel que soit le canal et refonte des formulaires les plus utilisés.",
            results="{p1} % des démarches réalisables entièrement en ligne ; {n1} comptes "
            "usagers créés ; appels au standard en baisse de {p2} %.",
            slots={"p1": (60, 90), "n1": (5000, 40000), "p2": (15, 35)},
            lesson="Conserver un accueil physique renforcé a évité de laisser de côté les "
            "habitants peu à l'aise en ligne.",
            transfer="La solution est sous licence libre ; l'adaptation porte surtout sur la "
            "reprise des formulaires.",
            budget_k=(150, 800),
            public=("DINUM",),
            private=("Une entreprise de services numériques régionale",),
            contact="Direction de la relation aux usagers",
        ),
        _p(
            "rendez-vous-paiement-en-ligne",
            "Prise de rendez-vous et paiement en ligne des services municipaux",
            "COM CA CU ME",
            "SERV_04",
            context="Les files d'attente pour les titres d'identité et les inscriptions "
            "périscolaires dépassaient souvent une heure.",
            objective="permettre de réserver un créneau et de payer en ligne sans se déplacer.",
            done="Prise de rendez-vous en ligne pour les titres d'identité, inscription et "
            "paiement en ligne des activités périscolaires et des équipements sportifs, "
            "rappels par SMS.",
            results="{n1} rendez-vous pris en ligne par an ; {p1} % des factures payées en "
            "ligne ; rendez-vous non honorés en baisse de {p2} %.",
            slots={"n1": (3000, 20000), "p1": (45, 80), "p2": (30, 60)},
            lesson="Les rappels par SMS ont eu plus d'effet sur les absences que toute autre "
            "mesure.",
            transfer="Repose sur le paiement en ligne de la DGFiP et un outil de rendez-vous du "
            "marché ; mise en place en quatre mois.",
            budget_k=(30, 150),
            public=("Direction générale des finances publiques",),
            private=("Un éditeur de logiciels de prise de rendez-vous",),
            contact="Direction de la population et de la citoyenneté",
        ),
        _p(
            "refonte-accessible-rgaa",
            "Refonte accessible des sites internet selon le RGAA",
            "REG DEP ME COM",
            "SERV_05",
            context="Un audit montrait un taux de conformité au référentiel d'accessibilité "
            "inférieur à 30 % sur les principaux sites.",
            objective="rendre les sites et démarches utilisables par toutes et tous.",
            done="Refonte des sites avec un système de design accessible, audit par un "
            "organisme indépendant, tests avec des personnes en situation de handicap et "
            "publication de la déclaration d'accessibilité.",
            results="Taux de conformité RGAA porté à {p1} % ; {n1} pages refondues ; {n2} agents "
            "formés à la rédaction accessible.",
            slots={"p1": (75, 96), "n1": (400, 3000), "n2": (30, 150)},
            lesson="Former les rédacteurs a compté autant que la refonte technique.",
            transfer="Le système de design est publié sous licence libre et réutilisable.",
            budget_k=(80, 400),
            private=("Un cabinet d'audit de l'accessibilité numérique",),
            associative=("Une association de personnes déficientes visuelles",),
            contact="Direction de la communication",
            also="INCL",
        ),
        _p(
            "signalement-espace-public",
            "Signaler une anomalie sur l'espace public en trois clics",
            "ME CU CA COM",
            "SERV_04",
            context="Les signalements (nids-de-poule, dépôts sauvages, éclairage en panne) "
            "arrivaient par le standard, le courrier ou les réseaux sociaux, sans suivi.",
            objective="recevoir, traiter et suivre les signalements dans un seul outil.",
            done="Application et formulaire web de signalement géolocalisé, routage automatique "
            "vers les équipes de terrain et information de l'usager à chaque étape.",
            results="{n1} signalements par an ; délai moyen de traitement passé de {d1} à {d2} "
            "jours ; {p1} % des usagers satisfaits.",
            slots={"n1": (2000, 15000), "d1": (15, 30), "d2": (4, 9), "p1": (70, 90)},
            lesson="Informer l'usager de la résolution a fait revenir les signalements vers le "
            "canal officiel.",
            transfer="Solution libre mutualisable entre communes ; seules les catégories et les "
            "circuits internes sont à adapter.",
            budget_k=(40, 200),
            private=("Une jeune entreprise locale de logiciels",),
            contact="Direction de l'espace public",
            also="SMART",
        ),
        _p(
            "aides-en-ligne-franceconnect",
            "Demandes d'aides en ligne avec FranceConnect et pièces pré-remplies",
            "DEP REG",
            "SERV_02 SERV_01",
            context="Les dossiers papier de demande d'aide arrivaient incomplets une fois sur "
            "deux.",
            objective="des demandes complètes du premier coup et un accusé de réception immédiat.",
            done="Dématérialisation des aides individuelles et des subventions aux associations, "
            "connexion FranceConnect, récupération des justificatifs auprès des "
            "administrations et accusé de réception immédiat.",
            results="{p1} % des demandes déposées en ligne ; dossiers incomplets en baisse de "
            "{p2} % ; délai d'instruction réduit de {d1} jours.",
            slots={"p1": (55, 85), "p2": (40, 70), "d1": (10, 30)},
            lesson="Supprimer les pièces que l'administration détient déjà a été le plus grand "
            "gain pour les usagers.",
            transfer="Utilise les services de l'État ouverts aux collectivités ; compter un an "
            "pour une dizaine d'aides.",
            budget_k=(200, 900),
            public=("DINUM",),
            private=("Une entreprise de services numériques régionale",),
            contact="Direction des solidarités, mission dématérialisation",
        ),
        _p(
            "assistant-questions-frequentes",
            "Un assistant en ligne qui répond aux questions fréquentes, relu par les agents",
            "ME REG CA",
            "SERV_04 SERV_03",
            context="Le standard recevait chaque jour les mêmes questions sur les horaires, "
            "les déchets et les transports.",
            objective="répondre à toute heure aux questions simples et libérer du temps pour "
            "les demandes complexes.",
            done="Base de réponses rédigée par les services, assistant en ligne sur le site, "
            "relecture mensuelle des réponses par les agents et transfert vers un agent pour "
            "toute question non couverte.",
            results="{n1} conversations par mois ; {p1} % des questions résolues sans appel ; "
            "temps d'attente au standard réduit de {p2} %.",
            slots={"n1": (1500, 9000), "p1": (55, 80), "p2": (15, 35)},
            lesson="La base de réponses, tenue à jour par les services, vaut plus que l'outil "
            "lui-même.",
            transfer="La base de réponses est ouverte et réutilisable ; l'outil peut être "
            "mutualisé entre collectivités.",
            budget_k=(60, 250),
            private=("Une jeune entreprise de traitement automatique de la langue",),
            contact="Direction de la relation aux usagers",
        ),
    ),
    "DATA": (
        _p(
            "plateforme-donnees-ouvertes",
            "Une plateforme de données ouvertes partagée avec les communes",
            "ME REG CU DEP",
            "DATA_01 DATA_02",
            context="Les données publiques étaient dispersées dans les services et rarement "
            "publiées ; les petites communes n'avaient pas les moyens de les ouvrir.",
            objective="ouvrir les données du territoire sur un portail commun et en favoriser "
            "la réutilisation.",
            done="Portail de données ouvertes mutualisé avec les communes, inventaire des "
            "données, publication selon les schémas nationaux et animation d'une communauté "
            "de réutilisateurs.",
            results="{n1} jeux de données publiés ; {n2} réutilisations recensées ; {n3} "
            "communes publiant sur le portail.",
            slots={"n1": (80, 400), "n2": (15, 60), "n3": (10, 60)},
            lesson="Publier d'abord les données les plus demandées a créé un cercle vertueux "
            "avec les réutilisateurs.",
            transfer="Le portail est une solution libre ; la mutualisation réduit fortement le "
            "coût pour les communes.",
            budget_k=(100, 450),
            associative=("Open Data France",),
            contact="Service de l'information géographique et des données",
        ),
        _p(
            "socle-commun-donnees-locales",
            "Le socle commun des données locales publié selon les schémas nationaux",
            "COM CA DEP",
            "DATA_03",
            context="L'obligation d'ouverture des données était connue mais aucun jeu n'était "
            "publié dans un format réutilisable.",
            objective="publier les données du socle commun et les tenir à jour automatiquement.",
            done="Extraction automatique des délibérations, des subventions, du budget et des "
            "équipements depuis les logiciels métier, contrôle par le validateur national et "
            "publication sur data.gouv.fr.",
            results="{n1} jeux du socle commun publiés sur {n2} ; mise à jour automatique "
            "chaque mois ; {n3} téléchargements la première année.",
            slots={"n1": (5, 6), "n2": (6, 6), "n3": (400, 4000)},
            lesson="Automatiser l'extraction dès le départ évite des jeux de données "
            "abandonnés après un an.",
            transfer="Les scripts d'extraction sont publiés et fonctionnent avec les logiciels "
            "de gestion les plus répandus.",
            budget_k=(15, 60),
            associative=("OpenStreetMap France",),
            contact="Direction des systèmes d'information, référent données",
        ),
        _p(
            "gouvernance-donnee",
            "Un administrateur des données et une gouvernance de la donnée",
            "REG DEP ME",
            "DATA_04",
            context="Personne ne savait quelles données détenait la collectivité, ni qui en "
            "était responsable.",
            objective="connaître, qualifier et partager les données de la collectivité.",
            done="Nomination d'un administrateur des données, inventaire des données avec un "
            "référent par direction, règles de qualité et de diffusion adoptées en comité de "
            "direction.",
            results="{n1} jeux de données inventoriés ; {n2} référents formés ; {p1} % des "
            "données qualifiées selon les règles communes.",
            slots={"n1": (300, 1200), "n2": (15, 50), "p1": (40, 75)},
            lesson="L'inventaire n'a vécu que parce que chaque direction avait son référent.",
            transfer="La charte de gouvernance et le modèle d'inventaire sont publiés sous "
            "licence ouverte.",
            budget_k=(50, 200),
            academic=("Cerema",),
            contact="Administrateur des données",
        ),
        _p(
            "pcrs-mutualise",
            "Plan de corps de rue simplifié mutualisé avec les gestionnaires de réseaux",
            "DEP CA CU ME",
            "DATA_05",
            context="Les travaux à proximité des réseaux enterrés exigeaient un fond de plan "
            "précis que chaque gestionnaire produisait séparément.",
            objective="produire une seule fois un fond de plan précis et le partager.",
            done="Convention entre la collectivité, le syndicat d'énergie et les gestionnaires "
            "de réseaux, prise de vues aériennes à haute résolution et diffusion du plan en "
            "données ouvertes.",
            results="{p1} % du territoire couvert ; {n1} gestionnaires de réseaux signataires ; "
            "coût par kilomètre réduit de {p2} % par rapport à une production isolée.",
            slots={"p1": (70, 100), "n1": (5, 15), "p2": (30, 55)},
            lesson="Réunir tous les gestionnaires de réseaux dès la convention a sécurisé le "
            "financement.",
            transfer="Le modèle de convention et le cahier des charges sont disponibles ; "
            "l'échelle départementale est la plus efficace.",
            budget_k=(300, 1500),
            public=("Syndicat départemental d'énergie",),
            private=("Un cabinet de géomètres-experts",),
            contact="Service de l'information géographique",
            also="INFRA",
        ),
        _p(
            "hackathon-donnees",
            "Un hackathon des données publiques pour les mobilités et l'environnement",
            "ME COM REG CU",
            "DATA_02",
            context="Des jeux de données récemment ouverts restaient peu utilisés faute de "
            "communauté locale.",
            objective="faire connaître les données ouvertes et susciter des services utiles.",
            done="Week-end de développement ouvert à tous, défis proposés par les services, "
            "jeux de données préparés à l'avance et accompagnement de six mois des projets "
            "lauréats.",
            results="{n1} participants ; {n2} projets présentés ; {n3} services encore en ligne "
            "un an après.",
            slots={"n1": (80, 250), "n2": (12, 30), "n3": (2, 5)},
            lesson="L'accompagnement après l'événement a fait la différence entre une vitrine "
            "et des services durables.",
            transfer="Format reproductible ; le guide d'organisation et les défis sont publiés.",
            budget_k=(30, 120),
            academic=("INRIA",),
            private=("Un incubateur de jeunes entreprises",),
            contact="Mission données et innovation",
            also="FILI",
        ),
        _p(
            "donnees-commande-publique",
            "Les données de la commande publique et des subventions en données ouvertes",
            "REG DEP CA COM",
            "DATA_03",
            context="Les associations et les entreprises demandaient régulièrement la liste des "
            "marchés et des subventions attribués.",
            objective="rendre transparentes les dépenses de la collectivité.",
            done="Publication mensuelle des données essentielles des marchés et des "
            "subventions aux associations, tableau de bord public et documentation des "
            "champs.",
            results="{n1} marchés et {n2} subventions publiés ; demandes d'accès aux documents "
            "en baisse de {p1} %.",
            slots={"n1": (300, 2500), "n2": (500, 4000), "p1": (30, 60)},
            lesson="Documenter chaque champ a évité les contresens dans la presse locale.",
            transfer="Immédiatement transposable : les données existent dans tous les "
            "logiciels de gestion.",
            budget_k=(10, 50),
            contact="Direction de la commande publique",
            also="GOUV",
        ),
    ),
    "INFRA": (
        _p(
            "rip-fibre-hameaux",
            "Réseau d'initiative publique : la fibre jusqu'aux hameaux",
            "REG DEP",
            "INFRA_01 INFRA_02",
            context="Les opérateurs privés ne prévoyaient pas de déployer la fibre dans les "
            "zones rurales du territoire.",
            objective="rendre tous les locaux raccordables à la fibre optique.",
            done="Réseau d'initiative publique porté par un syndicat mixte, délégation de "
            "service public, priorité aux zones d'activité et aux sites publics, puis "
            "déploiement jusqu'aux hameaux.",
            results="{p1} % des locaux raccordables ; {n1} prises construites ; {p2} % de "
            "taux de pénétration commerciale.",
            slots={"p1": (92, 99), "n1": (40000, 250000), "p2": (45, 70)},
            lesson="Un suivi cartographique public de l'avancement a apaisé les attentes des "
            "habitants.",
            transfer="Le montage en syndicat mixte convient aux départements ruraux ; prévoir "
            "une équipe technique dédiée pendant toute la durée du déploiement.",
            budget_k=(15000, 90000),
            public=("Syndicat mixte numérique", "Agence nationale de la cohésion des territoires"),
            private=("Un opérateur d'infrastructures de télécommunications",),
            contact="Direction de l'aménagement numérique",
        ),
        _p(
            "wifi-public-centres-bourgs",
            "Wi-Fi public gratuit dans les équipements et les centres-bourgs",
            "CA COM CU ME",
            "INFRA_03",
            context="Les habitants sans abonnement et les visiteurs n'avaient pas d'accès à "
            "internet dans les lieux publics.",
            objective="un accès gratuit à internet dans chaque centre-bourg et équipement.",
            done="Installation de bornes Wi-Fi dans les médiathèques, mairies, gares routières "
            "et places de marché, portail d'accès respectueux des données personnelles.",
            results="{n1} points d'accès installés ; {n2} connexions par mois ; {p1} % des "
            "communes couvertes.",
            slots={"n1": (40, 250), "n2": (8000, 60000), "p1": (70, 100)},
            lesson="Un portail d'accès sans collecte de données a levé les réticences.",
            transfer="Financement européen mobilisable ; la maintenance doit être prévue au "
            "marché.",
            budget_k=(80, 400),
            public=("Banque des Territoires",),
            private=("Un intégrateur de réseaux sans fil",),
            contact="Direction des systèmes d'information",
        ),
        _p(
            "raccordement-sites-publics",
            "Raccordement des collèges et des sites publics au très haut débit",
            "DEP REG CA",
            "INFRA_04",
            context="Les établissements et sites publics disposaient de débits insuffisants "
            "pour les usages pédagogiques et administratifs.",
            objective="raccorder tous les sites publics au très haut débit.",
            done="Programme de raccordement en fibre optique des collèges, des centres "
            "d'exploitation et des sites administratifs, avec un réseau privé sécurisé entre "
            "les sites.",
            results="{n1} sites raccordés ; débit moyen multiplié par {x1} ; {p1} % des "
            "établissements en très haut débit.",
            slots={"n1": (60, 300), "x1": (8, 25), "p1": (90, 100)},
            lesson="Coordonner les travaux avec le réseau d'initiative publique a réduit les "
            "coûts de génie civil.",
            transfer="Transposable à toute collectivité propriétaire d'un patrimoine "
            "immobilier dispersé.",
            budget_k=(800, 5000),
            public=("Rectorat", "Syndicat mixte numérique"),
            contact="Direction de l'éducation et des bâtiments",
        ),
        _p(
            "zones-blanches-new-deal",
            "Résorber les zones blanches de la téléphonie mobile",
            "DEP REG",
            "INFRA_05",
            context="Des bourgs et des axes routiers restaient sans couverture mobile fiable.",
            objective="identifier et couvrir les zones sans réseau mobile.",
            done="Équipe projet locale du dispositif de couverture ciblée, campagnes de mesure "
            "avec les services techniques, priorisation des sites avec les maires et suivi "
            "public des pylônes construits.",
            results="{n1} sites identifiés, dont {n2} mis en service ; {n3} communes sorties "
            "de zone blanche.",
            slots={"n1": (20, 60), "n2": (10, 30), "n3": (15, 50)},
            lesson="Les mesures de terrain ont pesé davantage que les cartes théoriques dans "
            "le choix des sites.",
            transfer="La méthode de mesure avec les agents des routes est reproductible à "
            "faible coût.",
            budget_k=(100, 500),
            public=("Préfecture de département", "Agence nationale de la cohésion des territoires"),
            private=("Les opérateurs de téléphonie mobile",),
            contact="Direction de l'aménagement numérique",
        ),
        _p(
            "fibre-noire-batiments",
            "Un réseau de fibre noire entre les bâtiments publics",
            "ME CU COM CA",
            "INFRA_04",
            context="Les liaisons louées entre les bâtiments publics coûtaient cher et "
            "limitaient les débits.",
            objective="relier les bâtiments publics par un réseau propre à la collectivité.",
            done="Pose de fibres dans les fourreaux existants lors des travaux de voirie, "
            "raccordement des écoles, équipements sportifs et services techniques, gestion du "
            "réseau en régie.",
            results="{n1} bâtiments reliés ; {n2} km de fibre ; économie annuelle de {n3} "
            "euros sur les liaisons louées.",
            slots={"n1": (30, 150), "n2": (20, 120), "n3": (60000, 400000)},
            lesson="Profiter de chaque ouverture de tranchée a divisé le coût par trois.",
            transfer="Pertinent dès une vingtaine de bâtiments ; suppose un recensement précis "
            "des fourreaux.",
            budget_k=(300, 2000),
            private=("Une entreprise de travaux de réseaux",),
            contact="Direction des systèmes d'information, pôle infrastructures",
        ),
        _p(
            "cartographie-couverture",
            "Une carte ouverte de la couverture fixe et mobile du territoire",
            "REG DEP CA",
            "INFRA_01",
            context="Les élus et les habitants ne disposaient d'aucune vue d'ensemble fiable de "
            "la couverture numérique.",
            objective="publier une carte à jour de la couverture fixe et mobile.",
            done="Agrégation des données des opérateurs et des mesures de terrain, carte "
            "interactive publique mise à jour chaque trimestre et jeux de données ouverts.",
            results="{n1} mesures de terrain intégrées ; {n2} consultations de la carte la "
            "première année ; {n3} signalements d'habitants traités.",
            slots={"n1": (5000, 40000), "n2": (10000, 80000), "n3": (150, 900)},
            lesson="Permettre aux habitants de signaler un défaut de couverture a enrichi la "
            "carte plus vite que prévu.",
            transfer="Les scripts d'agrégation sont publiés ; une collectivité peut reprendre "
            "la carte pour son territoire.",
            budget_k=(40, 180),
            academic=("Cerema",),
            contact="Observatoire territorial",
            also="DATA",
        ),
    ),
    "SMART": (
        _p(
            "jumeau-numerique-urbain",
            "Un jumeau numérique pour préparer les projets d'aménagement",
            "ME CU COM",
            "SMART_03",
            context="Les projets d'aménagement étaient présentés sur plans papier, difficiles à "
            "comprendre pour les habitants et les élus.",
            objective="simuler les projets urbains en trois dimensions avant de décider.",
            done="Modèle 3D du territoire alimenté par les données cadastrales, les réseaux et "
            "les bâtiments, simulations d'ensoleillement et d'îlots de chaleur, présentations "
            "publiques des projets.",
            results="{n1} projets d'aménagement simulés ; {n2} réunions publiques appuyées sur "
            "le modèle ; {p1} % de surfaces végétalisées ajoutées après simulation.",
            slots={"n1": (10, 40), "n2": (8, 30), "p1": (10, 25)},
            lesson="Commencer par un quartier pilote a permis de démontrer l'utilité avant "
            "d'étendre le modèle.",
            transfer="Suppose des données 3D de qualité ; les données nationales ouvertes "
            "réduisent le coût d'entrée.",
            budget_k=(250, 1500),
            academic=("École nationale des sciences géographiques",),
            private=("Un bureau d'études en ingénierie urbaine",),
            contact="Direction de l'urbanisme, mission ville intelligente",
        ),
        _p(
            "capteurs-qualite-air-ecoles",
            "Des capteurs de qualité de l'air près des écoles",
            "COM ME CU CA",
            "SMART_02 SMART_05",
            context="Les parents s'inquiétaient de la pollution aux abords des écoles, sans "
            "mesure locale pour objectiver la situation.",
            objective="mesurer la qualité de l'air aux abords des écoles et agir sur la "
            "circulation.",
            done="Installation de capteurs connectés près des groupes scolaires, données "
            "publiées en temps réel, rues scolaires fermées à la circulation aux heures "
            "d'entrée et de sortie.",
            results="{n1} capteurs installés ; concentration de dioxyde d'azote en baisse de "
            "{p1} % dans les rues scolaires ; {n2} écoles concernées.",
            slots={"n1": (15, 80), "p1": (12, 30), "n2": (8, 40)},
            lesson="Publier les mesures en continu a rendu les rues scolaires acceptables pour "
            "les riverains.",
            transfer="Capteurs peu coûteux, à étalonner avec l'association de surveillance de "
            "la qualité de l'air.",
            budget_k=(40, 200),
            public=("ADEME",),
            associative=("Association agréée de surveillance de la qualité de l'air",),
            contact="Direction de l'environnement",
        ),
        _p(
            "eclairage-public-pilote",
            "Éclairage public piloté à distance et adapté aux usages",
            "COM CA CU DEP",
            "SMART_02",
            context="La facture d'électricité de l'éclairage public avait doublé en deux ans.",
            objective="réduire la consommation de l'éclairage public sans nuire à la sécurité.",
            done="Remplacement des luminaires par des LED pilotables, abaissement de "
            "l'intensité en cœur de nuit, détection de présence sur les cheminements piétons "
            "et supervision des pannes.",
            results="Consommation en baisse de {p1} % ; {n1} points lumineux pilotés ; délai "
            "de réparation des pannes ramené à {d1} jours.",
            slots={"p1": (45, 70), "n1": (1500, 12000), "d1": (2, 5)},
            lesson="Concerter les quartiers avant l'extinction partielle a évité les oppositions.",
            transfer="Cofinancements énergie mobilisables ; le retour sur investissement est "
            "d'environ six ans.",
            budget_k=(400, 3000),
            public=("Syndicat départemental d'énergie",),
            private=("Un fabricant de luminaires connectés",),
            contact="Direction des services techniques",
        ),
        _p(
            "hyperviseur-urbain",
            "Un hyperviseur urbain pour les services techniques",
            "ME CU",
            "SMART_04",
            context="Chaque service technique disposait de sa propre supervision, sans vue "
            "d'ensemble en cas d'événement.",
            objective="réunir les données des services urbains dans un même outil de pilotage.",
            done="Plateforme de données urbaines agrégeant la circulation, l'eau, l'éclairage "
            "et la collecte des déchets, tableau de bord partagé et procédures communes de "
            "gestion de crise.",
            results="{n1} sources de données raccordées ; temps de mobilisation en crise "
            "réduit de {p1} % ; {n2} indicateurs publiés en données ouvertes.",
            slots={"n1": (12, 40), "p1": (20, 45), "n2": (15, 60)},
            lesson="Une gouvernance claire des données, décidée avant l'outil, a évité de "
            "multiplier les connecteurs inutiles.",
            transfer="Pertinent pour une grande intercommunalité ; privilégier une plateforme "
            "ouverte pour ne pas dépendre d'un fournisseur.",
            budget_k=(600, 3000),
            academic=("INRIA",),
            private=("Un intégrateur de plateformes de données urbaines",),
            contact="Mission ville intelligente",
            also="DATA",
        ),
        _p(
            "telereleve-batiments-publics",
            "Télérelève des consommations d'eau et d'énergie des bâtiments publics",
            "DEP REG CA COM",
            "SMART_02 SMART_05",
            context="Les consommations des bâtiments n'étaient connues qu'à réception des "
            "factures, trop tard pour détecter les fuites et les dérives.",
            objective="suivre en continu les consommations et réagir aux anomalies.",
            done="Compteurs communicants dans les bâtiments publics, alertes automatiques de "
            "fuite et de surconsommation, tableau de bord pour les gestionnaires de bâtiments.",
            results="{n1} bâtiments équipés ; consommation d'énergie en baisse de {p1} % ; {n2} "
            "fuites d'eau détectées la première année.",
            slots={"n1": (40, 300), "p1": (8, 20), "n2": (15, 80)},
            lesson="Les alertes n'ont servi que parce qu'un agent était chargé de les traiter "
            "chaque matin.",
            transfer="Transposable à tout patrimoine bâti ; le décret tertiaire en fait un "
            "outil de conformité.",
            budget_k=(100, 600),
            public=("ADEME",),
            private=("Un installateur de compteurs communicants",),
            contact="Direction du patrimoine bâti",
        ),
        _p(
            "strategie-territoire-intelligent",
            "Une stratégie de territoire intelligent et sobre",
            "REG ME CA",
            "SMART_01",
            context="Des projets de capteurs se multipliaient sans cohérence ni évaluation de "
            "leur utilité.",
            objective="ne déployer que les dispositifs connectés dont l'utilité est démontrée.",
            done="Stratégie adoptée en assemblée, grille d'évaluation de l'utilité et de "
            "l'empreinte environnementale de chaque projet, catalogue commun des capteurs et "
            "des données produites.",
            results="{n1} projets évalués, dont {n2} abandonnés faute d'utilité démontrée ; {n3} "
            "jeux de données de capteurs ouverts.",
            slots={"n1": (15, 40), "n2": (3, 8), "n3": (10, 30)},
            lesson="Évaluer l'empreinte environnementale a conduit à renoncer à des projets "
            "coûteux et peu utiles.",
            transfer="La grille d'évaluation est publiée sous licence ouverte et adaptable.",
            budget_k=(50, 250),
            academic=("Cerema",),
            contact="Direction de la transition écologique et numérique",
        ),
    ),
    "INCL": (
        _p(
            "conseillers-numeriques-itinerants",
            "Des conseillers numériques itinérants dans les communes rurales",
            "DEP CA REG",
            "INCL_02 INCL_01",
            context="Les habitants éloignés des services publics peinaient à réaliser leurs "
            "démarches en ligne.",
            objective="aller vers les habitants éloignés du numérique, au plus près de chez eux.",
            done="Recrutement de conseillers numériques, permanences itinérantes dans les "
            "mairies et les France services, ateliers collectifs et accompagnement individuel "
            "aux démarches.",
            results="{n1} conseillers numériques en poste ; {n2} personnes accompagnées par an ; "
            "{p1} % des personnes revenues en autonomie après trois séances.",
            slots={"n1": (6, 30), "n2": (1500, 9000), "p1": (40, 65)},
            lesson="Un véhicule équipé a permis de toucher les communes sans lieu d'accueil "
            "adapté.",
            transfer="Cofinancement national possible ; l'itinérance est adaptée aux "
            "territoires peu denses.",
            budget_k=(250, 1200),
            public=("Agence nationale de la cohésion des territoires", "France services"),
            associative=("Un réseau associatif de médiation numérique",),
            contact="Mission inclusion numérique",
        ),
        _p(
            "tiers-lieu-mediation",
            "Un tiers-lieu numérique ouvert à tous au cœur du quartier",
            "COM CA CU ME",
            "INCL_03",
            context="Le quartier ne comptait aucun lieu d'accès libre au numérique ni "
            "d'accompagnement gratuit.",
            objective="offrir un lieu d'accès, d'apprentissage et de rencontre autour du "
            "numérique.",
            done="Aménagement d'un tiers-lieu numérique dans un ancien commerce, postes en "
            "accès libre, ateliers de médiation, permanences d'aide aux démarches et espace "
            "de fabrication pour les jeunes.",
            results="{n1} visiteurs par an ; {n2} ateliers organisés ; {p1} % des usagers "
            "habitant le quartier.",
            slots={"n1": (3000, 15000), "n2": (120, 400), "p1": (55, 80)},
            lesson="Confier l'animation à une association du quartier a ancré le lieu dans la "
            "vie locale.",
            transfer="Un local de 150 m² et deux animateurs suffisent ; les locaux commerciaux "
            "vacants s'y prêtent bien.",
            budget_k=(120, 500),
            public=("Banque des Territoires", "Caisse d'allocations familiales"),
            associative=("Une association de médiation numérique",),
            contact="Direction de la cohésion sociale",
            also="FILI",
        ),
        _p(
            "aidants-connect-accueil",
            "Aidants Connect dans tous les lieux d'accueil du public",
            "DEP COM CA ME",
            "INCL_03",
            context="Des agents d'accueil réalisaient des démarches à la place des usagers avec "
            "leurs identifiants, sans cadre juridique.",
            objective="sécuriser l'aide aux démarches réalisée pour le compte des usagers.",
            done="Habilitation des agents d'accueil des services sociaux et des mairies, "
            "formation, mandats signés par les usagers et suivi de l'activité.",
            results="{n1} agents habilités ; {n2} mandats créés par an ; {n3} lieux d'accueil "
            "équipés.",
            slots={"n1": (20, 120), "n2": (1000, 8000), "n3": (8, 40)},
            lesson="La formation juridique des agents a été aussi importante que l'outil.",
            transfer="Service national gratuit ; le coût se limite au temps de formation.",
            budget_k=(10, 60),
            public=("Agence nationale de la cohésion des territoires",),
            contact="Direction des solidarités",
        ),
        _p(
            "ordinateurs-reconditionnes",
            "Des ordinateurs reconditionnés pour les familles et les étudiants",
            "DEP REG ME COM",
            "INCL_03",
            context="De nombreuses familles ne disposaient que d'un téléphone pour les devoirs "
            "et les démarches.",
            objective="équiper les foyers modestes et prolonger la vie du matériel public.",
            done="Don des ordinateurs réformés de la collectivité à une coopérative de "
            "reconditionnement, distribution à prix solidaire avec une prise en main "
            "accompagnée.",
            results="{n1} ordinateurs reconditionnés et distribués ; {n2} foyers équipés ; "
            "{p1} tonnes de déchets électroniques évitées.",
            slots={"n1": (300, 2500), "n2": (250, 2200), "p1": (3, 20)},
            lesson="Associer une prise en main à chaque don a évité que les ordinateurs restent "
            "inutilisés.",
            transfer="Demande un partenaire de reconditionnement local ; la convention de don "
            "est réutilisable.",
            budget_k=(30, 150),
            private=("Une coopérative de reconditionnement informatique",),
            associative=("Emmaüs Connect",),
            contact="Direction des solidarités",
        ),
        _p(
            "colleges-connectes",
            "Collèges connectés : équipement, Wi-Fi et espace numérique de travail",
            "DEP",
            "INCL_04",
            context="L'équipement numérique des collèges était inégal d'un établissement à "
            "l'autre.",
            objective="un équipement numérique complet dans chaque collège public.",
            done="Plan d'équipement des salles de classe, Wi-Fi dans tous les collèges, espace "
            "numérique de travail commun et assistance de proximité pour les établissements.",
            results="{p1} % des collèges pleinement équipés ; {n1} salles couvertes par le "
            "Wi-Fi ; {p2} % des familles connectées à l'espace numérique de travail.",
            slots={"p1": (85, 100), "n1": (800, 4000), "p2": (70, 92)},
            lesson="L'assistance de proximité a conditionné l'usage réel des équipements.",
            transfer="Transposable à tout département ; le cahier des charges est partagé avec "
            "le rectorat.",
            budget_k=(2000, 9000),
            public=("Rectorat",),
            contact="Direction de l'éducation",
        ),
        _p(
            "lycees-connectes",
            "Lycées connectés et prêt d'ordinateurs portables aux élèves",
            "REG",
            "INCL_05",
            context="Les lycéens des filières professionnelles disposaient rarement d'un "
            "ordinateur personnel.",
            objective="garantir à chaque lycéen un accès aux outils numériques.",
            done="Équipement complet des lycées, prêt d'ordinateurs portables aux élèves "
            "boursiers pour la durée de leur scolarité et formation des enseignants.",
            results="{p1} % des lycées pleinement équipés ; {n1} ordinateurs prêtés ; {n2} "
            "enseignants formés.",
            slots={"p1": (85, 100), "n1": (5000, 40000), "n2": (500, 3000)},
            lesson="Le prêt plutôt que le don a permis de reconditionner et de réattribuer le "
            "matériel.",
            transfer="Transposable à toute région ; le coût dépend surtout du nombre d'élèves "
            "boursiers.",
            budget_k=(5000, 30000),
            public=("Rectorat",),
            contact="Direction des lycées",
        ),
    ),
    "ENTR": (
        _p(
            "cheque-numerique-commerces",
            "Un chèque numérique pour les commerçants et les artisans",
            "REG CA ME CU",
            "ENTR_01 ENTR_02",
            context="Les petits commerces avaient perdu des clients faute de présence en ligne.",
            objective="aider les commerçants et artisans à vendre et à se faire connaître en "
            "ligne.",
            done="Aide forfaitaire aux projets numériques des commerces et de l'artisanat, "
            "diagnostic préalable par les chambres consulaires et ateliers collectifs.",
            results="{n1} entreprises aidées ; {p1} % déclarant une hausse de chiffre "
            "d'affaires un an après ; {n2} ateliers organisés.",
            slots={"n1": (150, 1200), "p1": (35, 60), "n2": (15, 60)},
            lesson="Le diagnostic préalable a évité de financer des sites sans usage.",
            transfer="Dispositif simple, à caler sur les aides régionales existantes.",
            budget_k=(300, 2000),
            public=("Chambre de commerce et d'industrie", "Chambre de métiers et de l'artisanat"),
            contact="Direction du développement économique",
        ),
        _p(
            "diagnostics-cyber-tpe",
            "Diagnostics de cybersécurité gratuits pour les TPE et PME",
            "REG ME CA",
            "ENTR_01",
            context="Plusieurs entreprises du territoire avaient subi des attaques coûteuses, "
            "faute de protections élémentaires.",
            objective="sensibiliser et protéger les petites entreprises contre les cyberattaques.",
            done="Diagnostics gratuits réalisés par des prestataires labellisés, plan d'action "
            "remis à chaque entreprise et aide au financement des premières mesures.",
            results="{n1} diagnostics réalisés ; {p1} % des entreprises ayant mis en œuvre au "
            "moins trois mesures ; {n2} entreprises formées.",
            slots={"n1": (80, 500), "p1": (55, 80), "n2": (150, 900)},
            lesson="Le relais des experts-comptables a été le meilleur canal pour atteindre "
            "les très petites entreprises.",
            transfer="S'appuie sur le dispositif national d'assistance ; les supports de "
            "diagnostic sont partagés.",
            budget_k=(100, 600),
            public=("Chambre de commerce et d'industrie",),
            private=("Des prestataires de cybersécurité labellisés",),
            contact="Direction du développement économique",
            also="EADM",
        ),
        _p(
            "place-de-marche-locale",
            "Une place de marché en ligne pour les commerces du centre-ville",
            "COM CA CU",
            "ENTR_03",
            context="Le centre-ville perdait des commerces face aux grandes plateformes de "
            "vente en ligne.",
            objective="permettre aux commerces locaux de vendre en ligne avec retrait en boutique.",
            done="Place de marché locale avec paiement en ligne, retrait en boutique ou "
            "livraison à vélo, accompagnement des commerçants pour la mise en ligne des "
            "produits.",
            results="{n1} commerces inscrits ; {n2} commandes la première année ; panier moyen "
            "de {e1} euros.",
            slots={"n1": (40, 200), "n2": (2000, 15000), "e1": (28, 55)},
            lesson="L'animation par l'association des commerçants a compté davantage que la "
            "technique.",
            transfer="Solution mutualisable entre villes moyennes ; prévoir deux ans d'animation.",
            budget_k=(60, 300),
            public=("Banque des Territoires",),
            associative=("L'association des commerçants du centre-ville",),
            contact="Direction du commerce et de l'attractivité",
        ),
        _p(
            "guichet-aides-entreprises",
            "Un guichet unique en ligne des aides aux entreprises",
            "REG ME CU CA",
            "ENTR_05",
            context="Les entreprises ne savaient pas quelle aide demander ni à quel guichet "
            "s'adresser.",
            objective="présenter toutes les aides en un seul point et orienter les entreprises.",
            done="Portail présentant les aides de la collectivité et de ses partenaires, "
            "simulateur d'éligibilité, dépôt des demandes en ligne et conseiller référent "
            "pour chaque entreprise.",
            results="{n1} entreprises orientées par an ; {p1} % des demandes déposées en ligne ; "
            "délai de réponse réduit de {d1} jours.",
            slots={"n1": (800, 5000), "p1": (70, 95), "d1": (10, 30)},
            lesson="Associer les partenaires dès la conception a rendu le portail complet et "
            "crédible.",
            transfer="Le référentiel des aides est publié en données ouvertes et réutilisable.",
            budget_k=(150, 600),
            public=("Bpifrance", "Chambre de commerce et d'industrie"),
            contact="Direction du développement économique",
            also="SERV",
        ),
        _p(
            "ateliers-exploitants-agricoles",
            "Des ateliers du numérique pour les exploitants agricoles",
            "DEP CA REG",
            "ENTR_03",
            context="Les exploitants agricoles devaient réaliser en ligne la plupart de leurs "
            "déclarations sans y avoir été formés.",
            objective="rendre les exploitants autonomes pour leurs démarches et leur vente en "
            "ligne.",
            done="Ateliers itinérants dans les cantons ruraux, accompagnement aux déclarations "
            "en ligne et formation à la vente directe sur internet.",
            results="{n1} exploitants formés ; {n2} ateliers organisés ; {p1} % des "
            "participants vendant désormais en ligne.",
            slots={"n1": (120, 700), "n2": (20, 80), "p1": (20, 45)},
            lesson="Organiser les ateliers l'hiver, hors des périodes de travaux, a doublé la "
            "participation.",
            transfer="Reproductible avec la chambre d'agriculture ; les supports sont partagés.",
            budget_k=(40, 200),
            public=("Chambre d'agriculture",),
            contact="Direction de l'agriculture et de la ruralité",
            also="INCL",
        ),
        _p(
            "depot-en-ligne-entreprises",
            "Autorisations et demandes des entreprises déposées en ligne",
            "COM CA ME CU DEP",
            "ENTR_04",
            context="Les entreprises se déplaçaient pour déposer leurs demandes d'autorisation "
            "et de terrasse.",
            objective="permettre aux entreprises de tout demander et suivre en ligne.",
            done="Dépôt en ligne des autorisations d'urbanisme, d'occupation du domaine public "
            "et de terrasse, suivi de l'instruction et signature électronique des arrêtés.",
            results="{p1} % des demandes déposées en ligne ; délai d'instruction réduit de {d1} "
            "jours ; {n1} demandes traitées par an.",
            slots={"p1": (70, 95), "d1": (8, 25), "n1": (400, 3000)},
            lesson="Un formulaire court, testé avec des entreprises, a suffi à faire basculer "
            "les dépôts en ligne.",
            transfer="Utilise les services numériques nationaux ; transposable en six mois.",
            budget_k=(40, 200),
            contact="Direction de l'urbanisme",
            also="SERV",
        ),
    ),
    "FILI": (
        _p(
            "tiers-lieu-centre-bourg",
            "Un tiers-lieu numérique pour faire revivre le centre-bourg",
            "CA COM DEP",
            "FILI_02",
            context="Les indépendants et les salariés à distance du territoire n'avaient aucun "
            "lieu de travail partagé.",
            objective="attirer et retenir des actifs grâce à un lieu de travail et d'échanges.",
            done="Réhabilitation d'un bâtiment vacant en tiers-lieu numérique : espace de "
            "travail partagé, salles de réunion équipées, fab lab et programme d'animations.",
            results="{n1} membres réguliers ; {n2} événements par an ; {n3} entreprises créées "
            "par des membres.",
            slots={"n1": (30, 150), "n2": (40, 120), "n3": (3, 15)},
            lesson="Confier la gestion à une association d'usagers a assuré l'équilibre "
            "financier dès la troisième année.",
            transfer="Modèle adapté aux bourgs-centres ; les subventions nationales aux "
            "tiers-lieux facilitent l'amorçage.",
            budget_k=(300, 1200),
            public=("Agence nationale de la cohésion des territoires", "Banque des Territoires"),
            associative=("L'association des usagers du tiers-lieu",),
            contact="Direction du développement économique",
        ),
        _p(
            "campus-metiers-numerique",
            "Un campus des métiers du numérique avec les entreprises du territoire",
            "REG ME CU",
            "FILI_04",
            context="Les entreprises du numérique peinaient à recruter alors que les jeunes "
            "quittaient le territoire pour se former.",
            objective="former sur place aux métiers du numérique recherchés localement.",
            done="Campus réunissant lycées, IUT et entreprises, formations en alternance, "
            "projets réels confiés aux étudiants et forum annuel de recrutement.",
            results="{n1} apprenants par an ; {p1} % d'insertion professionnelle à six mois ; "
            "{n2} entreprises partenaires.",
            slots={"n1": (150, 900), "p1": (75, 92), "n2": (30, 120)},
            lesson="Les projets réels confiés par les entreprises ont été le meilleur levier de "
            "recrutement.",
            transfer="Suppose un établissement d'enseignement moteur ; le modèle de gouvernance "
            "est partagé.",
            budget_k=(500, 3000),
            public=("Rectorat",),
            academic=("IUT",),
            private=("Les entreprises du numérique du territoire",),
            contact="Direction de l'enseignement supérieur et de la recherche",
        ),
        _p(
            "marches-innovation-startups",
            "Des marchés d'innovation ouverts aux jeunes entreprises",
            "ME REG DEP CA",
            "FILI_05",
            context="Les jeunes entreprises innovantes ne répondaient jamais aux marchés de la "
            "collectivité, jugés trop lourds.",
            objective="ouvrir la commande publique aux solutions innovantes.",
            done="Procédure simplifiée pour les achats innovants, défis publiés par les "
            "services, journées de rencontre acheteurs-entreprises et paiement rapide.",
            results="{n1} marchés attribués à des jeunes entreprises ; délai de paiement de "
            "{d1} jours ; {n2} défis publiés.",
            slots={"n1": (6, 25), "d1": (10, 20), "n2": (10, 30)},
            lesson="Rédiger les besoins sous forme de défis, sans imposer la solution, a "
            "multiplié les réponses.",
            transfer="Repose sur le seuil des achats innovants du code de la commande publique ; "
            "les modèles de défis sont publiés.",
            budget_k=(50, 300),
            private=("Un incubateur de jeunes entreprises",),
            contact="Direction de la commande publique",
        ),
        _p(
            "incubation-french-tech",
            "Un programme d'incubation avec la communauté French Tech",
            "ME CU CA COM",
            "FILI_03 FILI_01",
            context="Les créateurs d'entreprises du numérique partaient s'installer dans les "
            "grandes métropoles voisines.",
            objective="accompagner et retenir les jeunes entreprises du numérique.",
            done="Programme d'incubation de douze mois, mentorat par des dirigeants du "
            "territoire, locaux à loyer modéré et mise en relation avec les financeurs.",
            results="{n1} entreprises incubées ; {n2} emplois créés ; {p1} % des entreprises "
            "toujours en activité après trois ans.",
            slots={"n1": (12, 45), "n2": (60, 300), "p1": (70, 90)},
            lesson="Le mentorat par des dirigeants locaux a été cité comme le premier apport "
            "du programme.",
            transfer="Adaptable à une ville moyenne avec un écosystème réduit, en réseau avec "
            "une métropole.",
            budget_k=(200, 900),
            public=("Bpifrance",),
            associative=("La communauté French Tech locale",),
            contact="Direction du développement économique",
        ),
        _p(
            "ecole-numerique-emploi",
            "Une école du numérique pour les demandeurs d'emploi",
            "CA COM DEP REG",
            "FILI_04",
            context="Des postes de techniciens du numérique restaient vacants alors que le "
            "chômage des jeunes était élevé.",
            objective="former des demandeurs d'emploi aux métiers du numérique en tension.",
            done="Formations intensives de six mois aux métiers de développeur et de "
            "technicien, stages en entreprise et accompagnement vers l'emploi.",
            results="{n1} personnes formées ; {p1} % en emploi six mois après ; {p2} % de "
            "femmes parmi les apprenants.",
            slots={"n1": (40, 250), "p1": (60, 85), "p2": (30, 50)},
            lesson="Le recrutement sur la motivation plutôt que sur le diplôme a diversifié les "
            "profils.",
            transfer="Reproductible avec France Travail et un organisme de formation labellisé.",
            budget_k=(200, 900),
            public=("France Travail",),
            private=("Un organisme de formation labellisé",),
            contact="Direction de l'emploi et de l'insertion",
        ),
        _p(
            "fab-lab-fabrication",
            "Un fab lab ouvert aux habitants, aux écoles et aux artisans",
            "COM CA CU ME",
            "FILI_02",
            context="Les écoles et les artisans n'avaient pas accès aux outils de fabrication "
            "numérique.",
            objective="ouvrir à tous les outils de fabrication numérique et de prototypage.",
            done="Atelier équipé d'imprimantes 3D, de découpeuses laser et de machines à "
            "commande numérique, animé par des médiateurs, avec des créneaux réservés aux "
            "écoles et aux artisans.",
            results="{n1} usagers inscrits ; {n2} classes accueillies par an ; {n3} prototypes "
            "d'artisans réalisés.",
            slots={"n1": (300, 1500), "n2": (20, 90), "n3": (30, 150)},
            lesson="Les créneaux réservés aux artisans ont trouvé un public que l'on "
            "n'attendait pas.",
            transfer="Un investissement initial modéré ; l'animation est le principal poste de "
            "dépense.",
            budget_k=(80, 400),
            academic=("IUT",),
            associative=("Un fab lab associatif",),
            contact="Direction de la culture scientifique et technique",
        ),
    ),
    "GOUV": (
        _p(
            "numerique-responsable",
            "Un schéma directeur du numérique responsable",
            "REG DEP ME CA",
            "GOUV_01 GOUV_05",
            context="L'empreinte environnementale du numérique de la collectivité n'avait "
            "jamais été mesurée.",
            objective="mesurer puis réduire l'empreinte environnementale du numérique.",
            done="Bilan de l'empreinte du parc et des services, schéma directeur du numérique "
            "responsable adopté en assemblée, écoconception des services en ligne et "
            "allongement de la durée d'usage des équipements.",
            results="Durée d'usage des postes portée à {y1} ans ; {p1} % d'équipements achetés "
            "reconditionnés ; poids moyen des pages web réduit de {p2} %.",
            slots={"y1": (6, 8), "p1": (20, 45), "p2": (30, 60)},
            lesson="Mesurer d'abord a permis de cibler les équipements, qui pèsent le plus.",
            transfer="Le référentiel général d'écoconception et le guide de mesure sont "
            "publics ; compter un an pour un premier bilan.",
            budget_k=(40, 200),
            public=("ADEME",),
            associative=("L'Institut du numérique responsable",),
            contact="Direction du numérique, mission numérique responsable",
        ),
        _p(
            "budget-participatif-en-ligne",
            "Budget participatif et plateforme de participation citoyenne en ligne",
            "COM ME CU CA",
            "GOUV_03",
            context="Les habitants souhaitaient proposer des projets mais n'avaient pas de "
            "moyen simple de le faire.",
            objective="permettre aux habitants de proposer et de choisir des projets financés "
            "par la collectivité.",
            done="Plateforme libre de participation citoyenne, budget participatif annuel, vote "
            "en ligne et dans les lieux publics, suivi public de la réalisation des projets.",
            results="{n1} projets déposés ; {n2} votants, dont {p1} % de moins de trente ans ; "
            "{n3} projets réalisés.",
            slots={"n1": (120, 600), "n2": (3000, 25000), "p1": (25, 45), "n3": (15, 60)},
            lesson="Le vote en présentiel dans les écoles et les marchés a élargi la "
            "participation.",
            transfer="Plateforme libre réutilisable ; l'essentiel est l'animation de terrain.",
            budget_k=(60, 250),
            associative=("Une association d'éducation populaire",),
            contact="Direction de la participation citoyenne",
        ),
        _p(
            "rgpd-mutualise",
            "Un délégué à la protection des données mutualisé avec les communes",
            "CA DEP CU",
            "GOUV_02",
            context="Les petites communes n'avaient ni registre des traitements ni délégué à la "
            "protection des données.",
            objective="mettre toutes les collectivités du territoire en conformité avec le RGPD.",
            done="Délégué à la protection des données mutualisé, registres des traitements "
            "tenus pour chaque commune, modèles de mentions d'information et formation des "
            "secrétaires de mairie.",
            results="{n1} communes adhérentes ; {n2} traitements inscrits aux registres ; {n3} "
            "agents formés.",
            slots={"n1": (15, 80), "n2": (600, 3000), "n3": (40, 200)},
            lesson="Des modèles prêts à l'emploi ont davantage aidé que les formations générales.",
            transfer="Transposable à toute intercommunalité ; le coût est partagé au prorata "
            "de la population.",
            budget_k=(40, 150),
            public=("Centre de gestion de la fonction publique territoriale",),
            contact="Délégué à la protection des données",
            also="EADM",
        ),
        _p(
            "duree-vie-equipements",
            "Prolonger la durée de vie des équipements numériques",
            "REG DEP ME COM",
            "GOUV_05",
            context="Les postes de travail étaient renouvelés tous les quatre ans, sans regard "
            "sur leur état.",
            objective="allonger la durée d'usage des équipements et réemployer ceux qui sortent.",
            done="Renouvellement à l'état plutôt qu'à l'âge, réparation en interne, achat de "
            "matériel reconditionné et don des équipements réformés aux associations.",
            results="Durée d'usage moyenne passée de {y1} à {y2} ans ; {n1} équipements donnés ; "
            "économie de {n2} euros par an.",
            slots={"y1": (4, 4), "y2": (6, 7), "n1": (200, 1500), "n2": (80000, 400000)},
            lesson="Former les techniciens à la réparation a été rentable dès la première année.",
            transfer="Applicable immédiatement ; seules les clauses des marchés d'achat sont à "
            "revoir.",
            budget_k=(20, 100),
            associative=("Une ressourcerie",),
            contact="Direction des systèmes d'information",
        ),
        _p(
            "commission-numerique",
            "Une commission du numérique associant élus, agents et habitants",
            "DEP CA COM REG",
            "GOUV_04",
            context="Les décisions sur le numérique étaient prises service par service, sans "
            "débat ni pilotage politique.",
            objective="piloter le numérique comme une politique publique à part entière.",
            done="Vice-présidence dédiée au numérique, commission associant élus, agents et "
            "habitants tirés au sort, feuille de route annuelle débattue en assemblée.",
            results="{n1} séances de la commission ; {n2} avis rendus, dont {p1} % suivis ; "
            "feuille de route publiée chaque année.",
            slots={"n1": (6, 15), "n2": (10, 30), "p1": (60, 90)},
            lesson="Publier les suites données à chaque avis a maintenu l'engagement des "
            "habitants.",
            transfer="Aucun coût technique : une décision politique et un secrétariat.",
            budget_k=(10, 50),
            contact="Direction générale des services",
        ),
        _p(
            "consultation-mobilites",
            "Une consultation en ligne et en présentiel sur les mobilités",
            "ME CU REG CA",
            "GOUV_03",
            context="Le plan de mobilité devait être révisé et les habitants demandaient à être "
            "entendus.",
            objective="recueillir l'avis du plus grand nombre sur le futur plan de mobilité.",
            done="Consultation en ligne avec carte participative, ateliers dans les quartiers "
            "et les communes périphériques, synthèse publiée et réponses motivées aux "
            "principales propositions.",
            results="{n1} contributions ; {n2} participants aux ateliers ; {n3} propositions "
            "reprises dans le plan.",
            slots={"n1": (1500, 12000), "n2": (200, 1200), "n3": (15, 60)},
            lesson="La carte participative a produit des contributions bien plus précises que "
            "les questionnaires.",
            transfer="Outil libre réutilisable ; prévoir un budget d'analyse des contributions.",
            budget_k=(50, 250),
            academic=("Un laboratoire universitaire de géographie",),
            contact="Direction des mobilités",
            also="SMART",
        ),
    ),
}


#: Lessons any project may add to its own.
COMMON_LESSONS = (
    "Mesurer la situation de départ avant le lancement est indispensable pour chiffrer les "
    "résultats.",
    "Un comité de suivi trimestriel avec les partenaires a permis d'ajuster le calendrier "
    "sans perdre les financements.",
    "Associer les agents de terrain dès la conception a évité de reprendre l'outil après "
    "son lancement.",
    "La communication auprès des habitants a demandé plus de temps que prévu : il faut la "
    "budgéter dès le départ.",
    "Découper le marché en lots a ouvert la consultation aux entreprises du territoire.",
    "Nommer un chef de projet unique, avec du temps réellement dégagé, a été déterminant.",
)

#: Conditions of transfer any project may add to its own.
COMMON_TRANSFERS = (
    "Les documents du projet (cahier des charges, conventions, supports de formation) sont "
    "transmis sur demande.",
    "Prévoir un chef de projet à mi-temps pendant la première année.",
    "Les outils utilisés sont sous licence libre : aucun coût de licence à prévoir.",
    "Une visite sur place peut être organisée pour les équipes intéressées.",
)

#: Comments peers leave on sheets (no name, no contact detail).
COMMENTS = (
    "Merci pour ce partage très complet. Quelle a été la durée du marché de maintenance ?",
    "Nous préparons un projet comparable : le cahier des charges est-il diffusable ?",
    "Les chiffres de résultats sont très parlants. Avez-vous mesuré l'effet sur les "
    "publics les plus éloignés ?",
    "Projet inspirant. Comment avez-vous associé les communes membres au financement ?",
    "Nous l'avons présenté en comité de direction : il y a de l'intérêt pour l'adapter chez nous.",
    "Combien d'agents ont été mobilisés pendant la phase de déploiement ?",
    "Retour d'expérience précieux, notamment sur la conduite du changement.",
    "Le montage financier nous intéresse : le FEDER a-t-il été difficile à obtenir ?",
    "Avez-vous prévu une évaluation à trois ans ? Nous serions preneurs des résultats.",
    "Très utile pour notre propre feuille de route, merci.",
    "Les conditions de transférabilité sont claires, c'est rare. Bravo à l'équipe.",
    "Quels ont été les principaux freins du côté des usagers ?",
    "Nous avons mené un projet voisin et confirmons l'importance d'un référent par service.",
    "La solution est-elle mutualisable avec une intercommunalité voisine ?",
    "Pourriez-vous préciser la part du budget consacrée au fonctionnement ?",
    "Une visite de votre équipe serait-elle possible au printemps ?",
    "Belle réalisation, sobre et efficace. Les données produites sont-elles ouvertes ?",
    "Nous reprenons votre grille d'évaluation, merci de l'avoir publiée.",
    "Comment les élus ont-ils été associés au pilotage ?",
    "Le calendrier a-t-il été tenu ? Notre principal risque est le recrutement.",
    "Quel accompagnement avez-vous prévu pour les agents les moins à l'aise ?",
    "Exemple très clair, nous l'avons partagé avec notre réseau départemental.",
    "Les résultats chiffrés ont convaincu notre exécutif, merci pour la transparence.",
    "Un point d'attention chez nous : la maintenance après la fin des financements.",
    "Avez-vous rencontré des difficultés avec l'hébergement des données ?",
)

#: Messages of the analysts who send a sheet back to its author.
RETURN_MESSAGES = (
    "Merci de chiffrer les résultats (nombre d'usagers, économies réalisées) et de préciser "
    "la part de chaque financeur.",
    "Les conditions de transférabilité sont trop générales : précisez pour quels types de "
    "territoire et à quel coût le projet peut être adapté.",
)

#: Message of the analyst who withdraws a published sheet.
WITHDRAWAL_MESSAGE = (
    "Fiche retirée à la demande de la collectivité : projet fusionné avec une autre réalisation."
)
