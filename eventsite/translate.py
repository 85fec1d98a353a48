"""Translators' files: export the site's texts as XLIFF 1.2 or PO (with a TMX of the approved
translations and the glossary beside them), and import the translations back into
agenda.yaml and content/<locale>/.

The files are read and written by translate-toolkit (XLIFF, TMX) and Babel (PO); agenda.yaml is
rewritten by ruamel.yaml, which keeps its comments, key order and quoting, so the diff shows only
the values that changed. What is written here by hand is the mapping between the site's fields
and units (units.py) and between inline Markdown and placeholders: a link, emphasis or code is a
placeholder a CAT tool protects, `<g id="1">text</g>` or `<x id="2"/>` in XLIFF and
`{1}text{/1}` or `{2/}` in PO, and its Markdown is restored from the source on import.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem, SiteError
from .load import load_site
from .model import Site
from .units import (LOCK, MACHINE, REVIEWED, Record, Unit, lock_text, read_glossary, read_lock,
                    status, units_of)

XLIFF_NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
# XLIFF 1.2 target states (and state-qualifiers) that mean "machine translation, not reviewed".
REVIEWED_STATES = ("translated", "signed-off", "final")
UNREVIEWED_STATES = ("needs-review-translation", "needs-review-adaptation", "needs-review-l10n")
MACHINE_QUALIFIERS = ("mt-suggestion", "leveraged-mt")


# ---------------------------------------------------------------- inline Markdown ↔ placeholders

@dataclass(frozen=True)
class Tag:
    """A placeholder: `g` wraps translatable text (a link's text, emphasis), `x` stands alone
    (code, an image, a line break inside a list)."""

    kind: str  # "g" or "x"
    id: str
    ctype: str
    markup: tuple[str, str]  # the Markdown before and after its text (x: before only)
    children: tuple = ()


INLINE = re.compile(
    r"(?P<code>(`+)[^`].*?\2)"
    r"|(?P<image>!\[[^\]]*\]\([^)]*\))"
    r"|(?P<autolink><(?:https?|mailto|tel):[^>\s]+>)"
    r"|(?P<link>\[(?P<link_text>(?:\\.|[^\[\]\\])+)\](?P<link_end>\([^)\s]*(?:\s+\"[^\"]*\")?\)))"
    r"|(?P<bold>(?P<bold_mark>\*\*|__)(?=\S)(?P<bold_text>.+?)(?<=\S)(?P=bold_mark))"
    r"|(?P<italic>(?P<italic_mark>\*|(?<!\w)_)(?=\S)(?P<italic_text>.+?)(?<=\S)(?P=italic_mark)"
    r"(?!\w))"
    r"|(?P<lb>\n[ \t]*(?:\n[ \t]*)*(?:(?:[-*+]|\d+[.)])[ \t]+|>[ \t]?)?)", re.S)
# What starts a block and stays outside the unit: a heading's #s, a quote's >, a list marker.
BLOCK_PREFIX = re.compile(r"^(?:#{1,6}[ \t]+|>[ \t]?|(?:[-*+]|\d+[.)])[ \t]+)")


def split_prefix(block: str) -> tuple[str, str]:
    match = BLOCK_PREFIX.match(block)
    return (match[0], block[match.end():]) if match else ("", block)


def to_segments(markdown: str, counter: list[int] | None = None) -> tuple:
    """Markdown → a tuple of strings and Tags, numbered in order of appearance."""
    counter = counter if counter is not None else [0]
    parts, position = [], 0
    for match in INLINE.finditer(markdown):
        if match.start() > position:
            parts.append(markdown[position:match.start()])
        counter[0] += 1
        number = str(counter[0])
        kind = match.lastgroup if match.lastgroup in ("code", "image", "autolink", "lb") else None
        if kind:
            ctype = {"code": "x-code", "image": "image", "autolink": "x-link", "lb": "lb"}[kind]
            parts.append(Tag("x", number, ctype, (match[0], "")))
        elif match["link"]:
            parts.append(Tag("g", number, "x-link", ("[", "]" + match["link_end"]),
                             to_segments(match["link_text"], counter)))
        else:
            name = "bold" if match["bold"] else "italic"
            mark = match[f"{name}_mark"]
            parts.append(Tag("g", number, name, (mark, mark),
                             to_segments(match[f"{name}_text"], counter)))
        position = match.end()
    if position < len(markdown):
        parts.append(markdown[position:])
    return tuple(parts)


def tags_of(segments) -> dict[str, Tag]:
    found = {}
    for part in segments:
        if isinstance(part, Tag):
            found[part.id] = part
            found.update(tags_of(part.children))
    return found


def to_markdown(segments, originals: dict[str, Tag]) -> str:
    """Segments → Markdown, each placeholder's markup taken from the source's tag of its id."""
    text = []
    for part in segments:
        if isinstance(part, Tag):
            tag = originals[part.id]
            text += [tag.markup[0], to_markdown(part.children, originals), tag.markup[1]]
        else:
            text.append(part)
    return "".join(text)


def renumbered(target, source_tags: dict[str, Tag]):
    """The current translation's segments with the ids of the source's placeholders of the same
    markup (first unused first), or None when its markup differs from the source's."""
    unused = sorted(source_tags.values(), key=lambda tag: int(tag.id))

    def walk(segments):
        parts = []
        for part in segments:
            if not isinstance(part, Tag):
                parts.append(part)
                continue
            match = next((tag for tag in unused if (tag.kind, tag.markup) ==
                          (part.kind, part.markup)), None)
            if match is None:
                raise LookupError(part)
            unused.remove(match)
            parts.append(Tag(part.kind, match.id, match.ctype, match.markup, walk(part.children)))
        return tuple(parts)

    try:
        return walk(target)
    except LookupError:
        return None


def placeholder_problem(segments, source_tags: dict[str, Tag]) -> str | None:
    """What is wrong with a translation's placeholders: each of the source's, once, as in it."""
    seen = []

    def walk(parts):
        for part in parts:
            if isinstance(part, Tag):
                seen.append(part)
                walk(part.children)

    walk(segments)
    ids = [tag.id for tag in seen]
    for tag in seen:
        if tag.id not in source_tags or source_tags[tag.id].kind != tag.kind:
            return f'placeholder {tag.id} ({tag.kind}) is not one of the source\'s'
        if ids.count(tag.id) > 1:
            return f"placeholder {tag.id} appears {ids.count(tag.id)} times"
    missing = sorted(set(source_tags) - set(ids), key=int)
    if missing:
        return f"placeholder {', '.join(missing)} of the source is missing"
    return None


@dataclass(frozen=True)
class Segmented:
    """A unit's source as a translator sees it: its block prefix kept aside, the rest as
    segments."""

    prefix: str
    segments: tuple

    @property
    def tags(self) -> dict[str, Tag]:
        return tags_of(self.segments)


def segmented(unit: Unit, text: str) -> Segmented:
    if not unit.markdown:
        return Segmented("", (text,))
    prefix, rest = split_prefix(text) if unit.id.split("/")[2:3] == ["body"] else ("", text)
    return Segmented(prefix, to_segments(rest))


# ---------------------------------------------------------------- export

@dataclass(frozen=True)
class ExportUnit:
    unit: Unit
    state: str  # status(): missing, stale, machine, done
    source: Segmented
    target: tuple | None  # segments, None when there is none (or its markup differs)
    note: str


def export_units(site: Site, site_dir: Path, locale: str, only: str = "all") -> list[ExportUnit]:
    lock = read_lock(site_dir)
    glossary = read_glossary(site_dir, site.default_locale, locale)
    chosen = []
    for unit in units_of(site, locale, glossary):
        state = status(unit, locale, lock)
        if only != "all" and state != only:
            continue
        source = segmented(unit, unit.source)
        target, note = None, unit.note
        if unit.target is not None:
            target = renumbered(segmented(unit, unit.target).segments, source.tags)
            if target is None:
                note += (" The current translation's markup differs from the source's: "
                         f"{unit.target}")
        if state == "stale":
            note += (f" The {site.default_locale} text changed since this translation was made:"
                     " update it.")
        chosen.append(ExportUnit(unit, state, source, target, note))
    return chosen


def check_locale(site: Site, locale: str, file: str) -> None:
    if locale not in site.locales[1:]:
        raise SiteError([Problem(file, 0, f'"{locale}" is not a language to translate into on '
                                 f"this site ({', '.join(site.locales[1:])}; the source is "
                                 f"{site.default_locale}). Choose one of them.")])


def xliff_bytes(site: Site, units: list[ExportUnit], locale: str) -> bytes:
    from translate.storage import xliff

    class Unit12(xliff.xlifffile.UnitClass):
        namespace = XLIFF_NAMESPACE

    class Xliff12(xliff.xlifffile):
        """XLIFF 1.2, the version every CAT tool reads (translate-toolkit writes 1.1)."""

        XMLskeleton = xliff.xlifffile.XMLskeleton.replace("1.1", "1.2")
        namespace = XLIFF_NAMESPACE
        UnitClass = Unit12

    store = Xliff12(sourcelanguage=site.default_locale, targetlanguage=locale)
    store.setfilename(store.getfilenode("NoName"), site.event.id)
    for item in units:
        unit = store.addsourceunit("", filename=site.event.id)
        unit.setid(item.unit.id)
        unit.rich_source = [_toolkit_elements(item.source.segments)]
        if item.target is not None:
            unit.rich_target = [_toolkit_elements(item.target)]
            target = unit.xmlelement.find(f"{{{XLIFF_NAMESPACE}}}target")
            target.attrib.clear()
            target.set("state", {"done": "translated", "machine": "needs-review-translation",
                                 "stale": "needs-translation"}[item.state])
            if item.state == "machine":
                target.set("state-qualifier", "mt-suggestion")
        unit.xmlelement.attrib.pop("approved", None)
        if item.state == "done":
            unit.xmlelement.set("approved", "yes")
        unit.addnote(item.note, origin="developer")
    # What each placeholder stands for (a link, bold, a line break), for the translator.
    tags = {item.unit.id: item.source.tags for item in units}
    for unit in store.document.getroot().iter(f"{{{XLIFF_NAMESPACE}}}trans-unit"):
        # (translate-toolkit makes them without a namespace; they are written in the file's)
        for element in unit.iter("g", "x", f"{{{XLIFF_NAMESPACE}}}g", f"{{{XLIFF_NAMESPACE}}}x"):
            element.set("ctype", tags[unit.get("id")][element.get("id")].ctype)
    return bytes(store)


def _toolkit_elements(segments):
    from translate.storage.placeables import StringElem
    from translate.storage.placeables.xliff import G, X

    parts = []
    for part in segments:
        if isinstance(part, Tag):
            parts.append(G(id=part.id, sub=list(_toolkit_elements(part.children).sub))
                         if part.kind == "g" else X(id=part.id))
        else:
            parts.append(part)
    return StringElem(parts)


def po_text(segments) -> str:
    text = []
    for part in segments:
        if isinstance(part, Tag):
            text.append(f"{{{part.id}/}}" if part.kind == "x" else
                        f"{{{part.id}}}{po_text(part.children)}{{/{part.id}}}")
        else:
            text.append(part)
    return "".join(text)


PO_PLACEHOLDER = re.compile(r"\{(/?)(\d+)(/?)\}")


def po_segments(text: str) -> tuple:
    """`{1}text{/1}` and `{2/}` → segments (their markup comes from the source's tags on
    import); ValueError on an unbalanced one."""
    stack: list[tuple[str, list]] = [("", [])]
    position = 0
    for match in PO_PLACEHOLDER.finditer(text):
        if match.start() > position:
            stack[-1][1].append(text[position:match.start()])
        position = match.end()
        closing, number, lone = match[1], match[2], match[3]
        if lone:
            stack[-1][1].append(Tag("x", number, "", ("", "")))
        elif not closing:
            stack.append((number, []))
        elif stack[-1][0] != number:
            raise ValueError(f"{{/{number}}} closes a placeholder that is not open")
        else:
            children = stack.pop()[1]
            stack[-1][1].append(Tag("g", number, "", ("", ""), tuple(children)))
    if len(stack) > 1:
        raise ValueError(f"{{{stack[-1][0]}}} is never closed with {{/{stack[-1][0]}}}")
    if position < len(text):
        stack[0][1].append(text[position:])
    return tuple(stack[0][1])


def po_bytes(site: Site, units: list[ExportUnit], locale: str, stamp) -> bytes:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = Catalog(locale=locale.replace("-", "_"), project=site.event.id,
                      creation_date=stamp, revision_date=stamp, fuzzy=False,
                      header_comment=(f"# Translations of {site.event.id} into {locale}.\n"
                                      "# Placeholders: {1}text{/1} wraps text that is a link or "
                                      "emphasis, {2/} stands for code,\n# an image or a line "
                                      "break. Keep each one, with its number; move them as the "
                                      "sentence needs."))
    for item in units:
        target = po_text(item.target) if item.target is not None else ""
        flags = ("fuzzy",) if item.state in ("machine", "stale") else ()
        catalog.add(po_text(item.source.segments), target, context=item.unit.id,
                    auto_comments=[item.note], flags=flags)
    out = io.BytesIO()
    write_po(out, catalog, width=0, omit_header=False)
    return out.getvalue()


def tmx_bytes(site: Site, site_dir: Path, locale: str) -> bytes:
    """The approved pairs (done, reviewed, current) as a translation memory."""
    from translate.storage import tmx

    memory = tmx.tmxfile(sourcelanguage=site.default_locale, targetlanguage=locale)
    lock = read_lock(site_dir)
    for unit in units_of(site, locale):
        if unit.target is not None and status(unit, locale, lock) == "done":
            memory.addtranslation(unit.source, site.default_locale, unit.target, locale)
    return bytes(memory)


def glossary_bytes(site: Site, site_dir: Path, locale: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow((site.default_locale, locale, "note"))
    for term in read_glossary(site_dir, site.default_locale, locale):
        writer.writerow((term.source, term.target, term.note))
    return out.getvalue().encode("utf-8")


@dataclass(frozen=True)
class Exported:
    paths: tuple[Path, ...]
    units: int
    words: int


def export(site_dir: Path, locale: str, fmt: str = "xliff", only: str = "all",
           out: Path | None = None) -> Exported:
    """Write the units of `locale` and the translator's kit (TMX, glossary) into `out`."""
    from .build import build_stamp

    site = load_site(site_dir)
    check_locale(site, locale, "--lang")
    units = export_units(site, site_dir, locale, only)
    out = out or site_dir / "translations"
    out.mkdir(parents=True, exist_ok=True)
    stem = f"{site.event.id}.{locale}"
    if fmt == "po":
        main = out / f"{stem}.po"
        main.write_bytes(po_bytes(site, units, locale,
                                  build_stamp(site.event, os.environ.get("SOURCE_DATE_EPOCH"))))
    else:
        main = out / f"{stem}.xlf"
        main.write_bytes(xliff_bytes(site, units, locale))
    memory, glossary = out / f"{stem}.tmx", out / f"{stem}.glossary.csv"
    memory.write_bytes(tmx_bytes(site, site_dir, locale))
    glossary.write_bytes(glossary_bytes(site, site_dir, locale))
    return Exported((main, memory, glossary), len(units), sum(item.unit.words for item in units))


# ---------------------------------------------------------------- import

@dataclass(frozen=True)
class Incoming:
    """One unit of a returned file: its id, source and translation as segments, state, line."""

    id: str
    source: tuple
    target: tuple | None
    state: str  # REVIEWED or MACHINE
    line: int
    problem: str | None = None  # a placeholder that cannot be read


def read_xliff(path: Path, file: str) -> tuple[str, list[Incoming]]:
    from lxml import etree
    from translate.storage import xliff

    try:
        store = xliff.xlifffile.parsestring(path.read_bytes())
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise SiteError([Problem(file, getattr(exc, "lineno", 0) or 0,
                                 f"this is not an XLIFF file that can be read ({exc}). Send "
                                 "back the file as exported, translated.")]) from None
    file_node = next(store.document.getroot().iterchildren(store.namespaced("file")))
    locale = file_node.get("target-language") or ""
    incoming = []
    for unit in store.units:
        element = unit.xmlelement
        target = element.find(store.namespaced("target"))
        source = element.find(store.namespaced("source"))
        state, segments, problem = None, None, None
        if target is not None and (target.text or len(target)):
            xml_state = target.get("state", "translated")
            qualifier = target.get("state-qualifier", "")
            if xml_state in REVIEWED_STATES or xml_state in UNREVIEWED_STATES:
                state = (MACHINE if qualifier in MACHINE_QUALIFIERS
                         or xml_state in UNREVIEWED_STATES else REVIEWED)
                try:
                    segments = _xml_segments(target, store.namespaced)
                except ValueError as exc:
                    problem = str(exc)
        try:
            source_segments = _xml_segments(source, store.namespaced) if source is not None else ()
        except ValueError:
            source_segments = ()
        incoming.append(Incoming(element.get("id", ""), source_segments, segments, state,
                                 element.sourceline or 0, problem))
    return locale, incoming


def _xml_segments(element, namespaced) -> tuple:
    parts = [element.text] if element.text else []
    for child in element:
        if child.tag == namespaced("g"):
            parts.append(Tag("g", child.get("id", ""), "", ("", ""),
                             _xml_segments(child, namespaced)))
        elif child.tag == namespaced("x"):
            parts.append(Tag("x", child.get("id", ""), "", ("", "")))
        elif child.tag == namespaced("mrk"):
            # Markers CAT tools add (Trados' and Okapi's segments, comments, terms) hold text.
            parts += _xml_segments(child, namespaced)
        else:
            raise ValueError(f"<{child.tag.split('}')[-1]}> is not a placeholder this site "
                             "wrote (only <g> and <x>)")
        if child.tail:
            parts.append(child.tail)
    return tuple(parts)


def read_po(path: Path, file: str) -> tuple[str, list[Incoming]]:
    from babel.messages.pofile import PoFileError, read_po as babel_read_po

    try:
        with path.open("rb") as handle:
            catalog = babel_read_po(handle, abort_invalid=True)
    except (PoFileError, UnicodeDecodeError) as exc:
        raise SiteError([Problem(file, 0, f"this is not a PO file that can be read ({exc}). "
                                 "Send back the file as exported, translated.")]) from None
    incoming = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        line = message.lineno or 0
        try:
            source = po_segments(message.id)
        except ValueError:
            source = ()  # edited: reported as a changed source
        try:
            target, problem = po_segments(message.string), None
        except ValueError as exc:
            target, problem = None, str(exc)
        incoming.append(Incoming(message.context or "", source, target,
                                 MACHINE if message.fuzzy else REVIEWED, line, problem))
    return str(catalog.locale_identifier or "").replace("_", "-"), incoming


@dataclass(frozen=True)
class Change:
    unit: Unit
    markdown: str
    state: str


@dataclass
class Imported:
    locale: str
    changes: list[Change] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def import_file(site_dir: Path, path: Path, file: str | None = None) -> Imported:
    """Check every unit of a returned XLIFF or PO file against the current site, then write
    them all, or nothing (a SiteError lists what was refused)."""
    file = file or str(path)
    locale, incoming = (read_po if path.suffix == ".po" else read_xliff)(path, file)
    site = load_site(site_dir)
    check_locale(site, locale, file)
    units = {unit.id: unit for unit in units_of(site, locale)}
    problems, changes = [], []
    for entry in incoming:
        if entry.state is None:
            continue  # not translated yet: left as it is
        unit = units.get(entry.id)
        if unit is None:
            problems.append(Problem(file, entry.line, f'unit "{entry.id}" is not a text of this '
                                    "site (renamed or removed since the export?). Leave it out, "
                                    "or export again and translate the current file."))
            continue
        source = segmented(unit, unit.source)
        if not _same_source(entry.source, source):
            problems.append(Problem(file, entry.line, f'unit "{entry.id}": its '
                                    f"{site.default_locale} text changed since this file was "
                                    f'exported; it is now "{unit.source}". Export the unit again '
                                    f"(translate export --lang {locale} --only stale) and "
                                    "translate the new text."))
            continue
        problem = entry.problem or placeholder_problem(entry.target, source.tags)
        if problem:
            problems.append(Problem(file, entry.line, f'unit "{entry.id}": {problem}. Keep every '
                                    "placeholder of the source exactly once, with its number."))
            continue
        markdown = source.prefix + to_markdown(entry.target, source.tags)
        if not markdown.strip():
            continue
        changes.append(Change(unit, markdown.strip(), entry.state))
    if problems:
        raise SiteError(problems)
    result = Imported(locale, changes)
    writes = _agenda_writes(site, site_dir, locale, changes)
    writes.update(_page_writes(site, site_dir, locale, changes, file))
    lock = read_lock(site_dir)
    for change in changes:
        lock[(locale, change.unit.id)] = Record(change.unit.fingerprint, change.state)
    writes[site_dir / LOCK] = lock_text(lock)
    for target, text in sorted(writes.items()):
        if not target.is_file() or target.read_text("utf-8") != text:
            _replace(target, text)
            result.files.append(target.relative_to(site_dir).as_posix())
    return result


def _same_source(returned: tuple, current: Segmented) -> bool:
    """Whether the returned unit's source is the current one (placeholders compared by id)."""
    try:
        return to_markdown(returned, current.tags) == to_markdown(current.segments, current.tags)
    except KeyError:
        return False


def _replace(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.importing")
    temporary.write_text(text, "utf-8")
    os.replace(temporary, path)


# How a file's nested mappings and lists may be indented (mapping, sequence, dash offset): the
# example agenda.yaml's first, then the other usual styles.
INDENTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 4, 0), (4, 6, 4), (4, 2, 0))


def _yaml(indent: tuple[int, int, int] = INDENTS[0]):
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 1_000_000  # never fold a long line the organiser wrote on one
    yaml.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
    return yaml


def _load_keeping_layout(text: str, file: str):
    """The round-trip tree of a YAML file and the YAML that writes it back byte for byte, or a
    SiteError when no usual indentation does (the import would then reformat the file)."""
    for indent in INDENTS:
        yaml = _yaml(indent)
        tree = yaml.load(text)
        out = io.StringIO()
        yaml.dump(tree, out)
        if out.getvalue() == text:
            return yaml, tree
    raise SiteError([Problem(file, 0, "this file's indentation is mixed, so writing the "
                             "translations into it would change other lines too. Indent it "
                             "the same way throughout (as the example agenda.yaml is), or copy "
                             "the translations in by hand.")])


def _agenda_writes(site: Site, site_dir: Path, locale: str,
                   changes: list[Change]) -> dict[Path, str]:
    """agenda.yaml (and the day files it includes) with the new values, through ruamel.yaml."""
    from ruamel.yaml.comments import CommentedMap

    by_file: dict[str, list[Change]] = {}
    for change in changes:
        if not change.unit.id.startswith("pages/"):
            by_file.setdefault(change.unit.where.file, []).append(change)
    writes = {}
    for name, file_changes in by_file.items():
        yaml, tree = _load_keeping_layout((site_dir / name).read_text("utf-8"), name)
        maps = {}
        pending = [tree]
        while pending:
            node = pending.pop()
            if isinstance(node, CommentedMap):
                maps[(node.lc.line + 1, node.lc.col + 1)] = node
                pending += node.values()
            elif isinstance(node, list):
                pending += node
        for change in file_changes:
            where = change.unit.where
            values = maps[(where.line, where.column)]
            _set_translation(values, locale, change.markdown, site.locales)
        out = io.StringIO()
        yaml.dump(tree, out)
        writes[site_dir / name] = out.getvalue()
    return writes


def _styled(text: str, model):
    """`text` as a YAML scalar written the way `model` (the value it replaces, or the source's)
    is: a block for several lines, in quotes if it was quoted."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

    if "\n" in text or isinstance(model, LiteralScalarString):
        return LiteralScalarString(text.rstrip("\n") + "\n")
    if isinstance(model, DoubleQuotedScalarString):
        return DoubleQuotedScalarString(text)
    return text


def _set_translation(values, locale: str, text: str, locales: tuple[str, ...]) -> None:
    """Set one language's value in a per-language mapping, after the languages before it."""
    value = _styled(text, values.get(locale, values.get(locales[0])))
    if locale in values:
        values[locale] = value
        return
    before = [code for code in locales[:locales.index(locale)] if code in values]
    position = list(values).index(before[-1]) + 1 if before else 0
    values.insert(position, locale, value)


def _page_writes(site: Site, site_dir: Path, locale: str, changes: list[Change],
                 file: str) -> dict[Path, str]:
    """content/<locale>/<slug>.md rebuilt from the source page's blocks: each block its
    imported translation, else the page's current one."""
    by_slug: dict[str, dict[str, str]] = {}
    for change in changes:
        if change.unit.id.startswith("pages/"):
            slug, rest = change.unit.id.split("/", 2)[1:]
            by_slug.setdefault(slug, {})[rest] = change.markdown
    writes, problems = {}, []
    for slug, new in by_slug.items():
        units = {unit.id.split("/", 2)[2]: unit for unit in units_of(site, locale)
                 if unit.id.startswith(f"pages/{slug}/")}
        texts = {name: new.get(name, unit.target) for name, unit in units.items()}
        lacking = [name for name, text in texts.items() if text is None]
        if lacking:
            problems.append(Problem(file, 0, f"the page content/{locale}/{slug}.md would mix "
                                    f"languages: pages/{slug}/{lacking[0]} has no translation, "
                                    "here or in the page. Translate every unit of the page."))
            continue
        path = site_dir / "content" / locale / f"{slug}.md"
        source_path = site_dir / "content" / site.default_locale / f"{slug}.md"
        writes[path] = _page_text(path if path.is_file() else source_path, texts)
    if problems:
        raise SiteError(problems)
    return writes


def _page_text(model: Path, texts: dict[str, str]) -> str:
    """A page with the front matter of `model` (its comments and other fields kept), the new
    title and description, and the translated blocks."""
    from .content import read_front_matter

    lines = model.read_text("utf-8").split("\n")
    _, body_line = read_front_matter("\n".join(lines), model.name)
    yaml = _yaml()
    front = yaml.load("\n".join(lines[1:body_line - 2]))
    for name in ("title", "description"):
        front[name] = _styled(texts[name], front.get(name))
    out = io.StringIO()
    yaml.dump(front, out)
    blocks = [texts[name] for name in sorted((n for n in texts if n.startswith("body/")),
                                             key=lambda n: int(n.split("/")[1]))]
    return "---\n" + out.getvalue() + "---\n" + "\n\n".join(blocks) + "\n"


# ---------------------------------------------------------------- baseline

def baseline(site_dir: Path, locales: tuple[str, ...] = (), unit_ids: tuple[str, ...] = ()
             ) -> int:
    """Record the current source of every existing translation (of `locales`, of `unit_ids`)
    as the one it was made from, marking it reviewed: after a translation was checked by hand,
    or to start tracking the translations a site already has. Returns how many were recorded."""
    site = load_site(site_dir)
    for locale in locales:
        check_locale(site, locale, "--lang")
    lock = read_lock(site_dir)
    recorded = 0
    known = set()
    for locale in locales or site.locales[1:]:
        for unit in units_of(site, locale):
            known.add(unit.id)
            if unit.target is None or (unit_ids and unit.id not in unit_ids):
                continue
            lock[(locale, unit.id)] = Record(unit.fingerprint, REVIEWED)
            recorded += 1
    unknown = [unit_id for unit_id in unit_ids if unit_id not in known]
    if unknown:
        raise SiteError([Problem(LOCK, 0, f'"{unknown[0]}" is not a unit of this site. Give ids '
                                 "as the export writes them, e.g. sessions/session-1/title.")])
    live = {(locale, unit.id) for locale in site.locales[1:] for unit in units_of(site, locale)}
    lock = {key: record for key, record in lock.items() if key in live}
    _replace(site_dir / LOCK, lock_text(lock))
    return recorded
