"""Translators' round trip: export XLIFF 1.2 or PO, edit as a CAT tool would, import, build;
stale translations tracked in translations.lock."""

from __future__ import annotations

import difflib
import shutil
import subprocess
from pathlib import Path

import pytest
import xmlschema
from babel.messages.pofile import read_po
from lxml import etree

from conftest import REPOSITORY, run_cli, soup, tree_digest, write_files
from eventsite.coverage import measure_units, translatable_texts
from eventsite.load import load_site
from eventsite.translate import segmented, to_markdown
from eventsite.units import LOCK, read_lock, units_of

XLF = "{urn:oasis:names:tc:xliff:document:1.2}"
SCHEMAS = Path(__file__).parent / "schemas"

AGENDA = """\
# The sample meeting: comments must survive an import.
site:
  locales: [en, es, fr]
event:
  id: sample
  title: {en: Sample Meeting, es: Reunión de ejemplo, fr: Réunion exemple}
  organizer:
    name: {en: Sample Body, es: Organismo de ejemplo, fr: Organisme exemple}
  timezone: America/Mexico_City
  description:
    en: "A meeting about *Taking Stock Online*."
    es: "Una reunión sobre *En balance en línea*."
    fr: "Une réunion sur *À l'heure des comptes en ligne*."
  venue:
    name: Hotel Sample   # a proper name: the same in every language
    street: Calle 1
    locality: {en: Mexico City, es: Ciudad de México, fr: Mexico}
    country: MX
people:
  - id: ana
    name: Ana Example
    role: {en: Chair, es: Presidenta, fr: Présidente}
days:
  - date: 2025-02-26
    sessions:
      # the first session
      - id: opening
        number: 1
        start: "09:00"
        end: "09:20"
        title:
          en: "Opening"
          es: "Apertura"
          fr: "Ouverture"
        description:
          en: "Read the **rules** and [the venue page](venue.md) first."
        speakers: [ana]
      - id: talk
        number: 2
        start: "09:20"
        end: "10:00"
        title: {en: The first talk, fr: La première conférence}
        description: {en: "A talk.", es: "Una charla.", fr: "Une conférence."}
"""

VENUE = {
    "en": """\
---
title: "Venue"
description: "Where the meeting is."
menu: 3
---
## Getting there

The hotel is **near the Zócalo**: see [the map](https://example.org/map).

- By metro
- By bus
""",
    "es": """\
---
title: "Sede"
description: "Dónde es la reunión."
menu: 3
---
## Cómo llegar

El hotel está **cerca del Zócalo**: vea [el mapa](https://example.org/map).

- En metro
- En autobús
""",
}


@pytest.fixture
def site(tmp_path) -> Path:
    files = {"agenda.yaml": AGENDA, "content/en/venue.md": VENUE["en"],
             "content/es/venue.md": VENUE["es"], "content/fr/venue.md": VENUE["es"],
             "glossary.csv": "en,es,fr,note\nTaking Stock Online,En balance en línea,"
                             "À l'heure des comptes en ligne,The CEC's website.\n"}
    return write_files(tmp_path / "site", files)


def export(site: Path, *args: str) -> Path:
    result = run_cli("translate", "export", "--site", str(site), "--out", str(site / "out"),
                     *args)
    assert result.returncode == 0, result.stderr
    return site / "out"


def units_by_id(document) -> dict:
    return {unit.get("id"): unit for unit in document.iter(f"{XLF}trans-unit")}


def set_target(unit, text: str, state: str = "translated", qualifier: str | None = None):
    """Replace a unit's target as a CAT tool does: text and placeholders, then its state."""
    target = unit.find(f"{XLF}target")
    if target is None:
        target = etree.Element(f"{XLF}target")
        unit.find(f"{XLF}source").addnext(target)
    fragment = etree.fromstring(f'<target xmlns="urn:oasis:names:tc:xliff:document:1.2">'
                                f"{text}</target>")
    target.clear()
    target.text = fragment.text
    target.extend(list(fragment))
    target.set("state", state)
    if qualifier:
        target.set("state-qualifier", qualifier)
    return target


