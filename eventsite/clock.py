"""The one timestamp a build may write (calendar DTSTAMP, document dates), never the clock.

Reproducible builds (https://reproducible-builds.org/specs/source-date-epoch/): when
SOURCE_DATE_EPOCH is set, it is the time; otherwise the time is derived from the agenda
itself — the start of the event's first slot — so two builds of the same sources, on any day
and any machine, write the same bytes.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime, timezone

from .errors import Problem, SiteError
from .model import Event

VARIABLE = "SOURCE_DATE_EPOCH"


def source_timestamp(event: Event, environ: Mapping[str, str] = os.environ) -> datetime:
    """SOURCE_DATE_EPOCH if set, else the event's start; in UTC, whole seconds."""
    value = environ.get(VARIABLE, "").strip()
    if not value:
        return event.start.astimezone(timezone.utc)
    try:
        if not value.isdigit():
            raise ValueError(value)
        return datetime.fromtimestamp(int(value), timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise SiteError([Problem(VARIABLE, 0, f'the environment variable is "{value}", not a '
                                 "number of seconds since 1970. Set it to e.g. `git log -1 "
                                 "--format=%ct`, or unset it.")]) from None
