"""Each language's house style: times, durations, the zone, date ranges, French typography and
the phone number, as a reader of each language expects them (terminology.md)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from conftest import SAMPLE_AGENDA, run_cli, soup
from eventsite import formats
from eventsite.build import build_site
from eventsite.model import HouseStyle
from eventsite.typography import french_text, french_typography

MEXICO = ZoneInfo("America/Mexico_City")
NBSP, NNBSP = "\u00a0", "\u202f"
FR, ES, EN = HouseStyle("fr", "fr_CA"), HouseStyle("es", "es_MX"), HouseStyle("en", "en")


def at(hour: int, minute: int = 0, zone: ZoneInfo = MEXICO) -> datetime:
    return datetime(2025, 2, 26, hour, minute, tzinfo=zone)


def spaced(text: str) -> str:
    """Every kind of space as a plain one, to compare the words."""
    return " ".join(text.replace("\u2009", " ").split())


@pytest.mark.parametrize("style, nine, twenty_past_nine, quarter_past_noon, evening", [
    (FR, "9 h", "9 h 20", "12 h 15", "16 h 45"),
    (HouseStyle("fr", "fr"), "9 h", "9 h 20", "12 h 15", "16 h 45"),
    (ES, "9:00", "9:20", "12:15", "16:45"),  # es_MX's CLDR clock is 12 hours: the house's is 24
    (HouseStyle("es", "es_MX", 12), "9:00 a.m.", "9:20 a.m.", "12:15 p.m.", "4:45 p.m."),
    (EN, "9:00 AM", "9:20 AM", "12:15 PM", "4:45 PM"),
    (HouseStyle("en", "en_GB", 12), "9:00 am", "9:20 am", "12:15 pm", "4:45 pm"),
    (HouseStyle("en", "en", 24), "09:00", "09:20", "12:15", "16:45"),
])
def test_times_are_written_in_each_languages_clock(style, nine, twenty_past_nine,
                                                   quarter_past_noon, evening):
    written = [formats.short_time(moment, style) for moment in
               (at(9), at(9, 20), at(12, 15), at(16, 45))]
    assert [spaced(time) for time in written] == [nine, twenty_past_nine, quarter_past_noon,
                                                  evening]
    assert not any(" " in time for time in written)  # a time never breaks across lines


@pytest.mark.parametrize("style, expected", [
    (FR, "9 h – 9 h 20"), (ES, "9:00 – 9:20"), (EN, "9:00 AM – 9:20 AM"),
    (HouseStyle("en", "en", 24), "09:00 – 09:20"),
])
def test_a_time_range_writes_both_ends_whole_and_never_starts_a_line_with_the_dash(style,
                                                                                   expected):
    written = formats.time_range(at(9), at(9, 20), style)
    assert spaced(written) == expected
    assert written[written.index("–") - 1] in (NBSP, NNBSP)


@pytest.mark.parametrize("style, minutes, expected", [
    (FR, 20, "20 min"), (FR, 60, "1 h"), (FR, 100, "1 h 40"), (FR, 125, "2 h 05"),
    (ES, 20, "20 min"), (ES, 60, "1 h"), (ES, 100, "1 h 40 min"),
    (EN, 20, "20 min"), (EN, 60, "1 h"), (EN, 100, "1 h 40 min"),
    (HouseStyle("en", "en_GB"), 20, "20 min"),  # CLDR's en_GB says "20 mins"
])
def test_durations_are_written_in_each_languages_house_style(style, minutes, expected):
    written = formats.duration(timedelta(minutes=minutes), style)
    assert written == expected.replace(" ", NBSP)  # "1 h" never split from its "40 min"


def test_the_offset_is_written_one_way_with_a_real_minus_sign():
    assert formats.utc_offset(at(9)) == "UTC\u22126"
    assert formats.utc_offset(at(9, zone=ZoneInfo("Asia/Kolkata"))) == "UTC+5:30"
    assert formats.utc_offset(at(9, zone=ZoneInfo("America/St_Johns"))) == "UTC\u22123:30"
    assert formats.utc_offset(at(9, zone=ZoneInfo("Europe/London"))) == "UTC"


@pytest.mark.parametrize("style, city", [
    (EN, "Mexico City"), (ES, "la Ciudad de México"), (FR, "Mexico"),
])
def test_the_zones_city_is_cldrs_as_running_text_writes_it(style, city):
    assert formats.zone_city("America/Mexico_City", style) == city


@pytest.mark.parametrize("style, expected", [
    (FR, "mercredi 26 février 2025"),
    # no comma after the weekday in Spanish: the date also stands in sentences
    (ES, "miércoles 26 de febrero de 2025"),
    (HouseStyle("es", "es"), "miércoles 26 de febrero de 2025"),
    (HouseStyle("en", "en_GB"), "Wednesday, 26 February 2025"),
])
def test_a_full_date_is_cldrs_in_each_language_spanish_without_the_comma(style, expected):
    assert formats.full_date(date(2025, 2, 26), style) == expected


@pytest.mark.parametrize("style, same_month, across_months, across_years", [
    (HouseStyle("en", "en_GB"), "26–27 February 2025", "26 February – 1 March 2025",
     "31 December 2025 – 1 January 2026"),
    (EN, "February 26 – 27, 2025", "February 26 – March 1, 2025",
     "December 31, 2025 – January 1, 2026"),
    (ES, "26–27 de febrero de 2025", "26 de febrero – 1 de marzo de 2025",
     "31 de diciembre de 2025 – 1 de enero de 2026"),
    (FR, "26–27 février 2025", "26 février – 1 mars 2025", "31 décembre 2025 – 1 janvier 2026"),
])
def test_date_ranges_use_cldrs_interval_format_with_the_months_spelt_out(
        style, same_month, across_months, across_years):
    ranges = [(date(2025, 2, 26), date(2025, 2, 27)), (date(2025, 2, 26), date(2025, 3, 1)),
              (date(2025, 12, 31), date(2026, 1, 1))]
    assert [spaced(formats.date_range(*days, style)) for days in ranges] == \
        [same_month, across_months, across_years]
    assert spaced(formats.date_range(date(2025, 2, 26), date(2025, 2, 26), style)) == \
        spaced(formats.date_range(*ranges[0], style)).replace("26–27", "26").replace(
            "26 – 27", "26")


@pytest.mark.parametrize("text, expected", [
    ("Salle: 4", "Salle\u202f: 4"),
    ("Salle : 4", "Salle\u202f: 4"),
    ("Salle\u00a0: 4", "Salle\u202f: 4"),
    ("Vraiment?! Oui; non!", "Vraiment\u202f?! Oui\u202f; non\u202f!"),
    ("« P2 » et «P2»", "«\u202fP2\u202f» et «\u202fP2\u202f»"),
    ("l'initiative d'aujourd'hui", "l\u2019initiative d\u2019aujourd\u2019hui"),
    ("à 9:30, voir https://www.cec.org/?a=1:2 ou ecrire@cec.org; merci",
     "à 9:30, voir https://www.cec.org/?a=1:2 ou ecrire@cec.org\u202f; merci"),
    (": en tête", ": en tête"),
])
def test_french_typography_spaces_the_marks_and_curls_the_apostrophe(text, expected):
    assert french_text(text) == expected
    assert french_text(expected) == expected  # applying it twice changes nothing


def test_french_typography_touches_french_text_only_never_markup_urls_code_or_scripts():
    page = ('<!DOCTYPE html><html lang="fr"><head><title>Programme : l\'essentiel</title>'
            '<meta name="description" content="Réunion : l&#39;essentiel">'
            '<meta property="og:url" content="https://x.org/?q=a:b">'
            '<script>var a = {"b": "c?"};</script></head><body>'
            '<a href="https://x.org/a?b=c;d" title="Aide : ici" data-copy="webcal://x.org/a">'
            'Lien&nbsp;: l&#39;aide &amp; plus</a>'
            '<p lang="en">Note: it&#39;s English</p><code>a: b</code>'
            '<img src="a.png" alt="Logo : CCE"><p>Fin ?</p></body></html>')
    typeset = french_typography(page)
    parsed = soup_of(typeset)
    assert parsed.title.get_text() == "Programme\u202f: l\u2019essentiel"
    assert parsed.find("meta", attrs={"name": "description"})["content"] == \
        "Réunion\u202f: l\u2019essentiel"
    assert parsed.find("meta", property="og:url")["content"] == "https://x.org/?q=a:b"
    assert parsed.script.get_text() == 'var a = {"b": "c?"};'
    link = parsed.a
    assert (link["href"], link["data-copy"]) == ("https://x.org/a?b=c;d", "webcal://x.org/a")
    assert link["title"] == "Aide\u202f: ici"
    assert link.get_text() == "Lien\u202f: l\u2019aide & plus"
    assert parsed.find("p", lang="en").get_text() == "Note: it's English"
    assert parsed.code.get_text() == "a: b"
    assert (parsed.img["src"], parsed.img["alt"]) == ("a.png", "Logo\u202f: CCE")
    assert parsed.find_all("p")[-1].get_text() == "Fin\u202f?"
    english = page.replace('lang="fr"', 'lang="en"')
    assert french_typography(english) == english


def soup_of(html: str):
    from bs4 import BeautifulSoup
    return BeautifulSoup(html, "html.parser")


def test_the_french_agenda_writes_times_the_french_way_and_states_the_zone_once(sample_site,
                                                                                tmp_path):
    build_site(sample_site(), tmp_path / "out")
    agenda = soup(tmp_path / "out/fr/agenda/index.html")
    opening = agenda.select_one("li#opening")
    assert spaced(opening.select_one(".time").get_text()) == "9 h – 9 h 20"
    assert [t["datetime"] for t in opening.select(".time time")] == \
        ["2025-02-26T09:00-06:00", "2025-02-26T09:20-06:00"]
    assert opening.select_one(".duration").get_text() == "20\u00a0min"
    zones = [spaced(zone.get_text()) for zone in agenda.select(".zone")]
    days = agenda.select(".day")
    # in the page's introduction and under each day's heading, not beside every slot
    # in a sentence, then standing alone under each heading, with a capital
    assert zones == ["heure de Mexico (UTC−6)"] + ["Heure de Mexico (UTC−6)"] * len(days)
    assert agenda.select_one(".timezone-note .zone") and not opening.select(".zone")
    assert all(day.select_one(".day-zone .zone") for day in days)
    session = soup(tmp_path / "out/fr/agenda/opening/index.html")
    assert spaced(session.select_one(".when").get_text(" ")).startswith("9 h – 9 h 20 20 min")
    assert spaced(session.select_one(".when .timezone-note").get_text()).endswith(
        "heure de Mexico (UTC−6).")
    spanish = soup(tmp_path / "out/es/index.html")
    assert spaced(spanish.select_one(".facts .zone").get_text()) == \
        "Hora de la Ciudad de México (UTC−6)"  # a fact on its own: a capital


FORMATS = SAMPLE_AGENDA.replace("  locales: [en, es, fr]\n", """\
  locales: [en, es, fr]
  formats:
    en: {locale: en_GB, clock: 12}
    es: {clock: 12}
