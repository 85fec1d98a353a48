"""Static assets renamed after their content, so a server may let browsers cache them for ever.

`site.css` is written as `assets/site.1a2b3c4d.css`: a changed file gets a new name, so a
year-long `Cache-Control: immutable` never serves a stale stylesheet. Templates ask for
`asset("site.css")`; `url()` references between assets inside CSS are rewritten too.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from types import MappingProxyType
from typing import Mapping

from .errors import Problem, SiteError

CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


@dataclass(frozen=True)
class Assets:
    """The fingerprinted files, and the name each source name is published under."""

    files: Mapping[str, bytes]  # output path below dist/ -> content
    names: Mapping[str, str]  # "site.css" -> "assets/site.1a2b3c4d.css"

    def url(self, name: str) -> str:
        """The published path of an asset, relative to the site root."""
        if name not in self.names:
            raise SiteError([Problem("templates", 0, f'asset("{name}") names no file in '
                                     "assets/. Fix the name or add the file.")])
        return self.names[name]


def fingerprinted(name: str, content: bytes) -> str:
    """'css/site.css' -> 'css/site.1a2b3c4d.css': the first 8 hex digits of its SHA-256."""
    path = PurePosixPath(name)
    digest = hashlib.sha256(content).hexdigest()[:8]
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))


def rewrite_css_urls(css: bytes, css_name: str, renamed: Mapping[str, str]) -> bytes:
    """Point url(...) references at the fingerprinted names (paths relative to the CSS file)."""
    folder = posixpath.dirname(css_name)

    def replace(match: re.Match) -> str:
        quote, reference = match.groups()
        target = posixpath.normpath(posixpath.join(folder, reference))
        if target not in renamed:
            return match.group(0)  # data:, http:, or not one of ours
        new_name = posixpath.basename(renamed[target])
        return f"url({quote}{posixpath.join(posixpath.dirname(reference), new_name)}{quote})"

    return CSS_URL.sub(replace, css.decode("utf-8")).encode("utf-8")


def fingerprint_assets(sources: Mapping[str, bytes]) -> Assets:
    """Rename every asset (names relative to assets/) after its content.

    Other files first, then stylesheets with their url()s rewritten, so a stylesheet's name
    changes whenever an image it uses changes.
    """
    renamed = {name: fingerprinted(name, content) for name, content in sources.items()
               if not name.endswith(".css")}
    contents = {name: sources[name] for name in renamed}
    for name in sorted(n for n in sources if n.endswith(".css")):
        contents[name] = rewrite_css_urls(sources[name], name, renamed)
        renamed[name] = fingerprinted(name, contents[name])
    files = {f"assets/{renamed[name]}": contents[name] for name in sorted(renamed)}
    names = {name: f"assets/{renamed[name]}" for name in sorted(renamed)}
    return Assets(MappingProxyType(files), MappingProxyType(names))
