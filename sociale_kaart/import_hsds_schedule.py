"""HSDS schedules (iCal parts: freq, byday "TH,FR", HH:MM:SS times) to our weekly/monthly rules."""

from __future__ import annotations

import datetime as dt
import re

from sociale_kaart.export_hsds import DAY, FREQ
from sociale_kaart.import_hsds_data import MappingBase
from sociale_kaart.import_hsds_shape import reason
from sociale_kaart.texts import message

_FREQ_BACK = {hsds: ours for ours, hsds in FREQ.items()}
_DAY_BACK = {hsds: ours for ours, hsds in DAY.items()}
_BYDAY = re.compile(r"^(?P<week>[+-]?\d)?(?P<day>MO|TU|WE|TH|FR|SA|SU)$")
_HSDS_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$")
# Schedule parts we cannot keep (we have weekly/monthly rules on days with times).
_SCHEDULE_PARTS = ("byweekno", "bymonthday", "byyearday", "count", "until")


class ScheduleMapping(MappingBase):
    def schedule(self, values: dict) -> dict:
        schedules, seen = [], set()
        for source in [
            self.service,
            *[(link or {}) for link in self.service.get("service_at_locations") or []],
        ]:
            for schedule in source.get("schedules") or []:
                if isinstance(schedule, dict) and (schedule.get("id") is None or schedule["id"] not in seen):
                    seen.add(schedule.get("id"))
                    schedules.append(schedule)
        rules, descriptions = [], []
        for schedule in schedules:
            if schedule.get("description"):
                descriptions.append(self.plain("rooster.omschrijving", str(schedule["description"]).strip()))
            for part in _SCHEDULE_PARTS:
                if schedule.get(part) not in (None, ""):
                    self.warn("rooster", "rooster_deel", onderdeel=part, waarde=schedule[part])
            rules += self._rules(schedule)
        description = values.get("rooster_omschrijving")
        if description is None and descriptions:
            description = descriptions[0]
            if len(description) > 300:
                self.warn("rooster.omschrijving", "te_lang", max=300)
                description = None
        unique = []
        for rule in rules:
            if rule not in unique:
                unique.append(rule)
        return {"omschrijving": description, "regels": unique}

    def _rules(self, schedule: dict) -> list[dict]:
        freq = str(schedule.get("freq") or "").strip().upper()  # "weekly" as well
        if not freq:
            return []
        ended = _date(schedule.get("valid_to"))
        if ended is not None and ended < dt.date.today():
            # Kept (producers often leave an old valid_to), but the editors should look.
            self.warnings.append(("rooster", reason("rooster_verlopen", datum=ended.isoformat())))
        interval = schedule.get("interval")
        if interval not in (None, "", 1, "1", 1.0):
            self.warn("rooster", "rooster_interval", waarde=interval)
            return []
        if freq not in _FREQ_BACK:
            self.warn("rooster", "rooster_freq", waarde=freq)
            return []
        days = [part.strip() for part in str(schedule.get("byday") or "").split(",") if part.strip()]
        if not days:
            self.warn("rooster", "rooster_geen_dag")
            return []
        times = [self._time(schedule.get(key)) for key in ("opens_at", "closes_at")]
        rules = []
        for day in days:
            found = _BYDAY.match(day.upper())
            week = int(found["week"]) if found and found["week"] else None
            if (
                not found
                or (freq == "WEEKLY" and week is not None)
                or (freq == "MONTHLY" and week not in (1, 2, 3, 4, -1))
            ):
                self.warn("rooster", "rooster_dag", waarde=day, freq=freq)
                continue
            rule = {
                "freq": _FREQ_BACK[freq],
                "dag": _DAY_BACK[found["day"]],
                "van": times[0],
                "tot": times[1],
            }
            if week is not None:
                rule["week"] = week
            rules.append({key: value for key, value in rule.items() if value is not None})
        return rules

    def _time(self, value) -> str | None:
        if value in (None, ""):
            return None
        found = _HSDS_TIME.match(str(value).strip())
        if not found or int(found[1]) > 23:
            self.warn(
                "rooster", "weggelaten", waarde=value, reden=message("fouten.tijd_ongeldig", waarde=value)
            )
            return None
        return f"{int(found[1]):02d}:{found[2]}"


def _date(value) -> dt.date | None:
    """A date or date-time of others ("2026-12-31", "2026-12-31T23:59:59Z"); None if it is not one."""
    try:
        return dt.date.fromisoformat(str(value).strip()[:10]) if value not in (None, "") else None
    except ValueError:
        return None
