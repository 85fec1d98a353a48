// Progressive enhancement only: every page is complete without this file. It adds
// (1) the visitor's own time beside each event time, when asked for, (2) "Now" and "Next"
// on the agenda during the event, (3) remembering the language chosen in the switcher.
// The words come from the page (translated by the site's catalogs), never from here.
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

  // --- The visitor's own time -------------------------------------------------------------

  // "Paris" from Europe/Paris; the UTC offset when the zone has no city (UTC, Etc/GMT+5).
  function visitorZoneName(moment) {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    if (zone.includes("/") && !zone.startsWith("Etc/")) {
      return zone.slice(zone.lastIndexOf("/") + 1).replace(/_/g, " ");
    }
    const parts = new Intl.DateTimeFormat(locale, { timeZoneName: "shortOffset" })
      .formatToParts(moment);
    return parts.find(function (part) { return part.type === "timeZoneName"; }).value;
  }

  function sameDay(a, b) {
    return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() &&
      a.getDate() === b.getDate();
  }

  // The event's calendar day, as written in the datetime attribute (2025-02-26T09:00-06:00).
  function eventDay(datetime) {
    const [year, month, day] = datetime.slice(0, 10).split("-").map(Number);
    return new Date(year, month - 1, day);
  }

  // "4:00 – 4:20 PM" in the page's language; with weekdays when the visitor's day is not the
  // event's, or the range crosses the visitor's midnight ("Wed 11:45 PM – Thu 12:00 AM").
  function formatVisitorTime(times) {
    const start = new Date(times[0].dateTime);
    const end = new Date(times[times.length - 1].dateTime);
    const options = { hour: "numeric", minute: "2-digit" };
    if (!sameDay(start, eventDay(times[0].dateTime)) || !sameDay(start, end)) {
      options.weekday = "short";
    }
    return new Intl.DateTimeFormat(locale, options).formatRange(start, end);
  }

  function showVisitorTimes() {
    document.querySelectorAll(".visitor-time").forEach(function (slot) {
      const times = slot.previousElementSibling.querySelectorAll("time[datetime]");
      const value = document.createElement("span");
      const label = document.createElement("span");
      value.className = "time";
      label.className = "zone-label";
      value.textContent = formatVisitorTime(times);
      label.textContent = strings.visitor_time.replace("{zone}",
        visitorZoneName(new Date(times[0].dateTime)));
      slot.replaceChildren(value, " ", label);
    });
  }

  function offerVisitorTimes() {
    showVisitorTimes();
    document.querySelectorAll(".visitor-time-toggle").forEach(function (toggle) {
      toggle.checked = root.classList.contains("visitor-time-on");
      toggle.addEventListener("change", function () {
        root.classList.toggle("visitor-time-on", toggle.checked);
        remember("visitor-time", toggle.checked ? "on" : "off");
      });
    });
  }

  // The head script set tz-differs before the first paint; nothing to offer otherwise.
  if (root.classList.contains("tz-differs") && strings.visitor_time) offerVisitorTimes();

  // --- Now and next on the agenda ----------------------------------------------------------

  // The agenda's slots; the printable program lists slots too, but paper has no "now".
  const slots = Array.from(document.querySelectorAll(".agenda .slot .event-time"), function (when) {
    const times = when.querySelectorAll("time[datetime]");
    return { element: when.closest(".slot"), start: Date.parse(times[0].dateTime),
      end: Date.parse(times[times.length - 1].dateTime) };
  });

  function mark(slot, state) {
    const badge = document.createElement("strong");
    badge.className = "slot-status";
    badge.textContent = strings[state];
    slot.element.classList.add("slot-" + state);
    if (state === "now") slot.element.setAttribute("aria-current", "time");
    slot.element.prepend(badge);
  }

  function clearMarks() {
    slots.forEach(function (slot) {
      slot.element.classList.remove("slot-now", "slot-next");
      slot.element.removeAttribute("aria-current");
      const badge = slot.element.querySelector(".slot-status");
      if (badge) badge.remove();
    });
  }

  // Only during the event (from an hour before it opens): weeks ahead, "Next" would mislead.
  function markNowAndNext() {
    clearMarks();
    const now = Date.now();
    if (!slots.length || now < slots[0].start - HOUR || now >= slots[slots.length - 1].end) return;
    const current = slots.find(function (slot) { return slot.start <= now && now < slot.end; });
    const next = slots.find(function (slot) { return slot.start > now; });
    if (current) mark(current, "now");
    if (next) mark(next, "next");
  }

  if (slots.length && strings.now) {
    markNowAndNext();
    setInterval(markNowAndNext, 30 * 1000);
  }
}());
