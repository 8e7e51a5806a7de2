"""Extract the translatable messages and keep the catalogues in step, without GNU gettext.

``makemessages`` needs GNU ``xgettext``, which a fresh set-up does not have. This module does the same job
with what the project installs: Python modules go through Babel's Python extractor, templates are first
turned into Python-like source by Django's own ``templatize`` (exactly what ``makemessages`` feeds to
``xgettext``) and then go through the same extractor. So a ``{% blocktranslate %}`` gets the msgid Django
looks up at run time (``{{ name }}`` → ``%(name)s``, literal ``%`` doubled, ``trimmed`` honoured).

    python -m bordermonitor.web.i18n_catalog update   # merge new messages into fr, ar, fa
    python -m bordermonitor.web.i18n_catalog check    # list untranslated or fuzzy messages; exit 1 if any
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract
from babel.messages.pofile import read_po, write_po

PACKAGE_DIR = Path(__file__).resolve().parent.parent
LOCALE_DIR = PACKAGE_DIR / "locale"
LANGUAGES = ("fr", "ar", "fa")
DOMAIN = "django"

# The gettext functions the code base uses, with the position of each argument (Babel's notation:
# numbers are argument positions, ``(n, "c")`` marks the context argument).
KEYWORDS: dict[str, tuple[int | tuple[int, str], ...] | None] = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
COMMENT_TAGS = ("Translators",)
# Django's plural rules for each language (Arabic has six forms: zero, one, two, few, many, other).
PLURAL_FORMS = {
    "fr": "nplurals=2; plural=(n > 1);",
    "ar": (
        "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;"
    ),
    "fa": "nplurals=2; plural=(n > 1);",
}
EXCLUDED_PARTS = frozenset({"migrations", "tests", "__pycache__"})

_PRINTF = re.compile(r"%(?:\((?P<name>[^)]+)\))?[-#0 +]*\d*(?:\.\d+)?[sdiufFeEgGxXoc%r]")
_BRACES = re.compile(r"(?<!\{)\{(?P<name>[A-Za-z_][A-Za-z0-9_]*|\d*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")


@dataclass(frozen=True)
class Problem:
    """One message a language still lacks, with where the message comes from."""

    language: str
    msgid: str
    context: str | None
    reason: str
    locations: tuple[str, ...]

    def __str__(self) -> str:
        where = ", ".join(self.locations) or "no longer in the source"
        context = f" [context {self.context!r}]" if self.context else ""
        return f"{self.language}: {self.reason}: {self.msgid!r}{context} ({where})"


def source_files(root: Path = PACKAGE_DIR) -> tuple[list[Path], list[Path]]:
    """Python modules and HTML templates to extract from, in a stable order."""

    def keep(path: Path) -> bool:
        parts = set(path.relative_to(root).parts[:-1])
        return not (parts & EXCLUDED_PARTS) and not path.name.startswith("test_")

    python = sorted(path for path in root.rglob("*.py") if keep(path))
    templates = sorted(
        path for path in root.rglob("*.html") if keep(path) and "templates" in path.relative_to(root).parts
    )
    return python, templates


def _python_messages(source: str) -> Iterator[tuple[int, str | tuple[str, ...], list[str], str | None]]:
    yield from extract(
        "python",
        io.BytesIO(source.encode("utf-8")),
        keywords=KEYWORDS,
        comment_tags=COMMENT_TAGS,
        options={"encoding": "utf-8"},
        strip_comment_tags=True,
    )


def templatized(source: str, origin: str) -> str:
    """The template as ``makemessages`` hands it to ``xgettext``, with each line's indentation removed.

    ``xgettext`` ignores indentation; Python's tokenizer, which Babel uses, does not. The gettext calls
    ``templatize`` writes never span lines (it writes their strings with ``repr``), so stripping keeps every
    message and its line number."""
    from django.utils.translation.template import templatize

    return "\n".join(line.lstrip() for line in templatize(source, origin=origin).splitlines())


def build_template(root: Path = PACKAGE_DIR) -> Catalog:
    """Every translatable message of the package, with its locations (relative to the package)."""
    catalog = Catalog(domain=DOMAIN, project="bordermonitor", charset="utf-8")
    python, templates = source_files(root)
    sources: list[tuple[Path, str]] = [(path, path.read_text("utf-8")) for path in python]
    sources += [(path, templatized(path.read_text("utf-8"), str(path))) for path in templates]
    for path, source in sources:
        where = path.relative_to(root).as_posix()
        for lineno, message, comments, context in _python_messages(source):
            msgid: str | tuple[str, ...] = message
            if isinstance(message, tuple):
                # ngettext's third argument (the count) comes back as None; keep singular and plural.
                msgid = tuple(part for part in message if part is not None)[:2]
                if len(msgid) == 1:
                    msgid = msgid[0]
            if not msgid:
                continue
            catalog.add(msgid, None, [(where, lineno)], auto_comments=comments, context=context or None)
    return catalog


def po_path(language: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(path: Path, language: str) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def write_catalog(catalog: Catalog, path: Path) -> None:
    buffer = io.BytesIO()
    write_po(buffer, catalog, sort_output=True, ignore_obsolete=True, include_previous=False, width=76)
    # Babel splits "Project-Id-Version: bordermonitor" into an empty project and a version, then joins
    # them back with a space; keep the header as it was written.
    path.write_bytes(buffer.getvalue().replace(b'"Project-Id-Version:  ', b'"Project-Id-Version: ', 1))


def update(
    *, languages: Iterable[str] = LANGUAGES, locale_dir: Path = LOCALE_DIR, root: Path = PACKAGE_DIR
) -> dict[str, tuple[int, int]]:
    """Merge the extracted messages into each catalogue; returns (messages, dropped) per language.

    Existing translations are kept by exact msgid and context; no guessed ("fuzzy") matches are made,
    so a translation is never silently attached to a different sentence. Messages no longer in the
    source are dropped (git history keeps them)."""
    template = build_template(root)
    counts = {}
    for language in languages:
        path = po_path(language, locale_dir)
        catalog = read_catalog(path, language)
        header_comment = catalog.header_comment
        before = {_key(message) for message in catalog if message.id}
        # The creation date moves only when the set of messages does, so a no-op update changes no byte.
        changed = before != {_key(message) for message in template if message.id}
        catalog.update(template, no_fuzzy_matching=True, update_creation_date=changed)
        catalog.header_comment = header_comment
        if language in PLURAL_FORMS:
            catalog.mime_headers = [("Plural-Forms", PLURAL_FORMS[language])]
        write_catalog(catalog, path)
        after = {_key(message) for message in catalog if message.id}
        counts[language] = (len(after), len(before - after))
    return counts


def _key(message: Message) -> tuple[str | tuple[str, ...], str | None]:
    return (tuple(message.id) if isinstance(message.id, list) else message.id, message.context)


def _strings(message: Message) -> list[str]:
    if isinstance(message.string, (list, tuple)):
        return list(message.string)
    return [message.string or ""]


def problems(
    *, languages: Iterable[str] = LANGUAGES, locale_dir: Path = LOCALE_DIR, root: Path = PACKAGE_DIR
) -> list[Problem]:
    """Messages of the source that some language lacks: missing, empty (any plural form) or fuzzy."""
    template = build_template(root)
    found = []
    for language in languages:
        catalog = read_catalog(po_path(language, locale_dir), language)
        for wanted in template:
            if not wanted.id:
                continue
            where = tuple(f"{file}:{line}" for file, line in wanted.locations)
            text = wanted.id if isinstance(wanted.id, str) else wanted.id[0]
            have = catalog.get(wanted.id, context=wanted.context)
            reason = None
            if have is None:
                reason = "not in the catalogue (run update)"
            elif isinstance(wanted.id, tuple) != isinstance(have.id, tuple):
                reason = "plural forms differ (run update)"
            elif have.fuzzy:
                reason = "fuzzy"
            elif isinstance(wanted.id, tuple) and len(_strings(have)) != catalog.num_plurals:
                reason = f"needs {catalog.num_plurals} plural forms"
            elif not all(part.strip() for part in _strings(have)):
                reason = "untranslated"
            if reason:
                found.append(Problem(language, text, wanted.context, reason, where))
    return found


def placeholders(text: str) -> list[str]:
    """The printf-style (``%(name)s``, ``%s``) and ``str.format`` (``{name}``) placeholders of a text."""
    found = [match.group(0) for match in _PRINTF.finditer(text) if match.group(0) != "%%"]
    found += ["{" + match.group("name") + "}" for match in _BRACES.finditer(text)]
    return sorted(found)


def main(argv: list[str]) -> int:
    command = argv[1:]
    if command == ["update"]:
        for language, (count, dropped) in update().items():
            print(f"{language}: {count} messages ({dropped} no longer in the source, dropped)")
        return 0
    if command == ["check"]:
        found = problems()
        for problem in found:
            print(problem)
        if found:
            print(f"{len(found)} messages need a translation", file=sys.stderr)
            return 1
        print("every message is translated in " + ", ".join(LANGUAGES))
        return 0
    print("usage: python -m bordermonitor.web.i18n_catalog update|check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
