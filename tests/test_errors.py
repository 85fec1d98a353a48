"""Every organiser mistake: one located message, exit 1, no traceback, the previous site kept."""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import SAMPLE_AGENDA, run_cli, sample_files, soup, tree_digest, write_files
from eventsite.build import build_site
from eventsite.cli import main
from eventsite.errors import SiteError
from eventsite.load import load_site


def agenda(*edits: tuple[str, str]) -> dict[str, str]:
    """The sample agenda with each (old, new) replacement made; each must apply."""
    text = SAMPLE_AGENDA
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return {"agenda.yaml": text}


def page(text: str, locale: str = "en", slug: str = "about") -> dict[str, str]:
    return {f"content/{locale}/{slug}.md": text}


GOOD_PAGE = "---\ntitle: About\ndescription: About page.\n---\n"
ADD_SESSION = ('        end: "09:30"\n', '        end: "09:30"\n'
               '      - id: talk\n        start: "{start}"\n        end: "{end}"\n'
               "        title: Talk\n{extra}")


def added_session(start: str, end: str, extra: str = "") -> tuple[str, str]:
    return ADD_SESSION[0], ADD_SESSION[1].format(start=start, end=end, extra=extra)


# (files that differ from the sample site, the exact message)
MISTAKES = {
    # YAML syntax, at the line PyYAML reports (or where an unclosed quote was opened)
    "a tab in the indentation": (
        agenda(('        end: "09:20"', '\tend: "09:20"')),
        "agenda.yaml:25:1: a tab is used here. Indent with spaces, not tabs."),
    "a line indented less than its neighbours": (
        agenda(('        end: "09:20"', '       end: "09:20"')),
        "agenda.yaml:25:8: this line is not lined up with the lines above it. Fix its "
        "indentation."),
    "an unclosed quote": (
        agenda(('end: "09:20"', 'end: "09:20')),
        "agenda.yaml:25:14: the quote opened here is never closed. Close it on this line."),
    "an unclosed brace": (
        agenda(("es: Apertura, fr: Ouverture}", "es: Apertura, fr: Ouverture")),
        "agenda.yaml:26:16: the { opened here is not closed, or a comma is missing. Close it "
        "with } on this line."),
    "a colon in unquoted text": (
        agenda(("name: Ana Example", "name: Ana: Example")),
        'agenda.yaml:17:14: a colon here starts a new field where none can be. Put text '
        'containing ": " in quotes, or fix this line\'s indentation.'),
    "a key given twice": (
        agenda(('        end: "09:20"\n', '        end: "09:20"\n        end: "09:25"\n')),
        'agenda.yaml:26:9: "end" appears twice here (first on line 25). Keep one of them: '
        "YAML would silently use the last."),
    "a control character pasted from a word processor": (
        agenda(("name: Ana Example", "name: Ana\x0bExample")),
        "agenda.yaml:17:14: an invisible control character (U+000B) is here, often pasted "
        "from a word processor. Delete it."),
    "a non-breaking space in the indentation": (
        agenda(("    role: {en: Chair", "\u00a0   role: {en: Chair")),
        "agenda.yaml:18:1: this line is indented or written with a non-breaking or other "
        "unusual space (often pasted from Word). Retype it with ordinary spaces."),
    # unknown keys
    "a misspelt field": (
        agenda(("        title: {en: Opening", "        titel: {en: Opening")),
        'agenda.yaml:26:9: unknown field "titel" in a session. Did you mean "title"?'),
    "an unknown field": (
        agenda(("    country: MX", "    country: MX\n    wheelchair: yes")),
        'agenda.yaml:15:5: unknown field "wheelchair" in event.venue. Known fields: name, street, '
        "locality, region, postal_code, country, geo, directions, accessibility."),
    # wrong types and formats
    "a date that does not exist": (
        agenda(("2025-02-26", "2025-02-30")),
        'agenda.yaml:20:11: "2025-02-30" is not a date that exists. Write it as YYYY-MM-DD, '
        "e.g. 2025-02-26."),
    "a time of 25:00": (
        agenda(('end: "09:20"', 'end: "25:00"')),
        'agenda.yaml:25:14: "end" is "25:00", which is not a time of day. Write it as "HH:MM" '
        'in 24-hour form, in quotes, e.g. "14:30".'),
    "a translation into a language the site does not declare": (
        agenda(("fr: Ouverture}", "fr: Ouverture, de: Eröffnung}")),
        'agenda.yaml:26:59: "de" is not a language of this site (en, es, fr). Fix the code or '
        "add it to site.locales."),
    "a floor language the site does not declare": (
        agenda(("        speakers: [ana]", "        speakers: [ana]\n        language: de")),
        'agenda.yaml:28:19: "de" is not a language of this site (en, es, fr). Use one of those '
        "codes."),
    "a site language CLDR does not know": (
        agenda(("[en, es, fr]", "[en, es, xx-nope]")),
        'agenda.yaml:2:21: "xx-nope" is not a language code Babel knows. Use a code such as '
        "en, es, fr or pt-BR."),
    "a time zone not in the tz database": (
        agenda(("America/Mexico_City", "America/Mexico_Town")),
        'agenda.yaml:8:13: "America/Mexico_Town" is not a time zone of the tz database. Did '
        "you mean America/Mexico_City?"),
    "a web address that is not http(s) or mailto": (
        agenda(("fr: Organisme exemple}\n", "fr: Organisme exemple}\n    url: ftp://x.org\n")),
        'agenda.yaml:8:10: "url" is "ftp://x.org". Write a full address starting with '
        "https://, http:// or mailto:."),
    "a number where text is expected": (
        agenda(("name: Ana Example", "name: 12")),
        'agenda.yaml:17:11: "name" is the number 12, not text. Put it in quotes if you mean it '
        "as text."),
    "a word where a number is expected": (
        agenda(("        speakers: [ana]", "        speakers: [ana]\n        sequence: no")),
        'agenda.yaml:28:19: "sequence" must be a whole number, not "no".'),
    # logic
    "a session that ends before it starts": (
        agenda(('end: "09:20"', 'end: "08:20"')),
        "agenda.yaml:25:14: the session ends at 08:20, not after it starts (09:00). Swap "
        "start and end, or fix the time."),
    "a session that runs past midnight": (
        agenda(added_session("23:00", "01:00")),
        "agenda.yaml:34:14: the session runs past midnight (23:00 to 01:00); a session must "
        "end on its own day. End it by 23:59 and continue it under the next date."),
    "two sessions overlapping in the main room": (
        agenda(added_session("09:10", "09:40")),
        'agenda.yaml:32:13: session "talk" (09:10–09:40) overlaps "opening" (09:00–09:20, '
        "line 22) in the main room. Fix the times, or give them different rooms."),
    "a break overlapping a session": (
        agenda(('start: "09:20"\n        end: "09:30"', 'start: "09:15"\n        end: "09:30"')),
        'agenda.yaml:28:13: session "pause" (09:15–09:30) overlaps "opening" (09:00–09:20, '
        "line 22) in the main room. Fix the times, or give them different rooms."),
    "two sessions overlapping in one named room": (
        agenda(added_session("09:10", "09:40", "        room: Salon A\n"),
               ("        speakers: [ana]", "        speakers: [ana]\n        room: Salon A")),
        'agenda.yaml:33:13: session "talk" (09:10–09:40) overlaps "opening" (09:00–09:20, '
        'line 22) in room "Salon A". Fix the times, or give them different rooms.'),
    "a speaker who is not defined": (
        agenda(("speakers: [ana]", "speakers: [anna]")),
        'agenda.yaml:27:20: speaker "anna" is not defined under "people". Add the person '
        "there or fix the id."),
    "two sessions with the same id": (
        agenda(("id: pause", "id: opening")),
        'agenda.yaml:28:13: two sessions have the id "opening" (the other is on line 22). '
        "Give each session a unique id."),
    "an id that would leave dist/": (
        agenda(("id: opening", "id: ../../etc")),
        'agenda.yaml:22:13: "id" is "../../etc". Use lowercase letters, digits and single '
        "hyphens only (it becomes part of web addresses), e.g. session-1."),
    "a misspelt kind of slot": (
        agenda(("kind: break", "kind: brake")),
        'agenda.yaml:29:15: "kind" is "brake". Did you mean "break"?'),
    "a continuation of a session that does not exist": (
        agenda(("        kind: break\n", "        kind: break\n        continues: openning\n")),
        'agenda.yaml:28:13: session "pause" continues "openning", which is not a session '
        "id. Fix the id."),
    "days out of order": (
        agenda(("  - date: 2025-02-26\n", "  - date: 2025-02-27\n    sessions:\n"
                '      - {id: early, start: "09:00", end: "10:00", title: Early}\n'
                "  - date: 2025-02-26\n")),
        "agenda.yaml:23:11: 2025-02-26 comes before the day above it (2025-02-27). List the "
        "days in date order."),
    # Markdown pages
    "front matter that is never closed": (
        page("---\ntitle: About\ndescription: About page.\nSome text.\n"),
        "content/en/about.md:1: the front matter opened here is never closed. Add a line '---' "
        "after its last field."),
    "broken front matter": (
        page("---\ntitle: About: the meeting\ndescription: About page.\n---\n"),
        'content/en/about.md:2:13: a colon here starts a new field where none can be. Put text '
        'containing ": " in quotes, or fix this line\'s indentation.'),
    "a page without its description": (
        page("---\ntitle: About\n---\nText.\n"),
        'content/en/about.md:2:1: the front matter needs a "description" field. Add it.'),
    "a link to a page that does not exist": (
        page(GOOD_PAGE + "Text.\n\nSee [the venue](venue.md#map).\n"),
        'content/en/about.md:7:17: the link to "venue.md" leads nowhere: no language has that '
        "page. Link one of about.md, or add the page."),
    "a link in the agenda to a page that does not exist": (
        agenda(("description: {en: A meeting.,",
                 'description: {en: "See [the venue](venue.md).",')),
        'agenda.yaml:9:16: the link to "venue.md" leads nowhere: no language has that page. '
        "Link one of about.md, or add the page."),
    # catalogs and templates
    "a catalog with an unclosed quote": (
        {"locales/fr/LC_MESSAGES/messages.po": 'msgid "Agenda"\nmsgstr "Programme\n'},
        'locales/fr/LC_MESSAGES/messages.po:2:8: the quote opened here is not closed on this '
        'line. End the line with ", or write \\" for a quote inside.'),
    "a catalog with a misspelt keyword": (
        {"locales/fr/LC_MESSAGES/messages.po": 'msgid "Agenda"\nmsgtsr "Programme"\n'},
        'locales/fr/LC_MESSAGES/messages.po:2:1: "msgtsr" is not a .po keyword. Did you mean '
        "msgstr?"),
    "a translation that drops a placeholder": (
        {"locales/fr/LC_MESSAGES/messages.po": '#, python-format\nmsgid "Day %(number)s"\n'
                                               'msgstr "Jour %(nombre)s"\n'},
        'locales/fr/LC_MESSAGES/messages.po:2: the translation of "Day %(number)s" is wrong: '
        "unknown named placeholder 'nombre'. Use the same %(placeholders)s as the original."),
    "a template syntax error": (
        {"templates/page.html": '{% extends "base.html" %}\n{% block main %}\n{% endblok %}\n'},
        "templates/page.html:3: Encountered unknown tag 'endblok'. Jinja was looking for the "
        "following tags: 'endblock'. The innermost block that needs to be closed is 'block'. "
        "Fix the template."),
    "a template using an undefined value": (
        {"templates/page.html": '{% extends "base.html" %}\n{% block main %}\n'
                                "<h1>{{ page.titel }}</h1>\n{% endblock %}\n"},
        "templates/page.html:3: 'eventsite.model.Page object' has no attribute 'titel'. Fix "
        "the template."),
    "a mistake in a page rendered while it is written": (
        {"templates/agenda.html": '{% extends "base.html" %}\n{% block main %}\n'
                                  "<h1>{{ event.titel }}</h1>\n{% endblock %}\n"},
        "templates/agenda.html:3: 'eventsite.model.Event object' has no attribute 'titel'. "
        "Fix the template."),
}


