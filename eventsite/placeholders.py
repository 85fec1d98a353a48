"""Every private-use character the build uses as a placeholder, in one place.

A placeholder stands for something while text passes through a stage that must not see it:
a page counter while a sentence goes through gettext, the way to a locale's folder while
Markdown is converted once for every page, the brackets around untranslated UI text until
the page is rendered. Each has its own code point from the Private Use Area (U+E000–U+F8FF),
which no organiser or translator text is expected to contain; sharing one between two stages
printed "1en1Page 1 of 1" in a PDF footer (issue 14), so tests check they stay distinct.
"""

from __future__ import annotations

# i18n: UI text shown in the source language is bracketed as OPEN lang SEP text CLOSE.
UNTRANSLATED_OPEN = "\ue000"
UNTRANSLATED_SEP = "\ue001"
UNTRANSLATED_CLOSE = "\ue002"

# css: page counters inside a translated running footer ("Page 1 of 2").
PAGE_COUNTER = "\ue010"
PAGES_COUNTER = "\ue011"

# markup: a Markdown link to another page, before the page's way to its locale is known.
LOCALE_FOLDER = "\ue020"

ALL = (UNTRANSLATED_OPEN, UNTRANSLATED_SEP, UNTRANSLATED_CLOSE, PAGE_COUNTER, PAGES_COUNTER,
       LOCALE_FOLDER)
