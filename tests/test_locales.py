"""Any CLDR locale, any time zone: durations, language names, offsets on each day."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from conftest import SAMPLE_AGENDA, soup
from eventsite import formats
from eventsite.build import build_site
from eventsite.model import HouseStyle


def locales_agenda(*codes: str) -> str:
    """The sample agenda in other languages: every text in the first and the last."""
    first, last = codes[0], codes[-1]
    agenda = re.sub(r"\{en: ([^,}]*), es: [^,}]*, fr: ([^}]*)\}", rf"{{{first}: \1, {last}: \2}}",
                    SAMPLE_AGENDA)
    return agenda.replace("locales: [en, es, fr]", f"locales: [{', '.join(codes)}]")


@pytest.mark.parametrize("locale, expected", [
    ("de", "1 Std., 40 Min."), ("pt", "1 h 40 min"), ("pt-BR", "1 h 40 min"),
    ("ru", "1 ч 40 мин"), ("ar", "1 س 40 د"), ("zh", "1小时40分钟"), ("ja", "1 時間40 分"),
    ("en", "1 h 40 min"),
])
def test_durations_are_written_in_any_locale(locale, expected):
    style = HouseStyle(locale, locale.replace("-", "_"))
    written = formats.duration(timedelta(minutes=100), style)
    assert written.replace("\u00a0", " ") == expected
    assert "duration-" not in formats.duration(timedelta(minutes=30), style)


@pytest.mark.parametrize("code, name", [
    ("pt-BR", "Português (Brasil)"), ("es-MX", "Español de México"), ("en-GB", "British English"),
    ("fr-CA", "Français canadien"), ("de", "Deutsch"), ("tr", "Türkçe"), ("zh", "中文"),
])
def test_a_language_is_named_in_itself_as_cldr_writes_it(code, name):
    assert formats.own_language_name(code) == name


@pytest.mark.parametrize("codes", [("pt-BR", "de"), ("de", "pt-BR")])
def test_a_site_in_brazilian_portuguese_and_german_builds_in_both(sample_site, tmp_path, codes):
    site = sample_site({"agenda.yaml": locales_agenda(*codes), "content/en/about.md": None,
                        "content/es/about.md": None, "content/fr/about.md": None})
    build_site(site, tmp_path / "out")
    for code in codes:
        page = soup(tmp_path / "out" / code / "agenda" / "index.html")
        assert page.html["lang"] == code
        switcher = [a.get_text() for a in page.select("nav.languages a")]
        assert switcher == [formats.own_language_name(c) for c in codes] \
            == [{"pt-BR": "Português (Brasil)", "de": "Deutsch"}[c] for c in codes]
        assert "duration-" not in page.get_text()
        assert page.select_one("li#opening .duration").get_text() == \
            formats.duration(timedelta(minutes=20), HouseStyle(code, code.replace("-", "_")))


NEW_YORK_DST = SAMPLE_AGENDA.replace("America/Mexico_City", "America/New_York").replace(
    "  - date: 2025-02-26\n", "  - date: 2025-03-08\n") + """\
  - date: 2025-03-09
    sessions:
      - id: second
        start: "10:00"
        end: "11:00"
        title: {en: Second day, es: Segundo día, fr: Deuxième jour}
        speakers: [ana]
