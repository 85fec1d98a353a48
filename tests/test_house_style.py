"""Each language's house style: times, durations, the zone, date ranges, French typography and
the phone number, as a reader of each language expects them (terminology.md)."""

from __future__ import annotations

import pytest

from conftest import SAMPLE_AGENDA, run_cli, soup
from eventsite.build import build_site


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
