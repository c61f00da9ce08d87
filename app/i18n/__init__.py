"""English and Simplified Chinese text for every visible string, switchable while the app runs.

Each language keeps all its strings in one catalogue module (:mod:`app.i18n.en`, :mod:`app.i18n.zh`),
keyed by a short stable name. Widgets call :func:`tr` when they build or re-label themselves and
connect to :data:`notifier` ``.changed`` to re-label on a switch. Table headers do not live here: they come
from the Excel schema's ``header_en`` / ``header_zh`` so the GUI and the workbooks always agree.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, QObject, Signal

from app.i18n import en, zh

CATALOGUES: dict[str, dict[str, str]] = {"en": en.MESSAGES, "zh": zh.MESSAGES}
LANGUAGES: tuple[str, ...] = ("en", "zh")

_language = "en"


class _LanguageNotifier(QObject):
    """Emits ``changed(lang)`` after :func:`set_language` switches the language."""

    changed = Signal(str)


notifier = _LanguageNotifier()


def language() -> str:
    """The current UI language code: ``"en"`` or ``"zh"``."""
    return _language


def system_language() -> str:
    """``"zh"`` when the system locale is Chinese, else ``"en"``."""
    return "zh" if QLocale.system().language() == QLocale.Language.Chinese else "en"


def set_language(lang: str) -> None:
    """Switch the UI language and tell every listening widget to re-label itself."""
    global _language
    if lang not in CATALOGUES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    if lang == _language:
        return
    _language = lang
    notifier.changed.emit(lang)


def tr(key: str, **values: object) -> str:
    """The text for ``key`` in the current language, with ``{name}`` fields filled from ``values``.

    A key missing from the current catalogue falls back to English, then to the key itself, so a
    forgotten translation shows up as readable text rather than an exception; a test keeps the
    catalogues complete.
    """
    text = CATALOGUES[_language].get(key) or CATALOGUES["en"].get(key) or key
    if not values:
        return text
    return text.format(**{k: Count(v) if type(v) is int else v for k, v in values.items()})


class Count(int):
    """A count that can say its noun: ``{n:truck|trucks}`` gives "1 truck", "2 trucks", "1,250 trucks".

    Without a ``one|many`` spec it formats as any int, so Chinese templates (no plural) write ``{n} 辆``.
    """

    def __format__(self, spec: str) -> str:
        if "|" in spec:
            one, many = spec.split("|", 1)
            return f"{int(self):,} {one if self == 1 else many}"
        return int.__format__(int(self), spec)


def tr_n(key: str, n: int, **values: object) -> str:
    """The text for a count: ``key.one`` when ``n`` is 1, else ``key.many`` ("1 warning", "2 warnings").

    Both catalogues hold both keys; Chinese, which has no plural, gives them the same words.
    """
    return tr(f"{key}.{'one' if n == 1 else 'many'}", n=n, **values)


def tr_title(key: str, **values: object) -> str:
    """A menu entry's text as a window title: no "&" mnemonic, no trailing "…" ("&Open…" -> "Open")."""
    text = tr(key, **values).replace("&&", "\0").replace("&", "").replace("\0", "&")
    return text.removesuffix("…").removesuffix("...").strip()