def test_a_cat_tools_round_trip_reaches_the_pages_and_changes_only_those_values(site):
    before = (site / "agenda.yaml").read_text("utf-8")
    out = export(site, "--lang", "es")
    xlf = out / "sample.es.xlf"
    document = etree.parse(str(xlf))
    units = units_by_id(document)
    assert units["sessions/talk/title"].find(f"{XLF}target") is None  # missing in es
    set_target(units["sessions/talk/title"], "La primera charla")
    set_target(units["sessions/opening/title"], "Apertura oficial")
    # The translator moves the link before the emphasis: placeholders reordered.
    set_target(units["sessions/opening/description"],
               'Lea primero <g id="2" ctype="x-link">la página de la sede</g> y las '
               '<g id="1" ctype="bold">reglas</g>.', "needs-review-translation", "mt-suggestion")
    set_target(units["pages/venue/body/2"], 'El hotel queda <g id="1">junto al Zócalo</g>: '
               'consulte <g id="2">el mapa</g>.')
    document.write(str(xlf), xml_declaration=True, encoding="UTF-8")

    result = run_cli("translate", "import", "--site", str(site), str(xlf))
    assert result.returncode == 0, result.stderr

    after = (site / "agenda.yaml").read_text("utf-8")
    changed = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(),
                                                       lineterm="", n=0)
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == [
        '-          es: "Apertura"', '+          es: "Apertura oficial"',
        '+          es: "Lea primero [la página de la sede](venue.md) y las **reglas**."',
        '-        title: {en: The first talk, fr: La première conférence}',
        '+        title: {en: The first talk, es: La primera charla, fr: La première conférence}']
    assert "# the first session" in after and "# a proper name" in after
    page = (site / "content/es/venue.md").read_text("utf-8")
    assert ("El hotel queda **junto al Zócalo**: consulte [el mapa](https://example.org/map)."
            in page and "## Cómo llegar" in page and "- En metro\n- En autobús" in page)

    built = run_cli("build", "--no-pdf", "--site", str(site), "--out", str(site / "dist"))
    assert built.returncode == 0, built.stderr
    opening = soup(site / "dist/es/agenda/opening/index.html")
    assert opening.h1.get_text(strip=True).endswith("Apertura oficial")
    assert opening.find("a", string="la página de la sede") is not None
    notice = opening.find("p", class_="notice")
    assert "traduj" in notice.get_text() and notice.a["href"] == "../../../en/agenda/opening/"
    assert "La primera charla" in soup(site / "dist/es/agenda/index.html").get_text()
    assert soup(site / "dist/fr/agenda/opening/index.html").find("p", class_="notice") is None
    assert soup(site / "dist/es/venue/index.html").find("p", class_="notice") is None
    assert soup(site / "dist/es/venue/index.html").find("strong").get_text() == "junto al Zócalo"

    lock = read_lock(site)
    assert lock[("es", "sessions/opening/description")].state == "machine"
    assert lock[("es", "sessions/talk/title")].state == "translated"
    first = export(site, "--lang", "es")
    copy = site.parent / "first.xlf"
    shutil.copy(first / "sample.es.xlf", copy)
    again = export(site, "--lang", "es")
    assert (again / "sample.es.xlf").read_bytes() == copy.read_bytes()

    # Reviewed: the state changes to final, and the notice goes.
    document = etree.parse(str(again / "sample.es.xlf"))
    target = units_by_id(document)["sessions/opening/description"].find(f"{XLF}target")
    assert (target.get("state"), target.get("state-qualifier")) == (
        "needs-review-translation", "mt-suggestion")
    target.set("state", "final")
    del target.attrib["state-qualifier"]
    document.write(str(again / "sample.es.xlf"), xml_declaration=True, encoding="UTF-8")
    assert run_cli("translate", "import", "--site", str(site),
                   str(again / "sample.es.xlf")).returncode == 0
    assert read_lock(site)[("es", "sessions/opening/description")].state == "translated"
    assert load_site(site).unreviewed == frozenset()


def test_a_source_changed_after_export_is_refused_and_reported_stale(site):
    out = export(site, "--lang", "es")
    assert run_cli("translate", "baseline", "--site", str(site)).returncode == 0
    xlf = out / "sample.es.xlf"
    document = etree.parse(str(xlf))
    set_target(units_by_id(document)["sessions/opening/title"], "Inauguración")
    set_target(units_by_id(document)["event/title"], "Reunión de muestra")
    document.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    agenda = (site / "agenda.yaml").read_text("utf-8")
    (site / "agenda.yaml").write_text(agenda.replace('en: "Opening"', 'en: "Official opening"'),
                                      "utf-8")
    files = tree_digest(site)

    result = run_cli("translate", "import", "--site", str(site), str(xlf))
    line = units_by_id(etree.parse(str(xlf)))["sessions/opening/title"].sourceline
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f'error: {xlf}:{line}: unit "sessions/opening/title": its en text changed since this '
        'file was exported; it is now "Official opening". Export the unit again (translate '
        "export --lang es --only stale) and translate the new text.")
    assert tree_digest(site) == files  # nothing written, not even the good unit

    rows = {(row.locale, row.file): row for row in measure_units(load_site(site), site)}
    assert rows[("es", "agenda.yaml")].units["stale"] == 1
    assert rows[("es", "agenda.yaml")].words["stale"] == 2
    assert rows[("fr", "agenda.yaml")].units["stale"] == 1
    assert rows[("es", "agenda.yaml")].units["missing"] == 2  # the talk's title, a description
    checked = run_cli("check", "--site", str(site))
    assert "es      agenda.yaml" in checked.stdout
    strict = run_cli("build", "--strict", "--no-pdf", "--site", str(site), "--out",
                     str(site / "dist"))
    assert strict.returncode == 1
    line = agenda.splitlines().index('          en: "Opening"') + 1
    assert (f"error: agenda.yaml:{line}:11: "
            "the es translation of sessions/opening/title was made from an earlier en text"
            in strict.stderr)

    stale = export(site, "--lang", "es", "--only", "stale")
    stale_units = units_by_id(etree.parse(str(stale / "sample.es.xlf")))
    assert list(stale_units) == ["sessions/opening/title"]
    assert stale_units["sessions/opening/title"].find(f"{XLF}target").get("state") == (
        "needs-translation")


