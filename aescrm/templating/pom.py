"""Prescription-only medicines may not be advertised to the public.

Human Medicines Regulations 2012 (reg. 284), enforced by the MHRA, and the
CAP Code (rule 12.12), enforced by the ASA. A marketing message may offer
"an anti-wrinkle consultation", never the product. Names match as whole
words, case-insensitively, also through look-alike digits and separators
("B0tox", "bo-tox", "B.O.T.O.X").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from aescrm.core.problems import ValidationFailed

PRODUCT_NAMES = (
    "Botox",
    "botulinum toxin",
    "botulinum",
    "Azzalure",
    "Bocouture",
    "Dysport",
    "Xeomin",
    "Vistabel",
    "Letybo",
    "Alluzience",
    "Relfydess",
    "Nuceiva",
)
SUGGESTION = "anti-wrinkle consultation"

# Characters people use in place of a letter.
_LOOK_ALIKES = {
    "a": "a4@",
    "b": "b8",
    "e": "e3",
    "i": "i1!|l",
    "l": "l1|i",
    "o": "o0",
    "s": "s5$",
    "t": "t7+",
    "z": "z2",
}
_SEPARATOR = r"[\s\-_.*'·]?"


def _pattern(name: str) -> str:
    words = []
    for word in re.findall(r"[a-z0-9]+", name.lower()):
        letters = [f"[{re.escape(_LOOK_ALIKES.get(c, c))}]" for c in word]
        words.append(_SEPARATOR.join(letters))
    return r"(?<![a-z0-9])" + r"[\s\-_]+".join(words) + r"(?![a-z0-9])"


def _plain(name: str) -> str:
    """A catalogue name without its parenthetical note: "Anti-wrinkle (consultation first)"."""
    return re.sub(r"\([^)]*\)", " ", name).strip()


def named_medicines(text: str, catalogue_names: Iterable[str] = ()) -> list[str]:
    """The prescription-only medicines ``text`` names, in the order of the lists."""
    found = []
    for name in (*PRODUCT_NAMES, *(_plain(n) for n in catalogue_names)):
        if not re.findall(r"[a-z0-9]+", name.lower()):
            continue
        if re.search(_pattern(name), text, flags=re.IGNORECASE) and name not in found:
            found.append(name)
    return found


def explain(names: list[str], *, field: str) -> ValidationFailed:
    return ValidationFailed(
        f"a marketing message may not name a prescription-only medicine ({', '.join(names)}): "
        "UK law forbids advertising prescription-only medicines to the public (Human Medicines "
        "Regulations 2012, enforced by the MHRA; CAP Code rule 12.12, enforced by the ASA). "
        f'Speak of the service instead, for example "{SUGGESTION}"',
        field=field,
        medicines=names,
        suggestion=SUGGESTION,
    )