@pytest.fixture(scope="module")
def previous_site(tmp_path_factory):
    """A good build of the sample site, copied as the `dist/` each mistake must leave alone."""
    site = write_files(tmp_path_factory.mktemp("good") / "site", sample_files())
    out = site / "dist"
    build_site(site, out)
    return out


@pytest.mark.parametrize("files, message", MISTAKES.values(), ids=MISTAKES.keys())
def test_a_mistake_is_one_located_message_and_the_previous_site_survives(
        files, message, sample_site, previous_site, tmp_path, capsys):
    site = sample_site(files)
    out = tmp_path / "dist"
    shutil.copytree(previous_site, out)
    before = tree_digest(out)
    built = run_cli("build", "--site", str(site), "--out", str(out), "--no-pdf")
    assert (built.returncode, built.stderr) == (1, f"error: {message}\n")
    assert tree_digest(out) == before
    # `check` is the same code path: run in this process, it spares an interpreter start.
    assert main(["check", "--site", str(site)]) == 1
    assert capsys.readouterr().err == f"error: {message}\n"


def test_a_missing_translation_is_an_error_with_strict(sample_site, tmp_path):
    site = sample_site(agenda(("title: {en: Opening, es: Apertura, fr: Ouverture}",
                               "title: {en: Opening, es: Apertura}")))
    result = run_cli("check", "--site", str(site), "--strict")
    assert (result.returncode, result.stderr) == (1, (
        'error: agenda.yaml:26:16: "title" has no fr translation; the en text is shown '
        "instead. Add `fr: …` under it.\n"))
    assert run_cli("check", "--site", str(site)).returncode == 0