""")


def test_the_organiser_chooses_each_languages_locale_and_clock(sample_site, tmp_path):
    build_site(sample_site({"agenda.yaml": FORMATS}), tmp_path / "out")
    times = {locale: spaced(soup(tmp_path / f"out/{locale}/agenda/index.html")
                            .select_one("li#opening .time").get_text())
             for locale in ("en", "es", "fr")}
    assert times == {"en": "9:00 am – 9:20 am", "es": "9:00 a. m. – 9:20 a. m.",
                     "fr": "9 h – 9 h 20"}
    home = soup(tmp_path / "out/en/index.html")
    assert spaced(home.select_one(".facts dd").get_text()) == "26 February 2025"


@pytest.mark.parametrize("formats_yaml, message", [
    ("    fr: {locale: fr_XX}", 'agenda.yaml:4:18: "fr_XX" is not a CLDR locale of fr that '
     "Babel knows. Did you mean fr_YT?"),
    ("    fr: {locale: es_MX}", 'agenda.yaml:4:18: "es_MX" is not a CLDR locale of fr that '
     "Babel knows. Use one of fr's, such as fr_CA, fr_FR, fr."),
    ("    fr: {clock: 13}", 'agenda.yaml:4:17: "clock" is the number 13. Write 24 (9:00, '
     "14:30) or 12 (9:00 AM, 2:30 PM)."),
    ("    de: {clock: 24}", 'agenda.yaml:4:5: "de" in site.formats is not a language of this '
     "site (en, es, fr). Fix the code or add it to site.locales."),
])
def test_a_wrong_format_choice_is_a_located_mistake(sample_site, formats_yaml, message):
    agenda = SAMPLE_AGENDA.replace("  locales: [en, es, fr]\n",
                                   f"  locales: [en, es, fr]\n  formats:\n{formats_yaml}\n")
    result = run_cli("check", "--site", str(sample_site({"agenda.yaml": agenda})))
    assert (result.returncode, result.stderr) == (1, f"error: {message}\n")


def with_phone(phone: str) -> str:
    return SAMPLE_AGENDA.replace("    country: MX\n",
                                 f'    country: MX\n  contact:\n    phone: "{phone}"\n')


def test_the_phone_number_is_shown_as_written_and_linked_in_international_form(sample_site,
                                                                                tmp_path):
    build_site(sample_site({"agenda.yaml": with_phone("+1 514 350-4323")}), tmp_path / "out")
    for locale in ("en", "es", "fr"):
        link = soup(tmp_path / f"out/{locale}/index.html").select_one("address.contact a.phone")
        assert (link["href"], link.get_text()) == ("tel:+15143504323", "+1 514 350-4323")


@pytest.mark.parametrize("phone, message", [
    ("(514) 350-4323", '"(514) 350-4323" has no country code: visitors call from several '
     "countries. Write it in international form, + and the country code first, e.g. +1 514 "
     "350-4323."),
    ("+1 123", '"+1 123" is not a phone number that can be called. Check the country code and '
     "the digits, e.g. +1 514 350-4323."),
])
def test_a_phone_number_without_its_country_code_is_a_located_mistake(sample_site, phone,
                                                                       message):
    result = run_cli("check", "--site", str(sample_site({"agenda.yaml": with_phone(phone)})))
    assert (result.returncode, result.stderr) == (1, f"error: agenda.yaml:16:12: {message}\n")


def test_french_calendars_are_in_french_typography_with_their_addresses_intact(sample_site,
                                                                               tmp_path):
    import icalendar

    agenda = SAMPLE_AGENDA.replace("fr: Ouverture}", "fr: \"L'ouverture : bienvenue\"}").replace(
        "  venue:\n", "  online:\n    url: https://example.org/inscription?a=1\n  venue:\n")
    build_site(sample_site({"agenda.yaml": agenda}), tmp_path / "out")
    calendar = icalendar.Calendar.from_ical((tmp_path / "out/fr/calendar.ics").read_bytes())
    opening = next(e for e in calendar.walk("VEVENT") if "ouverture" in str(e["SUMMARY"]))
    assert str(opening["SUMMARY"]) == "1. L\u2019ouverture\u202f: bienvenue"
    assert "en ligne\u202f: https://example.org/inscription?a=1" in str(opening["DESCRIPTION"])
    english = icalendar.Calendar.from_ical((tmp_path / "out/en/calendar.ics").read_bytes())
    assert "1. Opening" in [str(e["SUMMARY"]) for e in english.walk("VEVENT")]
