"""The interface is fully translated into French, Arabic and Farsi, and the translations work on the pages.

A message added to the code without a translation fails here with its text and where it comes from; run
``python -m bordermonitor.web.i18n_catalog update``, translate, and compile (docs/translations.md)."""

from __future__ import annotations

import io
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from django.test import Client
from django.utils import translation

from bordermonitor.storage.models import Report
from bordermonitor.web.i18n_catalog import (
    LANGUAGES,
    PLURAL_FORMS,
    build_template,
    placeholders,
    po_path,
    problems,
    read_catalog,
    update,
)
from bordermonitor.web.translations import compile_all


@pytest.fixture(scope="module")
def template() -> Catalog:
    return build_template()


@pytest.fixture(scope="module")
def catalogues() -> dict[str, Catalog]:
    return {language: read_catalog(po_path(language), language) for language in LANGUAGES}


def _forms(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]


# --- extraction ---------------------------------------------------------------------------------------------


def test_extraction_finds_python_template_plural_and_context_messages(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "web" / "templates" / "x").mkdir(parents=True)
    (package / "storage" / "migrations").mkdir(parents=True)
    (package / "web" / "module.py").write_text(
        "from django.utils.translation import gettext_lazy as _, ngettext, pgettext\n"
        "A = _('Plain')\n"
        "B = ngettext('%(n)s file', '%(n)s files', 2)\n"
        "C = pgettext('token state', 'State')\n",
        "utf-8",
    )
    (package / "storage" / "migrations" / "0001_x.py").write_text("_('Not extracted')\n", "utf-8")
    (package / "web" / "templates" / "x" / "page.html").write_text(
        "{% load i18n %}\n<div>\n    {% translate 'Heading' %}\n"
        "    {% blocktranslate with name=user.name %}Hello {{ name }}, 100%{% endblocktranslate %}\n"
        "    {% blocktranslate count n=items|length %}{{ n }} item{% plural %}{{ n }} items{% endblocktranslate %}\n"
        "</div>\n",
        "utf-8",
    )

    found = {
        (m.id if isinstance(m.id, str) else tuple(m.id), m.context): m
        for m in build_template(package)
        if m.id
    }

    assert set(found) == {
        ("Plain", None),
        (("%(n)s file", "%(n)s files"), None),
        ("State", "token state"),
        ("Heading", None),
        ("Hello %(name)s, 100%%", None),
        (("%(n)s item", "%(n)s items"), None),
    }
    assert found[("Heading", None)].locations == [("web/templates/x/page.html", 3)]


def test_update_keeps_translations_adds_new_messages_and_check_lists_them(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "views.py").write_text("_('Kept')\n_('New')\n", "utf-8")
    po = tmp_path / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        '# French.\nmsgid ""\nmsgstr ""\n"Language: fr\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Kept"\nmsgstr "Conservé"\n\nmsgid "Gone"\nmsgstr "Parti"\n',
        "utf-8",
    )

    update(languages=["fr"], locale_dir=tmp_path / "locale", root=package)
    catalogue = read_catalog(po, "fr")
    first = po.read_bytes()
    update(languages=["fr"], locale_dir=tmp_path / "locale", root=package)

    assert catalogue.get("Kept").string == "Conservé"
    assert not catalogue.get("Kept").fuzzy
    assert catalogue.get("New").string == ""
    assert catalogue.get("Gone") is None
    assert po.read_bytes() == first
    assert po.read_text("utf-8").startswith("# French.")
    assert catalogue.plural_expr == "(n > 1)"
    found = problems(languages=["fr"], locale_dir=tmp_path / "locale", root=package)
    assert [(p.msgid, p.reason, p.locations) for p in found] == [("New", "untranslated", ("views.py:2",))]


def test_every_message_is_translated_in_every_language() -> None:
    missing = problems()
    assert not missing, "untranslated messages:\n" + "\n".join(str(problem) for problem in missing)


def test_catalogues_hold_no_fuzzy_or_stale_entries(template: Catalog, catalogues: dict[str, Catalog]) -> None:
    wanted = {(m.id if isinstance(m.id, str) else tuple(m.id), m.context) for m in template if m.id}
    for language, catalogue in catalogues.items():
        held = {(m.id if isinstance(m.id, str) else tuple(m.id), m.context) for m in catalogue if m.id}
        assert held == wanted, f"{language}: run `python -m bordermonitor.web.i18n_catalog update`"
        assert not [m.id for m in catalogue if m.id and m.fuzzy], language


# --- the translations themselves ----------------------------------------------------------------------------


def test_placeholders_of_each_message_survive_in_each_translation(catalogues: dict[str, Catalog]) -> None:
    wrong = []
    for language, catalogue in catalogues.items():
        for message in catalogue:
            if not message.id:
                continue
            ids = [message.id] if isinstance(message.id, str) else list(message.id)
            wanted = placeholders(ids[-1])
            for form in _forms(message):
                # Every form must carry the placeholders of the msgid: a missing one loses a fact, an extra
                # one breaks the page with a KeyError.
                if placeholders(form) != wanted:
                    wrong.append(f"{language}: {ids[0]!r} → {form!r}")
    assert not wrong, "\n".join(wrong)