def test_a_page_without_a_counterpart_warns_and_is_an_error_with_strict(sample_site):
    site = sample_site(page(GOOD_PAGE, "en", "venue"))
    warned = run_cli("check", "--site", str(site))
    expected = ("content/en/venue.md:1: this page has no es version; add content/es/venue.md so "
                "es visitors can read it.")
    assert warned.returncode == 0 and f"warning: {expected}\n" in warned.stderr
    strict = run_cli("check", "--site", str(site), "--strict")
    assert strict.returncode == 1 and f"error: {expected}\n" in strict.stderr


def test_unquoted_times_and_yes_no_words_are_read_as_the_organiser_meant(sample_site, tmp_path):
    site = sample_site(agenda(('start: "09:00"', "start: 9:00"), ('end: "09:20"', "end: 11:15"),
                              ('start: "09:20"', "start: 11:15"), ('end: "09:30"', "end: 11:30"),
                              ("name: Ana Example", "name: no")))
    build_site(site, tmp_path / "out")
    listing = soup(tmp_path / "out/en/agenda/index.html")
    times = [t["datetime"] for t in listing.select(".agenda time")]
    assert times[:4] == ["2025-02-26T09:00-06:00", "2025-02-26T11:15-06:00",
                         "2025-02-26T11:15-06:00", "2025-02-26T11:30-06:00"]
    assert "no" in soup(tmp_path / "out/en/agenda/opening/index.html").find("main").get_text(" ")


