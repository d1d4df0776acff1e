"""/redactie/vraag: "welk aanbod mist?" — the unmet-demand report (counts only).

- how often a search found something in the resident's own gemeente, only region-wide or
  online activities, or nothing: per week (chart), per theme (chart) and per theme x
  gemeente (table), from sociale_kaart.demand's counts;
- the catalogue's gaps per gemeente x category (published activities; chart + table);
- both as CSV (/redactie/vraag/vraag.csv, /redactie/vraag/aanbod.csv).

The charts are SVG drawn here on the server (no script, no CDN); each chart has a table
with the same figures. Nothing on these pages comes from what residents typed.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.web.redactie.signals import texts
from sociale_kaart import demand
from sociale_kaart.taxonomy import load_taxonomy

COLOURS = {"lokaal": "#2e7d32", "alleen_elders": "#e0a100", "geen": "#b3261e"}
WEEK_OPTIONS = (4, 12, 26, 52)
BAR_CHART_ROWS = 15


def _weeks(request: Request) -> int:
    try:
        value = int(request.query_params.get("weken", 12))
    except ValueError:
        return 12
    return value if value in WEEK_OPTIONS else 12


def _regio(request: Request) -> str | None:
    value = request.query_params.get("regio") or None
    return value if value in load_taxonomy().regions else None


def week_chart(report: demand.DemandReport) -> dict:
    """Stacked bars, one per week: lokaal at the bottom, then alleen_elders, then geen."""
    left, top, height, step, width = 44, 10, 180, 38, 26
    highest = max([sum(counts.values()) for _, counts in report.weeks] + [1])
    bars = []
    for index, (week, counts) in enumerate(report.weeks):
        x = left + 8 + index * step
        y = top + height
        parts = []
        for outcome in demand.OUTCOMES:
            size = round(counts[outcome] / highest * height, 1)
            if size:
                y -= size
                parts.append(
                    {
                        "y": round(y, 1),
                        "h": size,
                        "kleur": COLOURS[outcome],
                        "uitkomst": outcome,
                        "aantal": counts[outcome],
                    }
                )
        bars.append(
            {
                "x": x,
                "w": width,
                "delen": parts,
                "week": week,
                "label": f"{week.isocalendar()[1]}",
                "totaal": sum(counts.values()),
            }
        )
    return {
        "breedte": left + 16 + len(bars) * step,
        "hoogte": top + height + 34,
        "links": left,
        "boven": top,
        "as": height,
        "max": highest,
        "balken": bars,
    }


def bar_chart(items: list[tuple[str, int]], colour: str) -> dict:
    """Horizontal bars with the value behind each bar."""
    label_width, bar_width, row = 230, 360, 24
    highest = max([value for _, value in items] + [1])
    rows = [
        {"y": index * row, "label": label, "aantal": value, "w": round(value / highest * bar_width, 1)}
        for index, (label, value) in enumerate(items)
    ]
    return {
        "breedte": label_width + bar_width + 50,
        "hoogte": max(row, len(rows) * row) + 4,
        "labelbreedte": label_width,
        "rij": row,
        "rijen": rows,
        "kleur": colour,
    }


def _theme_label(code: str) -> str:
    theme = load_taxonomy().themes.get(code)
    return theme.label if theme else "(geen thema)"


def demand_routes(portal) -> list[Route]:
    def _data(connection, request):
        taxonomy = load_taxonomy()
        regio = _regio(request)
        report = demand.demand_report(connection, weeks=_weeks(request), regio=regio, taxonomy=taxonomy)
        gaps = demand.catalogue_gaps(connection, regio=regio, taxonomy=taxonomy)
        return taxonomy, regio, report, gaps

    async def page(request: Request):
        def work(db, user, rights):
            taxonomy, regio, report, gaps = _data(db.connection(), request)
            per_theme: dict[str, int] = {}
            for row in report.rows:
                per_theme[row.theme_code] = per_theme.get(row.theme_code, 0) + row.not_local
            themes = sorted(((v, k) for k, v in per_theme.items() if v), reverse=True)[:BAR_CHART_ROWS]
            gap_counts = sorted(
                (
                    (sum(1 for cell in cells.values() if cell.gap), taxonomy.municipalities[code].naam)
                    for code, cells in gaps.items()
                ),
                key=lambda item: (-item[0], item[1]),
            )
            context = {
                "rapport": report,
                "weken": _weeks(request),
                "week_keuzes": WEEK_OPTIONS,
                "regio": regio or "",
                "regios": taxonomy.regions,
                "uitkomsten": demand.OUTCOMES,
                "labels": texts()["uitkomsten"],
                "aanbod_labels": texts()["aanbod"],
                "kleuren": COLOURS,
                "weekgrafiek": week_chart(report),
                "themagrafiek": bar_chart(
                    [(_theme_label(code), value) for value, code in themes], COLOURS["geen"]
                ),
                "gatengrafiek": bar_chart(
                    [(name, value) for value, name in gap_counts[:BAR_CHART_ROWS] if value], "#0b4f6c"
                ),
                "thema_naam": _theme_label,
                "gemeente_naam": lambda code: (
                    taxonomy.municipalities[code].naam if code in taxonomy.municipalities else code
                ),
                "gaten": gaps,
                "categorieen": taxonomy.categories,
                "query": request.url.query,
            }
            return portal.render(request, "demand.html", context, user=user, rights=rights)

        return await portal.guarded(request, work)

    def _csv(name: str, build):
        async def download(request: Request):
            def work(db, user, rights):
                taxonomy, _regio_code, report, gaps = _data(db.connection(), request)
                body = build(report, gaps, taxonomy)
                return Response(
                    "\ufeff" + body,
                    media_type="text/csv; charset=utf-8",
                    headers={
                        "Content-Disposition": f'attachment; filename="{name}"',
                        "Cache-Control": "no-store",
                    },
                )

            return await portal.guarded(request, work)

        return download

    return [
        Route("/vraag", page, methods=["GET"]),
        Route(
            "/vraag/vraag.csv",
            _csv("welk_aanbod_mist.csv", lambda r, g, t: demand.demand_csv(r, t)),
            methods=["GET"],
        ),
        Route(
            "/vraag/aanbod.csv",
            _csv("aanbod_per_gemeente.csv", lambda r, g, t: demand.gaps_csv(g, t)),
            methods=["GET"],
        ),
    ]
