"""Every app's catalogs in Spanish and Arabic: complete, reviewed, placeholders intact,
compiled, and used by the pages.

After changing a user-facing string, run `make messages`, translate what it marks new or
fuzzy in each app's locale/es and locale/ar, and commit the .po and .mo files together.
"""

import re
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.urls import reverse
from django.utils import translation

TANDEM = Path(__file__).resolve().parents[2] / "tandem"
LANGUAGES = ("es", "ar")
APPS_WITH_TEMPLATES = {path.parent.name for path in TANDEM.glob("*/templates")}
APPS_WITH_CATALOGS = {path.parent.name for path in TANDEM.glob("*/locale")}
CATALOGS = [
    pytest.param(app, language, id=f"{app}-{language}")
    for app in sorted(APPS_WITH_TEMPLATES | APPS_WITH_CATALOGS)
    for language in LANGUAGES
]
ARABIC_PLURAL_FORMS = (
    "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
    "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;"
)

NAMED = re.compile(r"%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
POSITIONAL = re.compile(r"%(?!\()[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
BRACED = re.compile(r"(?<!\{)\{(\w*)\}(?!\})")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def po_path(app: str, language: str) -> Path:
    return TANDEM / app / "locale" / language / "LC_MESSAGES" / "django.po"


def catalog(app: str, language: str) -> polib.POFile:
    path = po_path(app, language)
    assert path.exists(), f"{app} has no {language} catalog: run `make messages`"
    return polib.pofile(str(path))


def live_entries(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete]


def placeholders(text: str) -> tuple[frozenset, tuple, Counter]:
    """Named %(x)s and {x} placeholders as a set, positional %s in order, and HTML tags."""
    named = frozenset(NAMED.findall(text.replace("%%", ""))) | frozenset(
        "{" + name + "}" for name in BRACED.findall(text)
    )
    positional = tuple(POSITIONAL.findall(text.replace("%%", "")))
    return named, positional, Counter(TAG.findall(text))


def compiled(entries) -> dict:
    """(context, msgid) → translation, for what msgfmt puts in a .mo file: every entry
    but the header, obsolete, fuzzy and untranslated ones."""
    result = {}
    for entry in entries:
        if not entry.msgid or entry.obsolete or "fuzzy" in getattr(entry, "flags", ()):
            continue
        if entry.msgid_plural:
            forms = tuple(entry.msgstr_plural[form] for form in sorted(entry.msgstr_plural))
            if all(forms):
                result[entry.msgctxt, entry.msgid] = (entry.msgid_plural, forms)
        elif entry.msgstr:
            result[entry.msgctxt, entry.msgid] = entry.msgstr
    return result


def test_every_app_with_templates_has_spanish_and_arabic_catalogs():
    missing = [
        f"{app}/{language}"
        for app in sorted(APPS_WITH_TEMPLATES)
        for language in LANGUAGES
        if not po_path(app, language).exists()
    ]
    assert not missing, f"No catalog for {missing}: run `make messages` and translate"


@pytest.mark.parametrize(("app", "language"), CATALOGS)
def test_the_catalog_header_names_its_language_and_plural_rule(app, language):
    po = catalog(app, language)
    assert not po.metadata_is_fuzzy, "remove the header's fuzzy flag once it is filled in"
    assert po.metadata["Language"] == language
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    if language == "ar":
        assert po.metadata["Plural-Forms"] == ARABIC_PLURAL_FORMS


@pytest.mark.parametrize(("app", "language"), CATALOGS)
def test_every_string_is_translated_and_reviewed(app, language):
    po = catalog(app, language)
    entries = live_entries(po)
    forms = int(re.search(r"nplurals=(\d+)", po.metadata["Plural-Forms"]).group(1))
    untranslated = [
        entry.msgid
        for entry in entries
        if not entry.translated() or (entry.msgid_plural and len(entry.msgstr_plural) != forms)
    ]
    fuzzy = [entry.msgid for entry in entries if entry.fuzzy]
    assert not untranslated, f"untranslated in {app}/{language}: {untranslated}"
    assert not fuzzy, f"fuzzy (check, then remove the flag) in {app}/{language}: {fuzzy}"


@pytest.mark.parametrize(("app", "language"), CATALOGS)
def test_translations_keep_the_placeholders_and_tags(app, language):
    """A translation has the English text's placeholders and tags, no more and no fewer.

    Plural forms for one, two or zero may spell the number out ("دقيقتان") and leave a
    named count out, but never add a placeholder; the general form keeps them all.
    """
    wrong = []
    for entry in live_entries(catalog(app, language)):
        if not entry.msgid_plural:
            if placeholders(entry.msgstr) != placeholders(entry.msgid):
                wrong.append((entry.msgid, entry.msgstr))
            continue
        named, positional, tags = placeholders(entry.msgid_plural)
        forms = [entry.msgstr_plural[form] for form in sorted(entry.msgstr_plural)]
        for text in forms:
            form_named, form_positional, form_tags = placeholders(text)
            if not form_named <= named or form_positional != positional or form_tags != tags:
                wrong.append((entry.msgid_plural, text))
        if forms and placeholders(forms[-1]) != (named, positional, tags):
            wrong.append((entry.msgid_plural, forms[-1]))
    assert not wrong, f"placeholders or tags differ in {app}/{language}: {wrong}"


@pytest.mark.parametrize(("app", "language"), CATALOGS)
def test_the_committed_mo_file_is_compiled_from_the_po_file(app, language):
    po = catalog(app, language)
    mo_path = po_path(app, language).with_suffix(".mo")
    assert mo_path.exists(), f"run `tandem compilemessages` for {app}/{language}"
    assert compiled(polib.mofile(str(mo_path))) == compiled(po), (
        f"{mo_path} is out of date: run `tandem compilemessages`"
    )


@pytest.mark.parametrize(("app", "language"), CATALOGS)
def test_pages_show_each_catalogs_own_translations(app, language):
    """Django merges every catalog into one per language, and when two translate the same
    English differently the app listed first in INSTALLED_APPS wins (Django's own apps
    come first). Translate it the same way, or give it a context: pgettext, or
    {% translate "Change" context "language switcher" %}."""
    overridden = []
    with translation.override(language):
        for entry in live_entries(catalog(app, language)):
            if entry.msgid_plural or not entry.msgstr:
                continue
            if entry.msgctxt:
                shown = translation.pgettext(entry.msgctxt, entry.msgid)
            else:
                shown = translation.gettext(entry.msgid)
            if shown != entry.msgstr:
                overridden.append((entry.msgid, entry.msgstr, shown))
    assert not overridden, f"another catalog's translation wins over {app}/{language}: {overridden}"


def test_the_sign_in_page_speaks_spanish_once_chosen_in_the_language_switcher(db, client):
    sign_in = reverse("accounts:sign-in")
    client.post(reverse("web:set-language"), {"language": "es", "next": sign_in})

    page = client.get(sign_in).text

    assert '<html lang="es" dir="ltr">' in page
    assert "Saltar al contenido" in page  # the shared layout (web)
    assert "Enviarme un código" in page  # the sign-in form (accounts)
    assert "Skip to content" not in page


def test_the_sign_in_page_reads_right_to_left_in_arabic(db, client):
    page = client.get(reverse("accounts:sign-in"), HTTP_ACCEPT_LANGUAGE="ar").text

    assert '<html lang="ar" dir="rtl">' in page
    assert "انتقل إلى المحتوى" in page
    assert "أرسل لي رمزًا" in page