def test_sessions_in_different_rooms_may_run_at_the_same_time(sample_site, tmp_path):
    site = sample_site(agenda(added_session("09:00", "09:20", "        room: Salon B\n"),
                              ("        speakers: [ana]", "        speakers: [ana]\n"
                               "        room: Salon A")))
    assert run_cli("check", "--site", str(site)).returncode == 0


def test_html_in_a_page_title_and_body_is_shown_as_text(sample_site, tmp_path):
    site = sample_site(page('---\ntitle: "<script>alert(1)</script> About"\ndescription: D.\n'
                            "---\n<img src=x onerror=alert(1)> text\n"))
    build_site(site, tmp_path / "out")
    doc = soup(tmp_path / "out/en/about/index.html")
    assert doc.h1.get_text() == "<script>alert(1)</script> About"
    assert not doc.find("script", string="alert(1)") and not doc.find("img", onerror=True)
    assert "<img src=x onerror=alert(1)> text" in doc.find("article").get_text()


def test_a_file_saved_as_windows_1252_is_located(sample_site, tmp_path):
    site = sample_site()
    (site / "content/en/about.md").write_bytes(f"{GOOD_PAGE}Caf\xe9 “ok”\n".encode("cp1252"))
    result = run_cli("check", "--site", str(site))
    assert (result.returncode, result.stderr) == (1, (
        "error: content/en/about.md:5:4: byte 0xe9 is not UTF-8 text (the file was probably "
        "saved as Windows-1252 or Latin-1, e.g. by Word). Save it with the UTF-8 encoding.\n"))


WRONG_VALUES = ("[x]", "{x: 1}", "12", "1.5", "no", '""', "", "2025-02-26", '"../x"')


def test_any_value_replaced_by_a_wrong_kind_gives_at_most_one_message(sample_site):
    site = sample_site()
    lines = SAMPLE_AGENDA.split("\n")
    for number, line in enumerate(lines):
        key = re.match(r"^(\s*(?:- )?\w+:)", line)
        for wrong in WRONG_VALUES if key else ():
            (site / "agenda.yaml").write_text("\n".join(
                lines[:number] + [f"{key[1]} {wrong}"] + lines[number + 1:]), encoding="utf-8")
            try:
                load_site(site)
            except SiteError as exc:
                assert len(exc.problems) == 1, (line, wrong, [str(p) for p in exc.problems])