def test_placeholder_check_catches_a_lost_or_renamed_placeholder() -> None:
    assert placeholders("Page %(number)s of %(total)s") == ["%(number)s", "%(total)s"]
    assert placeholders("Page %(number)s de %(totale)s") != placeholders("Page %(number)s of %(total)s")
    assert placeholders("100%% sure, %d files, État {n}") == ["%d", "{n}"]


def test_plural_forms_follow_django(catalogues: dict[str, Catalog]) -> None:
    assert catalogues["ar"].num_plurals == 6
    for language, catalogue in catalogues.items():
        assert f"nplurals={catalogue.num_plurals}; plural={catalogue.plural_expr};" == PLURAL_FORMS[language]
        for message in catalogue:
            if message.id and not isinstance(message.id, str):
                assert len(_forms(message)) == catalogue.num_plurals, (language, message.id)


def test_farsi_uses_persian_letters(catalogues: dict[str, Catalog]) -> None:
    arabic_only = {"ي": "ی", "ك": "ک"}
    wrong = [
        form
        for message in catalogues["fa"]
        if message.id
        for form in _forms(message)
        if set(form) & set(arabic_only)
    ]
    assert not wrong, wrong


def test_arrows_are_kept(catalogues: dict[str, Catalog]) -> None:
    for catalogue in catalogues.values():
        for message in catalogue:
            if isinstance(message.id, str) and "→" in message.id:
                assert all(form.count("→") == message.id.count("→") for form in _forms(message)), message.id


def test_catalogues_compile_with_babel(tmp_path: Path) -> None:
    for language in LANGUAGES:
        target = tmp_path / language / "LC_MESSAGES"
        target.mkdir(parents=True)
        (target / "django.po").write_bytes(po_path(language).read_bytes())
    written = compile_all(tmp_path)
    assert [path.parts[-3] for path in written] == sorted(LANGUAGES)
    for path in written:
        assert path.stat().st_size > 10_000, path


# --- pages ------------------------------------------------------------------------------------------------


def _compiled_is_current() -> None:
    """The pages read the ``.mo`` files (``make install`` compiles them); stale ones would test old text."""
    for language in LANGUAGES:
        buffer = io.BytesIO()
        write_mo(buffer, read_catalog(po_path(language), language), use_fuzzy=False)
        mo = po_path(language).with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != buffer.getvalue():
            pytest.fail(
                f"{mo} is not compiled from its .po: run `python -m bordermonitor.web.translations compile`"
            )


class _Text(HTMLParser):
    """The text a person reads or hears: text nodes and the labelling attributes."""

    ATTRIBUTES = frozenset({"aria-label", "alt", "title", "placeholder", "data-label"})

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._skip += 1
        if not (tag == "input" and dict(attrs).get("type") == "hidden"):
            self.chunks += [value for name, value in attrs if name in self.ATTRIBUTES and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.chunks.append(" ".join(data.split()))


def _text(response: object) -> str:
    parser = _Text()
    parser.feed(response.content.decode())  # type: ignore[attr-defined]
    return "\n".join(parser.chunks)


NAV = ("To review", "Reports", "Sign out", "Account and language")
PAGES: dict[str, tuple[str, tuple[str, ...]]] = {
    "home": (
        "reviewer@nnk.test",
        ("Overview", "Your organisations", "Headline figures", "Violence reported"),
    ),
    "list": (
        "reviewer@nnk.test",
        ("Search and filter", "Show reports", "Clear all filters", "Incident from"),
    ),
    "record": (
        "reviewer@nnk.test",
        ("History", "Chain pushback", "Expelled to", "Submitted", "Take in review", "Testimony"),
    ),
    "intake": ("documenter@nnk.test", ("Save and continue", "Steps of the report", "Kind of report")),
    "queue": (
        "reviewer@nnk.test",
        ("Reports of your organisations waiting for you, the longest waiting first.",),
    ),
}


def _address(page: str, world: dict[str, Report]) -> str:
    return {
        "home": "/",
        "list": "/reports/",
        "record": f"/reports/{world['nnk-shared'].pk}/",
        "intake": "/reports/new/",
        "queue": "/review/",
    }[page]


@pytest.mark.parametrize("language", ["ar", "fa"])
@pytest.mark.parametrize("page", sorted(PAGES))
def test_pages_show_no_english_in_arabic_and_farsi(
    page: str, language: str, login: Callable[[str], Client], network_world: dict[str, Report]
) -> None:
    _compiled_is_current()
    email, strings = PAGES[page]
    client = login(email)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    response = client.get(_address(page, network_world))
    assert response.status_code == 200
    assert f'lang="{language}" dir="rtl"' in response.content.decode()
    text = _text(response)

    with translation.override(language):
        for english in (*NAV, *strings):
            translated = translation.gettext(english)
            assert translated != english, (language, english)
            assert english not in text, f"{english!r} shown untranslated on {page} in {language}"
            assert translated in text, f"{translated!r} ({english!r}) missing on {page} in {language}"


def test_record_page_reads_in_arabic(
    login: Callable[[str], Client], network_world: dict[str, Report]
) -> None:
    """The words a reviewer meets first, checked against the glossary rather than the catalogue itself."""
    _compiled_is_current()
    client = login("reviewer@nnk.test")
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    text = _text(client.get(f"/reports/{network_world['nnk-shared'].pk}/"))
    for arabic in ("إعادة قسرية متسلسلة", "بانتظار المراجعة", "السجلّ الزمني", "الضرب", "هجوم الكلاب"):
        assert arabic in text, arabic