"""


def test_a_meeting_over_a_daylight_saving_change_names_each_days_offset(sample_site, tmp_path):
    build_site(sample_site({"agenda.yaml": NEW_YORK_DST}), tmp_path / "out")
    agenda = soup(tmp_path / "out/en/agenda/index.html")
    note = " ".join(agenda.select_one(".timezone-note").get_text().split())
    assert note == ("All times are New York time: UTC−5 on Saturday, March 8, 2025, "
                    "UTC−4 from Sunday, March 9, 2025.")
    times = [t["datetime"] for t in agenda.select("li.slot .time time")]
    assert "2025-03-08T09:00-05:00" in times and "2025-03-09T10:00-04:00" in times
    second = soup(tmp_path / "out/en/agenda/second/index.html")
    assert second.select_one(".when .zone").get_text() == "New York time\u00a0(UTC−4)"
    note = " ".join(soup(tmp_path / "out/fr/agenda/index.html")
                    .select_one(".timezone-note").get_text().split())
    assert note.startswith("Toutes les heures sont celles de New York : UTC−5 le samedi 8 "
                           "mars 2025, UTC−4 à partir du dimanche 9 mars 2025")


def test_adding_a_language_as_the_docs_say_works(sample_site, tmp_path):
    """docs/adding-a-language.md, step by step, for German on the sample site."""
    import subprocess
    import sys

    from babel.messages.pofile import read_po, write_po

    from conftest import REPOSITORY, SAMPLE_PAGE

    site = sample_site()
    # 1 and 2: declare German and translate the agenda's texts.
    agenda = (site / "agenda.yaml").read_text(encoding="utf-8")
    agenda = agenda.replace("locales: [en, es, fr]", "locales: [en, es, fr, de]")
    agenda = re.sub(r"(\{en: ([^,}]*), es: [^}]*)\}", r"\1, de: \2 (de)}", agenda)
    (site / "agenda.yaml").write_text(agenda, encoding="utf-8")
    # 3: make update.
    subprocess.run(["make", "-s", "update", f"SITE={site}"], cwd=REPOSITORY, check=True,
                   capture_output=True)
    catalog = site / "locales/de/LC_MESSAGES/messages.po"
    assert catalog.is_file() and not (site / "locales/es").exists()
    # 4: a translator fills in every msgstr.
    with catalog.open("rb") as handle:
        messages = read_po(handle, locale="de")
    for message in messages:
        if message.id:
            message.string = (tuple(f"{one} (de)" for one in message.id)
                              if message.pluralizable else f"{message.id} (de)")
    with catalog.open("wb") as handle:
        write_po(handle, messages)
    subprocess.run(["make", "-s", "compile", f"SITE={site}"], cwd=REPOSITORY, check=True,
                   capture_output=True)
    # 5: the pages.
    (site / "content/de").mkdir()
    (site / "content/de/about.md").write_text(SAMPLE_PAGE.format(title="Über"), "utf-8")
    # 6: check --strict, then build.
    check = subprocess.run([sys.executable, str(REPOSITORY / "build.py"), "check", "--strict",
                            "--site", str(site)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    assert re.search(r"^  de +\d+/\d+ 100% +1/1 100% +\d+/\d+ 100%$", check.stdout, re.M)
    build_site(site, tmp_path / "out")
    page = soup(tmp_path / "out/de/agenda/index.html")
    assert page.html["lang"] == "de" and page.h1.get_text() == "Agenda (de)"
    assert [a.get_text() for a in page.select("nav.languages a")] == [
        "English", "Español", "Français", "Deutsch"]


def test_each_language_has_the_city_names_and_slots_the_script_needs(sample_site, tmp_path):
    """/<locale>/times.json: browsers have no city names, so CLDR's are in it (only where they
    differ from the zone's own name); and every slot, for now/next."""
    build_site(sample_site(), tmp_path / "out")
    times = {locale: json.loads((tmp_path / "out" / locale / "times.json").read_text())
             for locale in ("en", "es", "fr")}
    assert times["es"]["cities"]["Europe/Paris"] == "París"
    assert times["es"]["cities"]["Asia/Tokyo"] == "Tokio"
    assert times["es"]["cities"]["Asia/Calcutta"] == times["es"]["cities"]["Asia/Kolkata"]
    assert "Europe/Paris" not in times["fr"]["cities"]  # "Paris", as the zone's name has it
    assert "America/Vancouver" not in times["en"]["cities"]
    assert [times[locale]["clock"]["hourCycle"] for locale in ("en", "es", "fr")] == [
        "h12", "h23", "h23"]
    assert [times[locale]["clock"]["hourMark"] for locale in ("en", "es", "fr")] == [
        False, False, True]
    slots = times["fr"]["slots"]
    assert [(s["id"], s["pause"], s["url"]) for s in slots] == [
        ("opening", False, "agenda/opening/"), ("pause", True, "agenda/#pause")]
    assert slots[0]["start"] == "2025-02-26T09:00-06:00" and "Ouverture" in slots[0]["title"]
    assert slots[1]["title"] == "Pause"