def test_a_time_zone_is_accepted_exactly_when_the_tz_database_lists_it():
    """The one name is looked up (listing every zone took a tenth of a small build)."""
    from zoneinfo import available_timezones

    from eventsite.agenda import in_tz_database

    listed = available_timezones()
    assert all(in_tz_database(name) for name in listed)
    assert not any(in_tz_database(name) for name in (
        "America/Mexico_Town", "america/mexico_city", "posixrules", "", "America",
        "/usr/share/zoneinfo/UTC", "../zoneinfo/UTC", "America/../UTC") if name not in listed)


LIMITS = [
    ('id: opening', 'id: ' + 'a' * 300, 'agenda.yaml:22:13: "id" is 300 characters long; it '
     'becomes part of file names and web addresses. Use at most 60.'),
    ('2025-02-26', '9999-12-31', 'agenda.yaml:20:11: "date" is 9999-12-31, not a date between '
     '1900 and 2199. Fix the year.'),
    ('    country: MX\n', '    country: MX\n    geo: {lat: 200, lon: 10}\n',
     'agenda.yaml:15:16: "lat" is 200, outside -90 to 90. Fix the number.'),
    ('        speakers: [ana]\n', '        speakers: [ana]\n        continues: opening\n',
     'agenda.yaml:22:13: session "opening" continues itself. Name the session it continues, '
     'or remove continues:.'),
    ('        speakers: [ana]\n', '        speakers: [ana]\n        continues: pause\n',
     None),  # with the pause continuing the opening, below: a loop
    ('title: {en: Opening, es: Apertura, fr: Ouverture}', 'title: "   "',
     'agenda.yaml:26:16: "title" is empty. Write the text.'),
    ('title: {en: Opening, es: Apertura, fr: Ouverture}', 'title: {en: " ", es: A, fr: O}',
     'agenda.yaml:26:17: the en text of "title" is empty. Write the text, in quotes.'),
]


@pytest.mark.parametrize("old, new, message", [case for case in LIMITS if case[2]])
def test_values_beyond_sane_limits_are_located_mistakes(sample_site, tmp_path, old, new,
                                                        message):
    site = sample_site({"agenda.yaml": SAMPLE_AGENDA.replace(old, new, 1)})
    result = run_cli("build", "--site", str(site), "--out", str(tmp_path / "out"), "--no-pdf")
    assert (result.returncode, result.stderr) == (1, f"error: {message}\n")
    assert not (tmp_path / "out").exists()


def test_sessions_continuing_one_another_in_a_loop_are_one_mistake(sample_site, tmp_path):
    agenda = SAMPLE_AGENDA.replace("        speakers: [ana]\n",
                                   "        speakers: [ana]\n        continues: pause\n")
    agenda = agenda.replace("        kind: break\n", "        kind: break\n"
                            "        continues: opening\n")
    result = run_cli("check", "--site", str(sample_site({"agenda.yaml": agenda})))
    assert (result.returncode, result.stderr) == (1, (
        "error: agenda.yaml:22:13: sessions opening → pause → opening continue one another in "
        "a loop. Remove continues: from one of them.\n"))


@pytest.mark.parametrize("levels, message", [
    (8, "agenda.yaml:41:35: sub-items are nested more than 6 deep here. Flatten them: a program "
        "reads best with two or three levels."),
    (120, "agenda.yaml:63:81: values are nested more than 40 deep here. Check the brackets and "
          "the indentation: an agenda needs a dozen levels at most."),
])
def test_sub_items_nested_too_deep_are_a_located_mistake(sample_site, levels, message):
    nested = "".join(f"{'  ' * (2 * level + 4)}items:\n{'  ' * (2 * level + 4)}  - title: L{level}\n"
                     for level in range(levels))
    agenda = SAMPLE_AGENDA.replace("        speakers: [ana]\n", "        speakers: [ana]\n" + nested)
    result = run_cli("check", "--site", str(sample_site({"agenda.yaml": agenda})))
    assert (result.returncode, result.stderr) == (1, f"error: {message}\n")


def test_a_content_page_linking_outside_the_site_is_refused(sample_site, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: Secret\ndescription: x\n---\nprivate\n")
    site = sample_site()
    (site / "content/en/secret.md").symlink_to(secret)
    result = run_cli("build", "--site", str(site), "--out", str(tmp_path / "out"), "--no-pdf")
    assert (result.returncode, result.stderr) == (1, (
        f"error: content/en/secret.md: this is a link to {secret}, outside the site folder, "
        "which is never published. Copy the file into content/ instead.\n"))
