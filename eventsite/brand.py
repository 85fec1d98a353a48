"""The organiser's branding (`site.brand` in agenda.yaml): a logo, an accent colour, a font stack.

Read and checked with the rest of the agenda; the pages receive it as a few CSS custom
properties (Brand.css) in a <style> after site.css, which applies on screen, in print and in
the PDF. The accent colours text and the backgrounds under white text, so it must reach WCAG
AA's 4.5:1 against every light background that text sits on, or the build refuses it, naming
its line; the dark colour scheme uses a lighter tint of it, worked out here until it reaches
4.5:1 against every dark background (an accent dark enough for white paper cannot be light
enough for dark paper).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .fields import Context, Fields, describe
from .yamlfile import MarkedMap

BRAND_FIELDS = ("logo", "accent", "font")
AA_TEXT = 4.5  # WCAG 2.2 AA: the contrast normal-size text needs
# The backgrounds in assets/site.css that accent-coloured text (links, numbers, buttons' words)
# sits on, in each colour scheme; a test checks they are the stylesheet's.
LIGHT_BACKGROUNDS = {"--paper": "#ffffff", "--wash": "#f3f6f8", "--now": "#e7f5ef",
                     "--notice": "#fff7e0"}
DARK_BACKGROUNDS = {"--paper": "#111a22", "--wash": "#1a2631", "--now": "#173328",
                    "--notice": "#2b2414", "--button-ink": "#0b1620"}
WHITE, BLACK = (1.0, 1.0, 1.0), (0.0, 0.0, 0.0)
# A logo's type by its file name, and how its first bytes begin.
LOGO_TYPES = {".svg": "SVG", ".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WebP"}
GENERIC_FAMILIES = ("serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui",
                    "ui-serif", "ui-sans-serif", "ui-monospace", "ui-rounded", "math", "emoji",
                    "fangsong")

NAME_WORD = re.compile(r"^[A-Za-z0-9_-]+$")  # a word of an unquoted family name

RGB = tuple[float, float, float]


@dataclass(frozen=True)
class Brand:
    logo: str | None  # the file, below the site folder (published as an asset)
    accent: str | None  # "#rrggbb", for the light scheme, print and the PDF
    accent_dark: str | None  # its tint for the dark scheme
    font: str | None  # a checked CSS font-family value

    @property
    def logo_asset(self) -> str | None:
        """The logo's name among the assets (assets.Assets.url gives its published path)."""
        return f"brand/{Path(self.logo).name}" if self.logo else None

    @property
    def css(self) -> str:
        """The custom properties of assets/site.css that the brand replaces; safe inside a
        <style> element (every value was checked or made here)."""
        rules = []
        if self.font:
            rules.append(f":root {{ font-family: {self.font}; }}")
        if self.accent:
            light, dark = parse_hex(self.accent), parse_hex(self.accent_dark)
            rules.append(":root { " + declarations(
                light, header=light, menu=mix(light, BLACK, 0.25)) + " }")
            rules.append("@media screen and (prefers-color-scheme: dark) { :root { "
                         + declarations(dark, header=mix(light, BLACK, 0.35),
                                        menu=mix(light, BLACK, 0.55)) + " } }")
        return "\n".join(rules)


def declarations(text: RGB, header: RGB, menu: RGB) -> str:
    return " ".join(f"{name}: {to_hex(value)};" for name, value in (
        ("--link", text), ("--button", text), ("--accent", text), ("--header", header),
        ("--header-menu", menu)))


def read_brand(site, site_dir: Path, ctx: Context) -> Brand | None:
    """site.brand, checked; None when it is left out or wrong (reported)."""
    mapping = site.get("brand") if isinstance(site, MarkedMap) else None
    if mapping is None:
        return None
    brand = Fields(mapping, "site.brand", BRAND_FIELDS, ctx)
    errors_before = len(ctx.report.errors)
    logo = read_logo(brand, site_dir)
    accent = read_accent(brand)
    font = read_font(brand)
    if len(ctx.report.errors) > errors_before or not brand.ok:
        return None
    dark = lightest_needed(accent) if accent else None
    return Brand(logo=logo, accent=to_hex(accent) if accent else None,
                 accent_dark=to_hex(dark) if dark else None, font=font)


