"""A synthetic event of N sessions in the documented agenda.yaml format, for benchmarks.

Deterministic: the same N always writes the same bytes. Sessions of 30–90 minutes run in
parallel rooms over several days; each has a title and an 80–200-word Markdown description
in en, es and fr and 1–3 speakers from a shared pool of people.

    python bench/generate.py 2000 /tmp/congress
"""

from __future__ import annotations

import argparse
import math
import random
from pathlib import Path

import yaml

LOCALES = ("en", "es", "fr")
SESSIONS_PER_ROOM_DAY = 9  # 08:00 to at most 21:30 with sessions of 30–90 minutes
WORDS = {
    "en": ("pollution release transfer register data industry facility emission report "
           "water air soil waste chemical inventory program national regional public access "
           "quality standard method analysis trend sector reduction prevention community "
           "health risk monitoring agency cooperation review").split(),
    "es": ("contaminación emisión transferencia registro datos industria instalación informe "
           "agua aire suelo residuo sustancia inventario programa nacional regional público "
           "acceso calidad norma método análisis tendencia sector reducción prevención "
           "comunidad salud riesgo monitoreo dependencia cooperación revisión").split(),
    "fr": ("pollution rejet transfert registre données industrie installation rapport eau air "
           "sol déchet substance inventaire programme national régional public accès qualité "
           "norme méthode analyse tendance secteur réduction prévention collectivité santé "
           "risque surveillance organisme coopération examen").split(),
}
LABELS = {"en": ("Session", "Room"), "es": ("Sesión", "Sala"), "fr": ("Séance", "Salle")}
PAGE = {"en": ("Welcome", "The congress in brief."), "es": ("Bienvenida", "El congreso en breve."),
        "fr": ("Bienvenue", "Le congrès en bref.")}


def sentence(rng: random.Random, locale: str, words: int) -> str:
    text = " ".join(rng.choice(WORDS[locale]) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def description(rng: random.Random, locale: str) -> str:
    """80–200 words of Markdown in two or three paragraphs, with emphasis and sometimes a list."""
    total = rng.randint(80, 200)
    paragraphs, used = [], 0
    while used < total:
        size = min(total - used, rng.randint(30, 80))
        words = sentence(rng, locale, size).split()
        words[rng.randrange(len(words))] = f"**{words[rng.randrange(len(words))].strip('.')}**"
        paragraphs.append(" ".join(words))
        used += size
    if rng.random() < 0.3:
        paragraphs.append("\n".join(f"- {sentence(rng, locale, 4)}" for _ in range(3)))
    return "\n\n".join(paragraphs) + "\n"


def event_agenda(n: int) -> dict:
    """The agenda.yaml document for n sessions."""
    rng = random.Random(n)
    days = max(2, min(5, math.ceil(n / 400)))
    rooms = max(1, math.ceil(n / (days * SESSIONS_PER_ROOM_DAY)))
    people = [{"id": f"person-{i}", "name": f"Person {i} Example",
               "role": {loc: sentence(rng, loc, 3).rstrip(".") for loc in LOCALES}}
              for i in range(1, max(3, n // 2) + 1)]
    schedule = [[] for _ in range(days)]
    for index in range(n):
        day, slot = divmod(index, rooms * SESSIONS_PER_ROOM_DAY)
        room, position = divmod(slot, SESSIONS_PER_ROOM_DAY)
        schedule[min(day, days - 1)].append((index, room, position))
    day_entries = []
    for day_index, slots in enumerate(schedule):
        sessions, clock = [], {}
        for index, room, _ in slots:
            start = clock.get(room, 8 * 60)
            minutes = rng.choice((30, 45, 60, 75, 90))
            clock[room] = start + minutes
            number = index + 1
            sessions.append({
                "id": f"s-{number}", "number": number,
                "start": f"{start // 60:02d}:{start % 60:02d}",
                "end": f"{(start + minutes) // 60:02d}:{(start + minutes) % 60:02d}",
                "room": {loc: f"{LABELS[loc][1]} {room + 1}" for loc in LOCALES},
                "title": {loc: f"{LABELS[loc][0]} {number}: {sentence(rng, loc, 5)[:-1]}"
                          for loc in LOCALES},
                "description": {loc: description(rng, loc) for loc in LOCALES},
                "speakers": [p["id"] for p in rng.sample(people, rng.randint(1, 3))],
            })
        day_entries.append({"date": f"2027-03-{day_index + 1:02d}", "sessions": sessions})
    return {
        "site": {"locales": list(LOCALES)},
        "event": {
            "id": f"congress-{n}",
            "title": {"en": "Synthetic Congress", "es": "Congreso sintético",
                      "fr": "Congrès synthétique"},
            "organizer": {"name": {"en": "Benchmark Society", "es": "Sociedad de Pruebas",
                                   "fr": "Société d'essais"}},
            "timezone": "America/Mexico_City",
            "description": {loc: description(rng, loc) for loc in LOCALES},
            "venue": {"name": "Congress Centre", "street": "Avenida 1",
                      "locality": {"en": "Mexico City", "es": "Ciudad de México",
                                   "fr": "Mexico"}, "country": "MX"},
        },
        "people": people,
        "days": day_entries,
    }


def write_site(n: int, folder: Path) -> Path:
    """Write agenda.yaml and content/<locale>/index.md for n sessions into folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "agenda.yaml").write_text(
        yaml.safe_dump(event_agenda(n), allow_unicode=True, sort_keys=False, width=100),
        encoding="utf-8")
    for locale in LOCALES:
        pages = folder / "content" / locale
        pages.mkdir(parents=True, exist_ok=True)
        title, body = PAGE[locale]
        (pages / "index.md").write_text(f"---\ntitle: {title}\ndescription: {body}\n---\n{body}\n",
                                        encoding="utf-8")
    return folder


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sessions", type=int)
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    print(write_site(args.sessions, args.folder))
