"""Read YAML the way an organiser means it, remembering the line of every key and value."""

from __future__ import annotations

import re
import sys
from array import array
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

from .errors import Problem, SiteError


class MarkedMap(dict):
    """A mapping that knows the 1-based line and column of itself, its keys and its values.

    A congress's agenda has millions of positions, and they live as long as the model is being
    built: each mapping packs its own into one array instead of a dict of tuples per side."""

    __slots__ = ("line", "column", "_marks")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.line, self.column = 0, 0
        self._marks = array("I")  # key line, key column, value line, value column; per key

    def put(self, key: str, value, key_at: tuple[int, int], value_at: tuple[int, int]) -> None:
        """Add a key that is not there yet, with where its key and its value start."""
        self[key] = value
        self._marks.extend((*key_at, *value_at))

    def where(self, key: str) -> tuple[int, int]:
        """Position of the value of `key` if present, else of the mapping itself."""
        return self.value_marks.get(key) or (self.line, self.column)

    @property
    def key_marks(self) -> "_KeyPositions":
        return _KeyPositions(self, 0)

    @property
    def value_marks(self) -> "_KeyPositions":
        return _KeyPositions(self, 2)


class _KeyPositions(Mapping):
    """{key: (line, column)} of a MarkedMap's keys (or of its values), read from its array."""

    __slots__ = ("_map", "_offset")

    def __init__(self, marked: MarkedMap, offset: int):
        self._map, self._offset = marked, offset

    def __getitem__(self, key: str) -> tuple[int, int]:
        if key not in self._map:
            raise KeyError(key)
        start = 4 * list(self._map).index(key) + self._offset  # a mapping has a dozen keys
        return self._map._marks[start], self._map._marks[start + 1]

    def __iter__(self):
        return iter(self._map)

    def __len__(self) -> int:
        return len(self._map)


class MarkedList(list):
    """A sequence that knows the 1-based line and column of itself and of each item."""

    __slots__ = ("line", "column", "_marks")

    def __init__(self, *args):
        super().__init__(*args)
        self.line, self.column = 0, 0
        self._marks = array("I")  # line and column of each item

    def add(self, item, at: tuple[int, int]) -> None:
        self.append(item)
        self._marks.extend(at)

    @property
    def item_marks(self) -> "_ItemPositions":
        return _ItemPositions(self._marks)


class _ItemPositions(Sequence):
    """[(line, column)] of a MarkedList's items, read from its array."""

    __slots__ = ("_marks",)

    def __init__(self, marks: array):
        self._marks = marks

    def __getitem__(self, index: int) -> tuple[int, int]:
        if not -len(self) <= index < len(self):
            raise IndexError(index)
        start = 2 * (index % len(self))
        return self._marks[start], self._marks[start + 1]

    def __len__(self) -> int:
        return len(self._marks) // 2


# Spaces that look like ordinary ones but are not YAML indentation.
_ODD_SPACE = re.compile("[\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]")


