"""Addresses made from editors' names (areas): lower-case ASCII letters, digits and hyphens.

Letters are transliterated, not dropped (``Ørsta`` -> ``orsta``, ``Łódź`` -> ``lodz``,
``Straße`` -> ``strasse``, ``Москва`` -> ``moskva``), so that names in other scripts
keep addresses of their own; a name with nothing to transliterate becomes ``x``, and
the check refuses it (see :func:`generator.validate.cross_rules`).
"""

from __future__ import annotations

import re

from text_unidecode import unidecode


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", unidecode(text).lower()).strip("-") or "x"
