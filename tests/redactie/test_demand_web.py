"""/redactie/vraag: the unmet-demand page (SVG charts drawn on the server, tables) and its
CSV downloads, on a real migrated SQLite database with counts from sociale_kaart.demand."""

from __future__ import annotations

import csv
import datetime as dt
import io

from test_redactie_web import client_for, settings  # noqa: F401 - the fixture

from bot.handoff.db import make_engine
from sociale_kaart import demand


def _count(settings, gemeente, theme, outcome, times=1, today=None):  # noqa: F811
    engine = make_engine(settings.database_url)
    try:
        for _ in range(times):
            demand.record_search(engine, gemeente, theme, outcome, today=today)
    finally:
        engine.dispose()


def test_the_report_shows_charts_and_tables_of_the_counts(settings):  # noqa: F811
    _count(settings, "GM0402", "eenzaamheid", "geen", 2)
    _count(settings, "GM0402", "eenzaamheid", "lokaal", 5)
    _count(settings, "GM0406", "geldzorgen", "alleen_elders", 3)
    _count(settings, "GM0362", "stress", "geen", 1)  # Amstelveen
    _count(settings, "GM0402", "stress", "geen", 4, today=dt.date.today() - dt.timedelta(weeks=30))
    client = client_for(settings, "anna")
    page = client.get("/redactie/vraag")
    assert page.status_code == 200
    html = page.text
    assert html.count("<svg") == 3 and 'role="img"' in html and "<script" not in html
    assert "Zoekvragen per week" in html and "Gaten in de sociale kaart" in html
    # Totals of the last 12 weeks: the old stress count is outside the period.
    assert "Gevonden in de eigen gemeente: 5 · Alleen in de regio of online: 3 · Niets gevonden: 3." in html
    assert (
        "<td>Eenzaamheid en een klein netwerk</td><td>Hilversum</td><td>5</td><td>0</td><td>2</td><td>7</td>"
        in html
    )
    region = client.get("/redactie/vraag", params={"regio": "Amstelland", "weken": "52"}).text
    assert "Niets gevonden: 1." in region and "<td>Hilversum</td>" not in region
    odd = client.get("/redactie/vraag", params={"regio": "<script>", "weken": "x"})
    assert odd.status_code == 200 and "<script>" not in odd.text


def test_the_csv_downloads(settings):  # noqa: F811
    _count(settings, "GM0406", "geldzorgen", "alleen_elders", 3)
    client = client_for(settings, "bert")
    response = client.get("/redactie/vraag/vraag.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert [(r["thema"], r["gemeente_naam"], r["alleen_elders"], r["totaal"]) for r in rows] == [
        ("geldzorgen", "Huizen", "3", "3")
    ]
    gaps = list(
        csv.DictReader(
            io.StringIO(
                client.get("/redactie/vraag/aanbod.csv", params={"regio": "Gooi en Vechtstreek"}).text.lstrip(
                    "\ufeff"
                )
            )
        )
    )
    hilversum = next(r for r in gaps if r["gemeente"] == "GM0402" and r["categorie"] == "contact_ontmoeten")
    assert (hilversum["in_gemeente"], hilversum["gat"]) == ("1", "nee")
    assert {r["gemeente"] for r in gaps} <= {
        "GM1942",
        "GM0402",
        "GM0406",
        "GM0376",
        "GM0417",
        "GM0317",
        "GM1696",
    }
    assert client_for(settings).get("/redactie/vraag/vraag.csv").status_code == 303  # no login: no figures