def _position(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class OrganiserLoader(yaml.SafeLoader):
    """SafeLoader without YAML 1.1's surprises, and with positions and duplicate-key checks.

    YAML 1.1 reads an unquoted 9:00 as the base-60 integer 540 and `no` as False; organisers
    mean a time and a word, so those implicit types are dropped (YAML 1.2 dropped them too).
    """

    yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag not in (
            "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def __init__(self, stream, file: str):
        super().__init__(stream)
        self.file = file
        self.problems: list[Problem] = []
        self.depth = 0

    def compose_node(self, parent, index):
        """PyYAML's composer, refusing aliases and values nested too deep (see refused)."""
        event = self.peek_event()
        self.depth += 1
        try:
            refused(event, self.depth, self.file)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_marked_map(self, node: yaml.MappingNode):
        mapping = MarkedMap()
        mapping.line, mapping.column = _position(node)
        yield mapping
        self.flatten_mapping(node)
        reported = False  # a lost line merges two mappings: one message, not one per key
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            line, column = _position(key_node)
            if _ODD_SPACE.search(key):
                self.problems.append(Problem(
                    self.file, line, "this line is indented or written with a non-breaking or "
                    "other unusual space (often pasted from Word). Retype it with ordinary "
                    "spaces.", column))
                continue
            if key in mapping:
                if not reported:
                    self.problems.append(Problem(
                        self.file, line, f'"{key}" appears twice here (first on line '
                        f"{mapping.key_marks[key][0]}). Keep one of them: YAML would silently "
                        "use the last.", column))
                reported = True
                continue
            mapping.put(key, self.construct_object(value_node, deep=True), (line, column),
                        _position(value_node))

    def construct_marked_list(self, node: yaml.SequenceNode):
        items = MarkedList()
        items.line, items.column = _position(node)
        yield items
        for child in node.value:
            items.add(self.construct_object(child, deep=True), _position(child))


# Far deeper than any agenda (a sub-item's text is about 12 levels down), far shallower than
# what exhausts Python's stack: 3,000 nested brackets were a traceback.
MAX_DEPTH = 40


def refused(event: yaml.Event, depth: int, file: str) -> None:
    """Raise a located SiteError for what no site file may hold: an alias, which repeats an
    anchored value (a few hundred bytes of them expanded into a 501 MB site), or a value
    nested deeper than MAX_DEPTH."""
    line, column = event.start_mark.line + 1, event.start_mark.column + 1
    if isinstance(event, yaml.AliasEvent):
        raise SiteError([Problem(file, line, f'"*{event.anchor}" repeats the value marked '
                                 f'"&{event.anchor}", which the site does not allow (a few '
                                 "aliases can make a file thousands of times larger). Write "
                                 "the value out here, or put the text in quotes.", column)])
    if depth > MAX_DEPTH:
        raise SiteError([Problem(file, line, f"values are nested more than {MAX_DEPTH} deep "
                                 "here. Check the brackets and the indentation: an agenda "
                                 "needs a dozen levels at most.", column)])


def _add_resolver(tag: str, pattern: str, first: str) -> None:
    OrganiserLoader.add_implicit_resolver(tag, re.compile(pattern, re.X), list(first))


_add_resolver("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF")
_add_resolver("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9_]*)$", "-+0123456789")
_add_resolver("tag:yaml.org,2002:float",
              r"^[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?$", "-+0123456789")
OrganiserLoader.add_constructor("tag:yaml.org,2002:map", OrganiserLoader.construct_marked_map)
OrganiserLoader.add_constructor("tag:yaml.org,2002:seq", OrganiserLoader.construct_marked_list)


def read_text(path: Path, file: str) -> str:
    """A source file as text: UTF-8 with or without BOM, any line ending; else a located error."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start:exc.start].decode("utf-8", "replace")) + 1
        raise SiteError([Problem(
            file, data.count(b"\n", 0, exc.start) + 1,
            f"byte 0x{data[exc.start]:02x} is not UTF-8 text (the file was probably saved as "
            "Windows-1252 or Latin-1, e.g. by Word). Save it with the UTF-8 encoding.",
            column)]) from None
    if "\r" not in text:  # the usual case: spares copying a congress's 9 MB twice
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_yaml(text: str, file: str):
    """Parse YAML text into MarkedMap/MarkedList; raise SiteError naming file and line."""
    try:
        OrganiserLoader(text, file).dispose()  # the reader refuses control characters at once
    except yaml.reader.ReaderError as exc:
        raise SiteError([_reader_problem(text, exc, file)]) from None
    for make in _LOADERS:
        loader = make(text, file)
        try:
            data = loader.get_single_data()
        except (yaml.MarkedYAMLError, Irregular) as exc:
            if make is not OrganiserLoader:
                continue  # the next loader reads it; explanations are for PyYAML's messages
            raise SiteError([syntax_problem(text, exc, file)]) from None
        finally:
            loader.dispose()
        if loader.problems:
            raise SiteError(loader.problems)
        return data


def _reader_problem(text: str, exc: yaml.reader.ReaderError, file: str) -> Problem:
    line = text.count("\n", 0, exc.position) + 1
    column = exc.position - text.rfind("\n", 0, exc.position)
    return Problem(file, line, f"an invisible control character (U+{exc.character:04X}) is "
                   "here, often pasted from a word processor. Delete it.", column)


_MISALIGNED = "this line is not lined up with the lines above it. Fix its indentation."
# PyYAML's wording → what went wrong in an organiser's words, and whether the place to show
# is where the construct started (the context mark) rather than where parsing gave up.
_EXPLANATIONS = (
    ("'\\t' that cannot start", False, "a tab is used here. Indent with spaces, not tabs."),
    ("that cannot start any token", False,
     "a value cannot start with this character. Put the value in quotes."),
    ("mapping values are not allowed", False,
     "a colon here starts a new field where none can be. Put text containing \": \" in quotes, "
     "or fix this line's indentation."),
    ("expected <block end>", False, _MISALIGNED),
    ("did not find expected", False, _MISALIGNED),
    ("could not find expected ':'", True,
     "this line is not a `field: value` pair. Add the colon, or indent it under its field."),
    ("expected ',' or '}'", True,
     "the { opened here is not closed, or a comma is missing. Close it with } on this line."),
    ("expected ',' or ']'", True,
     "the [ opened here is not closed, or a comma is missing. Close it with ] on this line."),
    ("escape", False, "a backslash inside double quotes starts an escape code. Use single "
     "quotes, or write \\\\ for one backslash."),
    ("undefined alias", False, "a value starting with * must be in quotes. Put it in quotes."),
    ("another document", False, "a second document starts here. Remove this '---' line."),
    ("end of stream", True, "the quote opened here is never closed. Close it on this line."),
)


def syntax_problem(text: str, exc: yaml.MarkedYAMLError, file: str) -> Problem:
    """One located, plain-words message for a YAML syntax error."""
    reason = exc.problem or exc.context or "invalid YAML"
    mark = exc.problem_mark or exc.context_mark
    quote = unclosed_quote(text, mark.line)
    if quote:
        return Problem(file, quote[0], "the quote opened here is never closed. Close it on "
                       "this line.", quote[1])
    for pattern, at_start, explanation in _EXPLANATIONS:
        if pattern in reason:
            place = exc.context_mark if at_start and exc.context_mark else mark
            return Problem(file, place.line + 1, explanation, place.column + 1)
    return Problem(file, mark.line + 1, f"{reason.rstrip('.')}. Check the indentation and "
                   "quotes on this line and the one above.", mark.column + 1)


_VALUE_QUOTE = re.compile(r"""(?:^[ \t-]*|:[ \t]+|[\[{,][ \t]*)(["'])""")
_QUOTED = {'"': re.compile(r'"(?:[^"\\]|\\.)*"', re.S), "'": re.compile(r"'(?:[^']|'')*'", re.S)}


def unclosed_quote(text: str, error_line: int) -> tuple[int, int] | None:
    """The (line, column) of a quote left open before `error_line` (0-based) that swallowed the
    text up to the error: YAML lets quoted text run over lines, so the parser fails far below."""
    lines = text.split("\n")
    offset = 0
    for number, line in enumerate(lines[: error_line + 1]):
        start = _quote_left_open(line)
        if start is not None:
            closed = _QUOTED[line[start]].match(text, offset + start)
            if not closed or text.count("\n", 0, closed.end()) <= error_line:
                return number + 1, start + 1
        offset += len(line) + 1
    return None


def _quote_left_open(line: str) -> int | None:
    """Index of a quote that starts a value on this line and is not closed on it."""
    position = 0
    while (found := _VALUE_QUOTE.search(line, position)) is not None:
        start = found.start(1)
        closed = _QUOTED[found[1]].match(line, start)
        if not closed:
            return start
        position = closed.end()
    return None


def _construct_timestamp(loader: OrganiserLoader, node: yaml.ScalarNode):
    """Keep an impossible date such as 2025-02-30 as text, so validation can name its line."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


OrganiserLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


class Irregular(yaml.YAMLError):
    """What the streaming loader leaves to the composing one: a mistake, to be reported exactly
    as always, or YAML an organiser hardly writes (merge keys, tags, complex keys, recursion)."""


# libyaml parses a congress's agenda ten times faster; PyYAML's own parser then runs only to
# explain a mistake (or alone, when PyYAML was built without libyaml).
if getattr(yaml, "__with_libyaml__", False):
    class _FastLoader(yaml.cyaml.CParser, OrganiserLoader):
        """OrganiserLoader's constructors and resolvers over libyaml's parser."""

        def __init__(self, stream, file: str):
            yaml.cyaml.CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self.file = file
            self.problems: list[Problem] = []
            self.depth = 0

    class _StreamLoader(_FastLoader):
        """Builds MarkedMap/MarkedList straight from libyaml's events.

        Composing first would hold a node, with two marks, for every scalar of the document
        at once: for a congress's agenda, several times the memory of the data itself. The
        values and positions it gives are those of the composing loader; a document it does
        not read that simply raises Irregular."""

        SCALAR_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in (
            "null", "bool", "int", "float", "binary", "timestamp"))

        def get_single_data(self):
            self.get_event()  # the stream's start
            data = None
            if not self.check_event(yaml.StreamEndEvent):
                self.get_event()  # the document's start
                data, _ = self.read_value(self.get_event())
                self.get_event()  # the document's end
            if not self.check_event(yaml.StreamEndEvent):
                raise Irregular("a second document")
            return data

        def read_value(self, event: yaml.Event) -> tuple[object, tuple[int, int]]:
            """The value that starts with `event`, and where it starts."""
            self.depth += 1
            try:
                refused(event, self.depth, self.file)
                at = event.start_mark.line + 1, event.start_mark.column + 1
                if type(event) is yaml.ScalarEvent:
                    return self.read_scalar(event), at
                if type(event) is yaml.MappingStartEvent:
                    return self.read_mapping(event, at), at
                return self.read_sequence(event, at), at
            finally:
                self.depth -= 1

        def read_scalar(self, event: yaml.ScalarEvent):
            tag = event.tag
            if tag is None or tag == "!":
                tag = self.resolve(yaml.ScalarNode, event.value, event.implicit)
            if tag == self.DEFAULT_SCALAR_TAG:
                return event.value
            if tag not in self.SCALAR_TAGS:
                raise Irregular(f"a scalar tagged {tag}")  # also merge (<<) and value (=) keys
            node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark,
                                   event.style)
            return self.yaml_constructors[tag](self, node)

        def read_mapping(self, event: yaml.MappingStartEvent, at: tuple[int, int]) -> MarkedMap:
            if event.tag not in (None, "!", self.DEFAULT_MAPPING_TAG):
                raise Irregular(f"a mapping tagged {event.tag}")
            mapping = MarkedMap()
            mapping.line, mapping.column = at
            while type(event := self.get_event()) is not yaml.MappingEndEvent:
                if type(event) is not yaml.ScalarEvent:
                    raise Irregular("a key that is not a scalar")
                key, key_at = self.read_value(event)
                # One object for each key of a thousand mappings, kept by the model for the
                # locale codes of its texts.
                key = sys.intern(key if isinstance(key, str) else str(key))
                if key in mapping or _ODD_SPACE.search(key):
                    raise Irregular("a mistake in a key")
                value, value_at = self.read_value(self.get_event())
                mapping.put(key, value, key_at, value_at)
            return mapping

        def read_sequence(self, event: yaml.SequenceStartEvent, at: tuple[int, int]
                          ) -> MarkedList:
            if event.tag not in (None, "!", self.DEFAULT_SEQUENCE_TAG):
                raise Irregular(f"a sequence tagged {event.tag}")
            items = MarkedList()
            items.line, items.column = at
            while type(event := self.get_event()) is not yaml.SequenceEndEvent:
                items.add(*self.read_value(event))
            return items

    # What the streaming loader does not read (merge keys, tags: YAML an organiser hardly
    # writes) goes to PyYAML's own composer, whose compose_node refuses aliases and depth.
    _LOADERS: tuple = (_StreamLoader, OrganiserLoader)
else:
    _LOADERS = (OrganiserLoader,)
