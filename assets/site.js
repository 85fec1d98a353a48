// Progressive enhancement only: every page is complete without this file. It adds
// (1) the visitor's own time beside each event time when their UTC offset differs, unless
// they hid it, (2) now and next during the event: marked on the agenda, a line on the home
// and session pages, (3) remembering the language chosen in the switcher.
// The words come from the page and from /<locale>/times.json (translated by the site's
// catalogs, city names from CLDR), never from here.
"use strict";

(function () {
  const root = document.documentElement;
  const locale = root.lang;
  const stringsElement = document.getElementById("site-strings");
  const strings = stringsElement ? JSON.parse(stringsElement.textContent) : {};
  const HOUR = 60 * 60 * 1000;

  function remember(key, value) {
    try { localStorage.setItem(key, value); } catch (e) { /* private mode: just don't remember */ }
  }

  // The chooser page at the site root reads this to send the visitor back to their language.
  document.querySelectorAll(".languages a[hreflang]").forEach(function (link) {
    link.addEventListener("click", function () { remember("locale", link.hreflang); });
  });

  // Calendar addresses to subscribe to: a button copies one (Android's calendar app takes an
  // address, not a link). Without JavaScript the address is there to select.
  if (navigator.clipboard) {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(button.dataset.copy).then(function () {
          button.textContent = strings.copied || button.textContent;
        });
      });
    });
  }

  // What the page's language needs beyond its words (times.json): how it writes times, its
  // city names, and every slot for now/next. Asked for only when one of them is shown.
  let timesData = null;
  function loadTimes() {
    if (!timesData) {
      timesData = fetch(new URL(strings.times, location.href)).then(function (answer) {
        if (!answer.ok) throw new Error(answer.status);
        return answer.json();
      }).catch(function () {  // opened from a file, or offline: the zone's own names will do
        return { clock: {}, cities: {}, slots: [] };
      });
    }
    return timesData;
  }

  function element(name, className, text) {
    const made = document.createElement(name);
    if (className) made.className = className;
    if (text !== undefined) made.textContent = text;
    return made;
  }

  // Markup the site wrote (a session's name, its time with <time> elements), as nodes.
  function fragment(html) {
    const template = document.createElement("template");
    template.innerHTML = html;
    return template.content;
  }

  // --- The visitor's own time -------------------------------------------------------------

  const visitorZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";

  // Where the visitor's clock is: CLDR's city in the page's language ("París" for
  // Europe/Paris in Spanish), else the zone's own name ("Vancouver"); a zone without a city
  // (UTC, Etc/GMT+5) by its offset.
  function visitorPlace(cities, moment) {
    if (visitorZone.includes("/") && !visitorZone.startsWith("Etc/")) {
      return { city: cities[visitorZone] ||
        visitorZone.slice(visitorZone.lastIndexOf("/") + 1).replace(/_/g, " ") };
    }
    const parts = new Intl.DateTimeFormat(locale, { timeZoneName: "shortOffset" })
      .formatToParts(moment);
    return { offset: parts.find(function (part) { return part.type === "timeZoneName"; }).value };
  }

  // The visitor's calendar day of a moment, and the event's of a datetime attribute
  // (2025-02-26T09:00-06:00), comparable.
  function visitorDay(moment) {
    return moment.getFullYear() * 10000 + (moment.getMonth() + 1) * 100 + moment.getDate();
  }

  function eventDay(datetime) {
    return Number(datetime.slice(0, 10).replace(/-/g, ""));
  }

  // French house style writes "16 h", "16 h 20" (terminology.md) where Intl writes "16:00".
  function withHourMark(parts) {
    const written = [];
    for (let index = 0; index < parts.length; index += 1) {
      const part = parts[index];
      const minute = parts[index + 2];
      if (part.type === "hour" && minute && minute.type === "minute") {
        written.push(Number(part.value) + "\u00a0h" + (minute.value === "00" ? "" : "\u00a0" + minute.value));
        index += 2;
      } else {
        written.push(part.value);
      }
    }
    return written.join("");
  }

  const DAY_OPTIONS = { weekday: "short", day: "numeric", month: "short" };

  // One moment in the house style of the page's language (times.json's clock: its CLDR
  // locale, such as en-GB or fr-CA, its 12- or 24-hour clock, French "16 h 20").
  function written(moment, options, clock) {
    const parts = new Intl.DateTimeFormat(clock.locale || locale,
      Object.assign({ hourCycle: clock.hourCycle }, options)).formatToParts(moment);
    return clock.hourMark ? withHourMark(parts) : parts.map(function (part) {
      return part.type === "hour" && !clock.hourPadded ? String(Number(part.value)) : part.value;
    }).join("");
  }

  // A range of times written as the pages write the event's ("4:00 pm – 4:20 pm",
  // "16:00 – 16:20", "16 h – 16 h 20"): each end whole, joined by the pages' separator; with
  // `dated`, each end's date too.
  function timeRange(start, end, clock, dated) {
    const options = Object.assign({ hour: "numeric", minute: "2-digit" }, dated ? DAY_OPTIONS : {});
    return written(start, options, clock) + (clock.rangeSeparator || " – ") +
      written(end, options, clock);
  }

  // The visitor's date, above their time, whenever their day is not the event's ("Thu, Feb
  // 27" / "12:00 – 12:20 AM"); a slot across their midnight, or up to it, dates both ends
  // ("Wed, Feb 26, 11:45 PM – Thu, Feb 27, 12:00 AM"): Intl would otherwise add them itself,
  // in figures.
  function visitorDateAndTime(times, clock) {
    const start = new Date(times[0].dateTime);
    const end = new Date(times[times.length - 1].dateTime);
    if (visitorDay(start) !== visitorDay(end)) {
      return { date: null, time: timeRange(start, end, clock, true) };
    }
    const date = visitorDay(start) === eventDay(times[0].dateTime) ? null
      : written(start, DAY_OPTIONS, clock);
    return { date: date, time: timeRange(start, end, clock, false) };
  }

  // "16 h – 16 h 20 à Paris": the time, then the rest of the sentence as its label.
  function visitorTimeNodes(time, place, clock) {
    const sentence = place.city ? strings.visitor_time_in_city : strings.visitor_time_at_offset;
    let label = sentence.replace("{city}", place.city).replace("{offset}", place.offset);
    Object.keys(clock.contractions || {}).forEach(function (loose) {  // "à Le Caire": "au Caire"
      label = label.replace(loose, clock.contractions[loose]);
    });
    return label.split(/(\{time\})/).filter(Boolean).map(function (piece) {
      return piece === "{time}" ? element("span", "time", time)
        : element("span", "zone-label", piece.trim());
    });
  }

  function showVisitorTimes(data) {
    document.querySelectorAll(".visitor-time").forEach(function (slot) {
      const times = slot.previousElementSibling.querySelectorAll("time[datetime]");
      const place = visitorPlace(data.cities, new Date(times[0].dateTime));
      const shown = visitorDateAndTime(times, data.clock);
      const nodes = visitorTimeNodes(shown.time, place, data.clock);
      if (shown.date) nodes.unshift(element("span", "date", shown.date));
      slot.replaceChildren.apply(slot, nodes.flatMap(function (node, index) {
        return index ? [" ", node] : [node];
      }));
    });
  }

  // Offered unless the visitor hid it (the head script read their choice before the first
  // paint); the choice is remembered.
  function offerVisitorTimes() {
    loadTimes().then(showVisitorTimes);
    document.querySelectorAll(".visitor-time-toggle").forEach(function (toggle) {
      toggle.checked = root.classList.contains("visitor-time-on");
      toggle.addEventListener("change", function () {
        root.classList.toggle("visitor-time-on", toggle.checked);
        remember("visitor-time", toggle.checked ? "on" : "off");
      });
    });
  }

  // The head script set tz-differs before the first paint; nothing to offer otherwise.
  if (root.classList.contains("tz-differs") && strings.times) offerVisitorTimes();

  // --- Now and next, during the event ------------------------------------------------------

  // The slot on now (a break or a meal too) and the next session (never a break or a meal);
  // only during the event, from an hour before it opens: weeks ahead, "Next" would mislead.
  function nowAndNext(slots, now) {
    if (!slots.length || now < slots[0].start - HOUR || now >= slots[slots.length - 1].end) {
      return null;
    }
    return {
      now: slots.find(function (slot) { return slot.start <= now && now < slot.end; }),
      next: slots.find(function (slot) { return slot.start > now && !slot.pause; }),
    };
  }

  // On the agenda: a worded badge on each of the two slots.
  function markAgenda(found) {
    document.querySelectorAll(".slot-now, .slot-next").forEach(function (marked) {
      marked.classList.remove("slot-now", "slot-next");
      marked.removeAttribute("aria-current");
      marked.querySelector(".slot-status").remove();
    });
    ["now", "next"].forEach(function (state) {
      const slot = found && found[state] && document.getElementById(found[state].id);
      if (!slot) return;
      slot.classList.add("slot-" + state);
      if (state === "now") slot.setAttribute("aria-current", "time");
      slot.prepend(element("strong", "slot-status", strings[state]));
    });
  }

  // On the home and session pages: "Now 2. National PRTR…", "Next 3. Update on…", each
  // linked to where the slot is described (its times are there, in the visitor's too).
  function writeLine(found, base) {
    const list = element("dl");
    ["now", "next"].forEach(function (state) {
      const slot = found[state];
      if (!slot) return;
      const entry = element("div");
      const link = element("a");
      const description = element("dd");
      link.href = new URL(slot.url, base);
      link.append(fragment(slot.title));
      description.append(link);
      entry.append(element("dt", null, strings[state]), " ", description);
      list.append(entry);
    });
    document.querySelectorAll(".happening-now").forEach(function (line) {
      line.replaceChildren(list.cloneNode(true));
    });
  }

  function showNowAndNext(data) {
    const base = new URL(strings.times, location.href);
    const slots = data.slots.map(function (slot) {
      return Object.assign({}, slot, { start: Date.parse(slot.start), end: Date.parse(slot.end) });
    });
    function update() {
      const found = nowAndNext(slots, Date.now());
      root.classList.toggle("during-event", Boolean(found));
      markAgenda(found);
      if (found) writeLine(found, base);
    }
    update();
    setInterval(update, 30 * 1000);
  }

  if (root.classList.contains("during-event") && strings.times) loadTimes().then(showNowAndNext);
}());