def read_logo(brand: Fields, site_dir: Path) -> str | None:
    name = brand.string("logo")
    if name is None:
        return None
    path = (site_dir / name).resolve()
    kind = LOGO_TYPES.get(Path(name).suffix.lower())
    if Path(name).is_absolute() or site_dir.resolve() not in path.parents:
        brand.error("logo", f'"{name}" is not a file inside the site folder. Copy the logo '
                    "there and give its path from the folder of agenda.yaml, e.g. "
                    "brand/logo.svg.")
    elif not path.is_file():
        brand.error("logo", f'there is no file "{name}". Add the logo there, or fix the path '
                    "(it is read from the folder of agenda.yaml).")
    elif kind is None:
        brand.error("logo", f'"{name}" is not an image type a browser and the PDF both show. '
                    "Use an SVG, PNG, JPEG or WebP file.")
    elif not looks_like(path.read_bytes(), kind):
        brand.error("logo", f'"{name}" is not a {kind} image, whatever its name says. Export '
                    f"the logo as {kind} again, or rename it after its type.")
    else:
        return Path(name).as_posix()
    return None


def looks_like(data: bytes, kind: str) -> bool:
    """Whether a file's first bytes are those of its type."""
    if kind == "PNG":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if kind == "JPEG":
        return data.startswith(b"\xff\xd8\xff")
    if kind == "WebP":
        return data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    return b"<svg" in data[:4096]


def read_accent(brand: Fields) -> RGB | None:
    value = brand.string("accent")
    if value is None:
        return None
    from tinycss2.color3 import parse_color  # WeasyPrint's CSS parser: every CSS colour

    color = parse_color(value)
    if color is None or color == "currentColor" or color.alpha != 1:
        brand.error("accent", f'"accent" is {describe(value)}, not an opaque CSS colour. '
                    'Write it as "#0b4f6c" (in quotes).')
        return None
    rgb = (color.red, color.green, color.blue)
    for name, background in LIGHT_BACKGROUNDS.items():
        ratio = contrast(rgb, parse_hex(background))
        if ratio < AA_TEXT:
            darker = darkest_needed(rgb)
            brand.error("accent", f'"accent" {value} has a contrast of {ratio:.1f}:1 with the '
                        f"page's background {background} ({name}); its text needs at least "
                        f"{AA_TEXT}:1 (WCAG AA). Use a darker colour, e.g. "
                        f'"{to_hex(darker)}".')
            return None
    return rgb


def read_font(brand: Fields) -> str | None:
    """A CSS font-family list: family names (quoted when they hold spaces or digits), ending
    with a generic family so that text always has a font."""
    value = brand.string("font")
    if value is None:
        return None
    import tinycss2

    families, current = [], []
    for token in tinycss2.parse_component_value_list(value) + [None]:
        if token is None or (token.type == "literal" and token.value == ","):
            families.append(current)
            current = []
        elif token.type == "ident" and NAME_WORD.match(token.value):
            current.append(token.value)
        elif token.type == "string" and not current and not set('"\\<>') & set(token.value):
            current.append(token)
        elif token.type != "whitespace":
            current = families = None
            break
    written = [family_name(words) for words in families or []]
    if not written or None in written or written[-1] not in GENERIC_FAMILIES:
        brand.error("font", f'"font" is {describe(value)}. Write font families separated by '
                    "commas, names with spaces in quotes, the last a generic family, e.g. "
                    "'\"Source Sans 3\", Arial, sans-serif' (the whole in single quotes).")
        return None
    return ", ".join(written)


def family_name(words: list) -> str | None:
    """One family as CSS: a quoted name, or identifiers (a generic family alone)."""
    if len(words) == 1 and not isinstance(words[0], str):
        return f'"{words[0].value}"'
    if not words or not all(isinstance(word, str) for word in words):
        return None
    return " ".join(words)


def parse_hex(value: str) -> RGB:
    return tuple(int(value[index:index + 2], 16) / 255 for index in (1, 3, 5))


def to_hex(rgb: RGB) -> str:
    return "#" + "".join(f"{round(channel * 255):02x}" for channel in rgb)


def mix(color: RGB, other: RGB, share: float) -> RGB:
    return tuple(a + (b - a) * share for a, b in zip(color, other))


def luminance(rgb: RGB) -> float:
    """WCAG 2.2's relative luminance of an sRGB colour."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
              for c in (round(channel * 255) / 255 for channel in rgb)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: RGB, other: RGB) -> float:
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def first_mix(color: RGB, toward: RGB, backgrounds: dict[str, str]) -> RGB:
    """`color` mixed toward `toward` by the smallest step of 2 % that reaches AA_TEXT against
    every background (toward white or black, the last step always does)."""
    for step in range(51):
        candidate = mix(color, toward, step / 50)
        if all(contrast(candidate, parse_hex(b)) >= AA_TEXT for b in backgrounds.values()):
            return candidate
    return toward


def lightest_needed(accent: RGB) -> RGB:
    """The dark scheme's accent: the accent lightened just enough for the dark backgrounds."""
    return first_mix(accent, WHITE, DARK_BACKGROUNDS)


def darkest_needed(accent: RGB) -> RGB:
    """A suggestion for an accent too light for white paper: darkened just enough."""
    return first_mix(accent, BLACK, LIGHT_BACKGROUNDS)