@pytest.mark.parametrize("edit, message", [
    (lambda units: units["event/title"].set("id", "event/titel"),
     'unit "event/titel" is not a text of this site'),
    (lambda units: set_target(units["pages/venue/body/2"], "El hotel queda cerca: "
                              '<g id="2">el mapa</g>.'),
     'unit "pages/venue/body/2": placeholder 1 of the source is missing'),
    (lambda units: set_target(units["pages/venue/body/2"], '<g id="1">A</g> <g id="1">B</g> '
                              '<g id="2">C</g>'),
     'unit "pages/venue/body/2": placeholder 1 appears 2 times'),
    (lambda units: set_target(units["pages/venue/body/2"], '<ph id="1">**</ph>A <g id="2">B</g>'),
     'unit "pages/venue/body/2": <ph> is not a placeholder this site wrote'),
])
def test_unknown_units_and_broken_placeholders_are_refused_with_their_line(site, edit, message):
    xlf = export(site, "--lang", "es") / "sample.es.xlf"
    document = etree.parse(str(xlf))
    edit(units_by_id(document))
    document.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    files = tree_digest(site)
    result = run_cli("translate", "import", "--site", str(site), str(xlf))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"error: {xlf}:" in result.stderr and message in result.stderr
    assert tree_digest(site) == files


def test_a_day_file_gets_its_translations_and_a_cat_tools_segment_markers_are_read(site):
    agenda = (site / "agenda.yaml").read_text("utf-8")
    head, day = agenda.split("  - date: 2025-02-26\n")
    (site / "days").mkdir()
    # Written in another usual style: the list's dashes level with their key.
    lines = [line[6:] for line in day.splitlines()[1:]]
    (site / "days/day-1.yaml").write_text(
        "# day 1\ndate: 2025-02-26\nsessions:\n" + "\n".join(lines) + "\n", "utf-8")
    day_before = (site / "days/day-1.yaml").read_text("utf-8")
    (site / "agenda.yaml").write_text(head + "  - include: days/day-1.yaml\n", "utf-8")
    xlf = export(site, "--lang", "es") / "sample.es.xlf"
    document = etree.parse(str(xlf))
    set_target(units_by_id(document)["sessions/talk/title"],
               '<mrk mtype="seg" mid="1">La primera charla</mrk>')
    document.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    before = (site / "agenda.yaml").read_text("utf-8")
    assert run_cli("translate", "import", "--site", str(site), str(xlf)).returncode == 0
    assert (site / "agenda.yaml").read_text("utf-8") == before
    day_after = (site / "days/day-1.yaml").read_text("utf-8")
    assert [line for line in difflib.ndiff(day_before.splitlines(), day_after.splitlines())
            if line[:1] in "+-"] == [
        "-   title: {en: The first talk, fr: La première conférence}",
        "+   title: {en: The first talk, es: La primera charla, fr: La première conférence}"]
    assert day_after.startswith("# day 1\ndate: 2025-02-26\nsessions:\n# the first session\n"
                                "- id: opening\n")


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_file_for_a_language_the_site_does_not_translate_into_is_refused(site, language):
    xlf = export(site, "--lang", "es") / "sample.es.xlf"
    xlf.write_text(xlf.read_text("utf-8").replace('target-language="es"',
                                                  f'target-language="{language}"'), "utf-8")
    files = tree_digest(site)
    result = run_cli("translate", "import", "--site", str(site), str(xlf))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f'error: {xlf}: "{language}" is not a language to translate into on this site (es, fr; '
        "the source is en). Choose one of them.")
    assert tree_digest(site) == files


