"""Finding a State or an organisation from what a mission wrote: ISO 3166
alpha-3 or alpha-2, the UN name, the variants in ``data/country_aliases.csv``
('Vietnam', 'Turkey', 'Ivory Coast', 'South Korea'), the ISO style with a
comma ('Korea, Republic of') or brackets ('Iran (Islamic Republic of)'), in
any case, with or without accents, with straight or curly apostrophes; for
organisations that are not States, the name or the acronym.

One query loads every organisation; each distinct text is looked up once.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from ..enums import STATE_KINDS
from ..models import Organisation
from .values import clean_text, fold


def compact_key(text: str) -> str:
    return fold(text).replace(" ", "")


ALIASES_CSV = Path(__file__).resolve().parent.parent / "data" / "country_aliases.csv"
_STATE_KIND_VALUES = frozenset(kind.value for kind in STATE_KINDS)
_AMBIGUOUS = -1


@functools.cache
def _aliases() -> tuple[tuple[str, str], ...]:
    with ALIASES_CSV.open(encoding="utf-8", newline="") as handle:
        return tuple((row["iso3"], row["alias"]) for row in csv.DictReader(handle))


def _variants(text: str) -> list[str]:
    """``text`` folded, and rearranged the ways lists write names: "X, Y" as
    "Y X", "X (Y)" as "Y X" and "X", without a leading "the"."""
    raw = clean_text(text)
    forms = [raw]
    if "," in raw:
        head, _sep, tail = raw.partition(",")
        forms.append(f"{tail} {head}")
    match = re.match(r"^(.*?)\s*\((.*)\)\s*$", raw)
    if match:
        head, inner = match.groups()
        forms.extend([f"{inner} {head}", head])
    keys = []
    for form in forms:
        key = fold(form)
        if key.startswith("the "):
            key = key[4:]
        # "Cote d Ivoire" and "Côte d'Ivoire", "Guinea Bissau" and
        # "Guinea-Bissau" meet without their spaces.
        for form_key in (key, key.replace(" ", "")):
            if form_key and form_key not in keys:
                keys.append(form_key)
    return keys


@dataclass(frozen=True)
class Match:
    organisation_id: int | None
    ambiguous: bool = False


class OrganisationIndex:
    """Organisations by every name people use for them. Names are looked up
    in tiers, so a full name never loses to a shortened one: the UN or
    registered name, then the aliases of the file, then the forms derived
    from both ("Congo" is the Republic of the Congo, although "Congo
    (Kinshasa)" shortens to it too), then acronyms."""

    def __init__(self, organisations: list[dict]):
        """``organisations``: dicts with pk, name, kind, iso2, iso3, acronym."""
        self.by_pk = {org["pk"]: org for org in organisations}
        self._codes: dict[str, int] = {}
        names: dict[str, int] = {}
        aliases: dict[str, int] = {}
        derived: dict[str, int] = {}
        acronyms: dict[str, int] = {}
        by_iso3 = {}

        def add_all(exact: dict, text: str, pk: int) -> None:
            keys = _variants(text)
            full = {keys[0], keys[0].replace(" ", "")} if keys else set()
            for key in keys:
                self._add(exact if key in full else derived, key, pk)

        for org in organisations:
            for code in (org.get("iso3"), org.get("iso2")):
                if code:
                    self._codes[code.upper()] = org["pk"]
            if org.get("iso3"):
                by_iso3[org["iso3"].upper()] = org["pk"]
            add_all(names, org["name"], org["pk"])
            if org.get("acronym") and org["kind"] not in _STATE_KIND_VALUES:
                self._add(acronyms, fold(org["acronym"]), org["pk"])
                self._add(acronyms, compact_key(org["acronym"]), org["pk"])
        for iso3, alias in _aliases():
            if iso3 in by_iso3:
                add_all(aliases, alias, by_iso3[iso3])
        self._tiers = (names, aliases, derived, acronyms)
        self._cache: dict[str, Match] = {}

    @staticmethod
    def _add(index: dict[str, int], key: str, pk: int) -> None:
        if index.get(key, pk) != pk:
            index[key] = _AMBIGUOUS
        else:
            index[key] = pk

    @classmethod
    def load(cls) -> OrganisationIndex:
        return cls(
            list(
                Organisation.objects.values(
                    "pk", "name", "kind", "iso2", "iso3", "acronym"
                )
            )
        )

    def find(self, text: str) -> Match:
        """The organisation ``text`` names (None if none; ``ambiguous`` when
        it could be two)."""
        found = self._cache.get(text)
        if found is None:
            found = self._cache[text] = self._find(text)
        return found

    def _find(self, text: str) -> Match:
        raw = clean_text(text)
        if not raw:
            return Match(None)
        code = raw.replace(".", "").upper()
        if len(code) in (2, 3) and code.isalpha() and code in self._codes:
            return Match(self._codes[code])
        keys = _variants(raw)
        if not keys:  # punctuation only
            return Match(None)
        # What was written, whole, first; its rearranged and shortened forms
        # only then ("Congo (Kinshasa)" is an alias, not "Congo").
        whole = list(dict.fromkeys([keys[0], keys[0].replace(" ", "")]))
        rest = [k for k in keys if k not in whole]
        for group, index in [(g, i) for g in (whole, rest) for i in self._tiers]:
            for key in group:
                pk = index.get(key)
                if pk == _AMBIGUOUS:
                    return Match(None, ambiguous=True)
                if pk is not None:
                    return Match(pk)
        return Match(None)

    def is_state(self, pk: int) -> bool:
        return self.by_pk[pk]["kind"] in _STATE_KIND_VALUES

    def name(self, pk: int) -> str:
        return self.by_pk[pk]["name"]
