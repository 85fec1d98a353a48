"""The streaming YAML loader gives what the composing one gives: values, positions, errors."""

from __future__ import annotations

import pytest

from eventsite import yamlfile
from eventsite.errors import SiteError
from eventsite.yamlfile import MarkedList, MarkedMap, read_yaml

pytestmark = pytest.mark.skipif(not hasattr(yamlfile, "_StreamLoader"),
                                reason="PyYAML without libyaml composes every document")

TRICKY = """\
plain: text
empty:
"null": null
quoted: 'it''s: "here"'
number: 42
decimal: 19.43
yes: no
time: 9:00
day: 2025-02-26
not a day: 2025-02-30
stamp: 2025-02-26 09:00:00
flow: {en: One, es: "Dos", fr: [a, b, {c: d}]}
block: |
  Two lines,
  kept.
folded: >-
  Folded
  text.
list:
  - &first {x: 1}
  - {x: 1}
  -
  - - nested
    - !!str 12
  -   indented: item
      with: two keys
shared: {x: 1}
12: number key
? explicit key
: its value
tagged: !!binary aGVsbG8=
"""


def structure(value):
    """A value with every position it carries, to compare two loads of the same text."""
    if isinstance(value, MarkedMap):
        return ("map", value.line, value.column, [
            (key, value.key_marks[key], value.value_marks[key], structure(item))
            for key, item in value.items()])
    if isinstance(value, MarkedList):
        return ("list", value.line, value.column, [
            (value.item_marks[index], structure(item)) for index, item in enumerate(value)])
    return type(value).__name__, value


def both_loads(text: str):
    streamed = yamlfile._StreamLoader(text, "t.yaml").get_single_data()
    composed = yamlfile.OrganiserLoader(text, "t.yaml").get_single_data()
    return streamed, composed


def test_streamed_values_and_positions_are_the_composed_ones():
    streamed, composed = both_loads(TRICKY)
    assert structure(streamed) == structure(composed)
    assert streamed["yes"] == "no" and streamed["time"] == "9:00"  # no YAML 1.1 surprises
    assert streamed.value_marks["shared"] == (27, 9)


def test_positions_read_like_the_dicts_and_lists_they_replace():
    data = read_yaml("a: 1\nb:\n  - x\n  - y\n", "t.yaml")
    assert dict(data.key_marks) == {"a": (1, 1), "b": (2, 1)}
    assert data.value_marks.get("missing") is None
    assert data.where("b") == (3, 3) and data.where("missing") == (1, 1)
    assert list(data["b"].item_marks) == [(3, 5), (4, 5)]
    assert data["b"].item_marks[-1] == (4, 5)
    with pytest.raises(IndexError):
        data["b"].item_marks[2]  # noqa: B018 (the lookup is what is tested)


def outcome(text: str):
    try:
        return structure(read_yaml(text, "t.yaml"))
    except SiteError as error:
        return str(error)


@pytest.mark.parametrize("text, place, alias", [
    ("base: &b {x: 1, y: 2}\nmerged:\n  <<: *b\n  z: 3\n", "3:7", "b"),  # a merge key
    ("a: &x [1, *x]\n", "1:11", "x"),  # an alias to its own collection
    ("a: *nowhere\n", "1:4", "nowhere"),  # an undefined alias
    ("a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", "2:8", "a"),  # what grows a bomb
])
def test_every_loader_refuses_aliases_where_they_are(text, place, alias, monkeypatch):
    for loaders in (yamlfile._LOADERS, (yamlfile.OrganiserLoader,)):
        monkeypatch.setattr(yamlfile, "_LOADERS", loaders)
        assert outcome(text) == (f't.yaml:{place}: "*{alias}" repeats the value marked '
                                 f'"&{alias}", which the site does not allow (a few aliases can '
                                 "make a file thousands of times larger). Write the value out "
                                 "here, or put the text in quotes.")


def test_every_loader_refuses_values_nested_too_deep(monkeypatch):
    text = "a: " + "[" * 3000 + "]" * 3000 + "\n"
    for loaders in (yamlfile._LOADERS, (yamlfile.OrganiserLoader,)):
        monkeypatch.setattr(yamlfile, "_LOADERS", loaders)
        assert outcome(text) == ("t.yaml:1:43: values are nested more than 40 deep here. "
                                 "Check the brackets and the indentation: an agenda needs a "
                                 "dozen levels at most.")


@pytest.mark.parametrize("text", [
    "a: 1\nb: 2\na: 3\n",  # a duplicate key
    "a: 1\n\u00a0b: 2\n",  # an odd space in a key
    "a: !!set {x, y}\n",  # a tagged collection
    "? [a, b]\n: complex key\n",  # a key that is a collection
    "a: !custom 1\n",  # a tag no constructor knows
    "a: 1\n---\nb: 2\n",  # a second document
    "a: [1, 2\n",  # a syntax error
])
def test_irregular_documents_are_read_as_before(text, monkeypatch):
    with pytest.raises((yamlfile.Irregular, yamlfile.yaml.MarkedYAMLError)):
        yamlfile._StreamLoader(text, "t.yaml").get_single_data()
    found = outcome(text)
    monkeypatch.setattr(yamlfile, "_LOADERS", (yamlfile.OrganiserLoader,))
    assert found == outcome(text)


def test_errors_keep_their_lines():
    with pytest.raises(SiteError) as error:
        read_yaml("a: 1\nb:\n  c: 2\n  c: 3\n", "t.yaml")
    assert str(error.value) == ('t.yaml:4:3: "c" appears twice here (first on line 3). Keep '
                                "one of them: YAML would silently use the last.")


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_any_line_ending_reads_as_line_feeds(tmp_path, ending):
    path = tmp_path / "agenda.yaml"
    path.write_bytes("\ufeffevent:\n  title: Réunion\n".replace("\n", ending).encode("utf-8"))
    assert yamlfile.read_text(path, "agenda.yaml") == "event:\n  title: Réunion\n"
