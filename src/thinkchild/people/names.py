"""Search keys for names: lower case, accents and punctuation removed ("O'Brien" -> "obrien")."""

import unicodedata


def name_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name or "")
    return "".join(ch for ch in decomposed if ch.isalnum()).lower()[:100]
