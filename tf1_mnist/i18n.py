"""The messages in the user's language, through the standard library's gettext.

English is the source language (the msgids); the Polish catalog is
`tf1_mnist/locale/pl/LC_MESSAGES/tf1_mnist.po`, compiled to the `.mo` beside it (`msgfmt`, see
DEVELOPERS.md). The language is `--lang` when the command line gives one, else gettext's own
choice from the environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), else English.

A message is written `_("... {name} ...").format(name=...)`: the whole sentence is one msgid, so
a translator can put the placeholders where the language wants them. `_()` looks the translation
up when it is called, so a message built at import time would miss `--lang`: call it where the
message is made. `N_()` only marks a constant for the catalog; translate it with `_()` when shown.
"""

from __future__ import annotations

import gettext
from pathlib import Path

DOMAIN = "tf1_mnist"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("en", "pl")  # the languages `--lang` accepts: English and the catalogs we ship

_chosen: gettext.NullTranslations | None = None


def set_language(language: str | None) -> None:
    """Speak `language` ("en", "pl") from now on; None goes back to the environment's choice."""
    global _chosen
    if language is None:
        _chosen = None
    elif language == "en":
        _chosen = gettext.NullTranslations()
    else:
        _chosen = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def _translations() -> gettext.NullTranslations:
    if _chosen is not None:
        return _chosen
    # gettext reads LANGUAGE, LC_ALL, LC_MESSAGES and LANG (in that order) and caches the catalog
    return gettext.translation(DOMAIN, LOCALE_DIR, fallback=True)


def language() -> str:
    """The language messages are in now: "pl" or "en"."""
    info = _translations().info()
    return info.get("language", "en") or "en"


def _(message: str) -> str:
    """`message` in the current language (itself when the catalog lacks it)."""
    return _translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for `n` things (Polish has three: 1 plik, 2 pliki, 5 plików)."""
    return _translations().ngettext(singular, plural, n)


def decimal(text: str) -> str:
    """A number's text with the language's decimal mark: 0,9199 in Polish, 0.9199 in English
    (for tables and prose; files meant for programs, like a CSV, keep the point)."""
    return text.replace(".", ",") if language() == "pl" else text


def thousands(number: int) -> str:
    """A whole number with the language's thousands separator: 10,000 in English, 10 000 in
    Polish (a comma there would read as a decimal mark)."""
    text = f"{number:,}"
    return text.replace(",", "\u00a0") if language() == "pl" else text


def N_(message: str) -> str:
    """Mark a constant for the catalog without translating it yet."""
    return message
