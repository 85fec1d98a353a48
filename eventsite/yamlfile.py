"""Read YAML the way an organiser means it, remembering the line of every key and value."""

from __future__ import annotations

import re

import yaml

from .errors import Problem, SiteError


class MarkedMap(dict):
    """A mapping that knows the 1-based line and column of itself, its keys and its values."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.line, self.column = 0, 0
        self.key_marks: dict[str, tuple[int, int]] = {}
        self.value_marks: dict[str, tuple[int, int]] = {}

    def where(self, key: str) -> tuple[int, int]:
        """Position of the value of `key` if present, else of the mapping itself."""
        return self.value_marks.get(key) or (self.line, self.column)


class MarkedList(list):
    """A sequence that knows the 1-based line and column of itself and of each item."""

    line: int = 0
    column: int = 0
    item_marks: list


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

    def construct_marked_map(self, node: yaml.MappingNode):
        mapping = MarkedMap()
        mapping.line, mapping.column = _position(node)
        yield mapping
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            line, column = _position(key_node)
            if key in mapping:
                first = mapping.key_marks[key][0]
                self.problems.append(Problem(
                    self.file, line,
                    f'"{key}" appears twice in this mapping (first on line {first}). '
                    "Keep one of them; YAML would silently use the last.", column))
                continue
            mapping[key] = self.construct_object(value_node, deep=True)
            mapping.key_marks[key] = (line, column)
            mapping.value_marks[key] = _position(value_node)

    def construct_marked_list(self, node: yaml.SequenceNode):
        items = MarkedList()
        items.line, items.column = _position(node)
        items.item_marks = [_position(child) for child in node.value]
        yield items
        items.extend(self.construct_object(child, deep=True) for child in node.value)


def _add_resolver(tag: str, pattern: str, first: str) -> None:
    OrganiserLoader.add_implicit_resolver(tag, re.compile(pattern, re.X), list(first))


_add_resolver("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF")
_add_resolver("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9_]*)$", "-+0123456789")
_add_resolver("tag:yaml.org,2002:float",
              r"^[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?$", "-+0123456789")
OrganiserLoader.add_constructor("tag:yaml.org,2002:map", OrganiserLoader.construct_marked_map)
OrganiserLoader.add_constructor("tag:yaml.org,2002:seq", OrganiserLoader.construct_marked_list)


def read_yaml(text: str, file: str):
    """Parse YAML text into MarkedMap/MarkedList; raise SiteError naming file and line."""
    loader = OrganiserLoader(text, file)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = (exc.problem or exc.context or "invalid YAML").rstrip(".")
        hint = _syntax_hint(reason)
        raise SiteError([Problem(file, mark.line + 1, f"{reason}. {hint}", mark.column + 1)]) from None
    except yaml.YAMLError as exc:
        raise SiteError([Problem(file, 1, f"{exc}. Check the file is valid YAML.")]) from None
    finally:
        loader.dispose()
    if loader.problems:
        raise SiteError(loader.problems)
    return data


def _syntax_hint(reason: str) -> str:
    if "\\t" in reason or "tab" in reason:
        return "Indent with spaces, not tabs."
    if "quoted scalar" in reason:
        return "Close the quote that starts here."
    if "mapping values are not allowed" in reason:
        return "Put quotes around text that contains a colon, or fix the indentation above."
    return "Check the indentation and quotes on this line and the one above."


def _construct_timestamp(loader: OrganiserLoader, node: yaml.ScalarNode):
    """Keep an impossible date such as 2025-02-30 as text, so validation can name its line."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


OrganiserLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
