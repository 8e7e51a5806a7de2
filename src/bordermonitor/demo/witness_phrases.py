"""What a bystander says: a volunteer or resident who saw a pushback, in English and French.

Every table is ``(en, fr)``; the generator fills in ``{place}``, ``{n}`` and ``{left}``, and
:data:`WITNESS_SAW` completes "I saw the officers …" by violence code. Invented demo
material: no sentence is anyone's account, and no real person appears.
"""

from __future__ import annotations

__all__ = [
    "WITNESS_CLOSE",
    "WITNESS_LOST",
    "WITNESS_OPEN",
    "WITNESS_OPEN_N",
    "WITNESS_SAW",
    "WITNESS_SAW_DEFAULT",
    "WITNESS_TITLES",
]

# Witnesses (volunteers, residents) speak English or French: (en, fr). Slots: place, n, left.
WITNESS_OPEN_N = (
    "I volunteer near {place}. That morning I saw a police van stop by the road and a group of about {n} "
    "people get out.",
    "Je suis bénévole près de {place}. Ce matin-là, j'ai vu un fourgon de police s'arrêter au bord de la "
    "route "
    "et un groupe d'environ {n} personnes en descendre.",
)
WITNESS_OPEN = (
    "I live near {place}. Late at night I heard shouting and saw torches by the border.",
    "J'habite près de {place}. Tard dans la nuit, j'ai entendu des cris et vu des lampes près de la "
    "frontière.",
)
WITNESS_SAW: dict[str, tuple[str, str]] = {
    "beating": ("hit them with batons", "les frapper à coups de matraque"),
    "kicking": ("kick the people who had fallen", "donner des coups de pied à ceux qui étaient tombés"),
    "pushing_to_ground": ("push them to the ground", "les pousser à terre"),
    "dog_attack": ("let a dog run at them", "lâcher un chien sur eux"),
    "chemical_irritant": ("use pepper spray on them", "les asperger de gaz poivre"),
    "destruction_of_belongings": ("burn their bags", "brûler leurs sacs"),
    "theft_of_belongings": ("go through their pockets", "fouiller leurs poches"),
    "verbal_abuse": ("shout insults at them", "les insulter"),
    "forced_undressing": ("make them take off their clothes", "les obliger à se déshabiller"),
    "water_abuse": ("push them into the water", "les pousser dans l'eau"),
    "firearm_discharge": ("fire shots into the air", "tirer en l'air"),
}
WITNESS_SAW_DEFAULT = ("shout at them and push them along", "leur crier dessus et les pousser")
WITNESS_LOST = {
    "death": (
        "Later I heard that one of them had died.",
        "Plus tard, j'ai appris que l'un d'eux était mort.",
    ),
    "enforced_disappearance": (
        "Later the others told me that one of them is still missing.",
        "Plus tard, les autres m'ont dit que l'un d'eux avait disparu.",
    ),
}
WITNESS_TITLES = (
    "I saw the van stop, and then the shouting started",
    "They were limping when they walked back",
    "Torches by the border, then screams",
    "I watched them being sent back",
)
WITNESS_CLOSE = (
    "Later the group walked back towards {left}; some of them were limping.",
    "Plus tard, le groupe est reparti vers la {left} ; certains boitaient.",
)
