"""The organiser's branding (site.brand): logo, accent colour and fonts on screen, in print and in
the PDF; an accent without enough contrast, a logo that is not one, a font stack that is not
one are located errors."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from conftest import LOCALES, SAMPLE_AGENDA, run_cli, sample_files, soup, tree_digest, write_files
from eventsite import brand
from eventsite.build import build_site
from test_browser import AXE, axe_violations, browser, served  # noqa: F401 (a fixture)
from test_handout import figures

LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">'
        '<rect width="40" height="40" fill="#7a1f3d"/></svg>\n')
ORGANISER = {"en": "Sample Body", "es": "Organismo de ejemplo", "fr": "Organisme exemple"}


def branded(fields: str, base_url: str = "") -> str:
    return SAMPLE_AGENDA.replace("  locales: [en, es, fr]\n", "  locales: [en, es, fr]\n"
                                 + (f"  base_url: {base_url}\n" if base_url else "")
                                 + "  brand:\n" + fields, 1)


GOOD_BRAND = ('    logo: brand/logo.svg\n    accent: "#7a1f3d"\n'
              "    font: '\"DejaVu Serif\", Georgia, serif'\n")


@pytest.fixture
def branded_site(tmp_path):
    agenda = branded(GOOD_BRAND, base_url="https://example.org/meeting/")
    site = write_files(tmp_path / "site", sample_files({"agenda.yaml": agenda,
                                                        "brand/logo.svg": LOGO}))
    build_site(site, tmp_path / "out", pdf=True)
    return tmp_path / "out"


def brand_style(doc) -> str:
    return next(style.string for style in doc.find_all("style") if "--link" in style.string)


def test_the_accent_and_fonts_replace_the_sites_own_in_both_colour_schemes(branded_site):
    style = brand_style(soup(branded_site / "fr" / "agenda" / "index.html"))
    light, dark = style.split("@media screen and (prefers-color-scheme: dark)")
    assert "--link: #7a1f3d;" in light and "--header: #7a1f3d;" in light
    assert 'font-family: "DejaVu Serif", Georgia, serif;' in light
    tint = re.search(r"--link: (#[0-9a-f]{6});", dark)[1]
    for background in brand.DARK_BACKGROUNDS.values():
        assert brand.contrast(brand.parse_hex(tint), brand.parse_hex(background)) >= 4.5


@pytest.mark.parametrize("locale", LOCALES)
def test_the_logo_replaces_the_text_wordmark_with_the_organisers_name_as_its_text(
        branded_site, locale):
    doc = soup(branded_site / locale / "index.html")
    logo = doc.select_one("header .brand img")
    assert logo["alt"] == ORGANISER[locale]
    assert (branded_site / locale / logo["src"]).read_text() == LOGO  # published as it is
    assert not doc.select("header .brand-org")


@pytest.mark.parametrize("locale", LOCALES)
def test_the_pdf_prints_the_logo_and_the_organisers_fonts(branded_site, locale):
    reader = PdfReader(branded_site / locale / "program" / f"sample-program-{locale}.pdf")
    assert ORGANISER[locale] in figures(reader)  # the logo, with its alternative text
    fonts = {str(font.get_object()["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}
    assert any("DejaVu-Serif" in name for name in fonts), fonts
    program = soup(branded_site / locale / "program" / "index.html")
    assert program.select_one(".program-cover img.program-logo")["alt"] == ORGANISER[locale]


def test_without_a_brand_the_site_shows_its_text_wordmark(real_dist):
    doc = soup(real_dist / "en" / "index.html")
    assert doc.select_one("header .brand-org").get_text() == (
        "Commission for Environmental Cooperation")
    assert not doc.select("header img") and all("--link" not in (s.string or "")
                                                for s in doc.find_all("style"))


def test_an_accent_too_light_for_white_paper_is_refused_with_its_line(sample_site, tmp_path):
    agenda = branded('    accent: "#7fb3d5"\n')
    out = tmp_path / "out"
    build_site(sample_site(), out)
    before = tree_digest(out)
    site = sample_site({"agenda.yaml": agenda})
    result = run_cli("build", "--site", str(site), "--out", str(out), "--no-pdf")
    assert result.returncode == 1
    assert result.stderr == (
        'error: agenda.yaml:4:13: "accent" #7fb3d5 has a contrast of 2.3:1 with the page\'s '
        "background #ffffff (--paper); its text needs at least 4.5:1 (WCAG AA). Use a darker "
        'colour, e.g. "#4f6f84".\n')
    assert tree_digest(out) == before


def test_the_suggested_darker_accent_is_accepted(sample_site, tmp_path):
    site = sample_site({"agenda.yaml": branded('    accent: "#4f6f84"\n')})
    assert run_cli("check", "--site", str(site)).returncode == 0


@pytest.mark.parametrize("fields, files, message", [
    ("    logo: brand/missing.svg\n", {}, 'there is no file "brand/missing.svg". Add the logo '
     "there, or fix the path (it is read from the folder of agenda.yaml)."),
    ("    logo: brand/logo.gif\n", {"brand/logo.gif": "GIF89a"}, '"brand/logo.gif" is not an '
     "image type a browser and the PDF both show. Use an SVG, PNG, JPEG or WebP file."),
    ("    logo: brand/logo.png\n", {"brand/logo.png": LOGO}, '"brand/logo.png" is not a PNG '
     "image, whatever its name says. Export the logo as PNG again, or rename it after its type."),
    ("    logo: ../logo.svg\n", {}, '"../logo.svg" is not a file inside the site folder. Copy '
     "the logo there and give its path from the folder of agenda.yaml, e.g. brand/logo.svg."),
    ('    accent: "dark red-ish"\n', {}, '"accent" is "dark red-ish", not an opaque CSS colour. '
     'Write it as "#0b4f6c" (in quotes).'),
    ("    font: 'Arial; } body { color: red'\n", {}, "\"font\" is \"Arial; } body { color: "
     "red\". Write font families separated by commas, names with spaces in quotes, the last a "
     "generic family, e.g. '\"Source Sans 3\", Arial, sans-serif' (the whole in single quotes)."),
    ("    font: Arial\n", {}, '"font" is "Arial". Write font families separated by commas, '
     "names with spaces in quotes, the last a generic family, e.g. '\"Source Sans 3\", Arial, "
     "sans-serif' (the whole in single quotes)."),
])
def test_a_wrong_brand_field_is_one_located_message(sample_site, fields, files, message):
    site = sample_site({"agenda.yaml": branded(fields), **files})
    result = run_cli("check", "--site", str(site))
    assert result.returncode == 1
    assert re.fullmatch(rf"error: agenda\.yaml:4:\d+: {re.escape(message)}\n", result.stderr)


def test_the_backgrounds_checked_are_those_of_the_stylesheet():
    css = (brand.__file__.rsplit("/", 2)[0] + "/assets/site.css")
    text = open(css, encoding="utf-8").read()
    light, dark = text.split("@media screen and (prefers-color-scheme: dark)", 1)
    for part, backgrounds in ((light, brand.LIGHT_BACKGROUNDS), (dark, brand.DARK_BACKGROUNDS)):
        for name, value in backgrounds.items():
            assert re.search(rf"{name}: {value};", part), name


@pytest.mark.parametrize("path", ["en/", "fr/agenda/", "es/about/"])
def test_a_branded_site_has_no_wcag_violation_in_either_colour_scheme(
        browser, branded_site, path):  # noqa: F811 (the fixture)
    with served(branded_site) as url:
        context = browser.new_context(viewport={"width": 390, "height": 844})
        context.add_init_script(path=str(AXE))
        try:
            page = context.new_page()
            page.goto(f"{url}{path}")
            page.emulate_media(color_scheme="light")
            light = axe_violations(page)
            page.emulate_media(color_scheme="dark")
            dark = axe_violations(page)
            assert (light, dark) == ([], [])
        finally:
            context.close()


def test_the_dev_server_reads_the_sources_again_when_the_logo_changes():
    from eventsite.serve import is_source

    assert is_source("/site/brand/logo.svg") and is_source("/site/brand/logo.png")
    assert not is_source("/site/brand/notes.txt")


def test_the_branded_pages_and_the_program_with_its_qr_code_are_valid_html(branded_site):
    from test_html_valid import describe, vnu_messages

    pages = [branded_site / path for path in ("index.html", "en/index.html",
                                               "fr/program/index.html", "es/agenda/index.html")]
    errors = [describe(m, branded_site) for m in vnu_messages(pages, "--errors-only")
              if m["type"] in ("error", "non-document-error")]
    assert errors == []