def test_the_exported_xliff_is_valid_xliff_1_2_and_opens_with_translate_toolkit(tmp_path):
    from translate.storage import factory

    out = export_real(tmp_path, "--lang", "es")
    xlf = out / "prtr-2025.es.xlf"
    schema = xmlschema.XMLSchema(SCHEMAS / "xliff-core-1.2-strict.xsd")
    schema.validate(str(xlf))
    root = etree.parse(str(xlf)).getroot()
    assert (root.get("version"), root.tag) == ("1.2", f"{XLF}xliff")
    store = factory.getobject(str(xlf))
    site = load_site(REPOSITORY)
    expected = units_of(site, "es")
    assert [unit.xmlelement.get("id") for unit in store.units] == [u.id for u in expected]
    assert "sessions/session-4/title" in {u.id for u in expected}
    assert "pages/venue/body/3" in {u.id for u in expected}
    assert all(unit.target for unit in store.units)  # the site is fully translated
    notes = {unit.xmlelement.get("id"): unit.getnotes() for unit in store.units}
    assert notes["sessions/session-1/title"] == (
        "Context: the title of session session-1 (2025-02-26 09:00–09:20; speakers: Orlando "
        "Cabrera, Sergio Z. Hernández Villaseñor).")
    assert "Official term: see glossary (" in notes["sessions/session-3/title"]
    assert "Taking Stock Online = En balance en línea" in notes["sessions/session-3/title"]
    memory = factory.getobject(str(out / "prtr-2025.es.tmx"))
    assert len(memory.units) == len(expected)
    assert "Taking Stock Online,En balance en línea" in (
        out / "prtr-2025.es.glossary.csv").read_text("utf-8")


def export_real(tmp_path: Path, *args: str) -> Path:
    result = run_cli("translate", "export", "--out", str(tmp_path), *args)
    assert result.returncode == 0, result.stderr
    return tmp_path


def test_the_exported_po_passes_msgfmt_check_loads_with_babel_and_imports(tmp_path, site):
    po = export_real(tmp_path, "--lang", "fr", "--format", "po") / "prtr-2025.fr.po"
    if shutil.which("msgfmt") is None:
        pytest.skip("gettext's msgfmt is not installed (.ci/run installs it)")
    checked = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    with po.open("rb") as handle:
        catalog = read_po(handle)
    assert len([m for m in catalog if m.id]) == len(units_of(load_site(REPOSITORY), "fr"))

    out = export(site, "--lang", "es", "--format", "po")
    text = (out / "sample.es.po").read_text("utf-8")
    assert 'msgid "The hotel is {1}near the Zócalo{/1}: see {2}the map{/2}."' in text
    text = text.replace(
        'msgstr "El hotel está {1}cerca del Zócalo{/1}: vea {2}el mapa{/2}."',
        'msgstr "Vea {2}el mapa{/2}: el hotel está {1}al lado del Zócalo{/1}."')
    (out / "sample.es.po").write_text(text, "utf-8")
    assert run_cli("translate", "import", "--site", str(site),
                   str(out / "sample.es.po")).returncode == 0
    assert ("Vea [el mapa](https://example.org/map): el hotel está **al lado del Zócalo**."
            in (site / "content/es/venue.md").read_text("utf-8"))
    broken = text.replace("{/2}: el hotel", ": el hotel")
    (out / "sample.es.po").write_text(broken, "utf-8")
    result = run_cli("translate", "import", "--site", str(site), str(out / "sample.es.po"))
    assert result.returncode == 1 and "{2} is never closed with {/2}" in result.stderr


def test_every_translatable_text_is_a_unit_and_its_markdown_survives_placeholders():
    site = load_site(REPOSITORY)
    for locale in ("es", "fr"):
        units = units_of(site, locale)
        agenda = [unit for unit in units if not unit.id.startswith("pages/")]
        assert len(agenda) == len(translatable_texts(site.event))
        assert len({unit.id for unit in units}) == len(units)
        for unit in units:
            source = segmented(unit, unit.source)
            assert source.prefix + to_markdown(source.segments, source.tags) == unit.source


def test_the_committed_baseline_is_current():
    """translations.lock records every translation of the PRTR site from its current source:
    after merging a revised text, `python build.py translate baseline` refreshes it."""
    site = load_site(REPOSITORY)
    lock = read_lock(REPOSITORY)
    assert (REPOSITORY / LOCK).read_text("utf-8").count("\n") > 100
    rows = measure_units(site, REPOSITORY)
    assert sum(row.units["stale"] + row.units["missing"] for row in rows) == 0
    assert {key for key in lock} == {(locale, unit.id) for locale in ("es", "fr")
                                     for unit in units_of(site, locale)}


def test_a_yaml_file_whose_layout_cannot_be_kept_is_refused_rather_than_reformatted():
    from eventsite.errors import SiteError
    from eventsite.translate import _load_keeping_layout

    mixed = "a:\n  b: 1\nc:\n    d: 2\n"  # mappings indented by 2, then by 4
    with pytest.raises(SiteError, match="indentation is mixed"):
        _load_keeping_layout(mixed, "agenda.yaml")
    _, tree = _load_keeping_layout("a:\n    b: 1\n", "agenda.yaml")
    assert tree["a"]["b"] == 1
