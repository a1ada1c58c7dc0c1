"""The dashboard: the statistics of cases/dashboard.py for the officer's own scope."""

from datetime import datetime, timedelta, timezone

from fastapi import APIRouter, Request
from fastapi.responses import Response

from cases import dashboard as stats
from console.api.deps import SessionDep
from console.pages.common import PageAuthDep, agency_label, category_label, render

router = APIRouter()

PERIODS = {30: "30 วัน", 90: "90 วัน", 365: "1 ปี"}
TOP = 15
# Colour-blind-safe palette (Okabe-Ito plus greys), one per category in order.
PALETTE = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
    "#999999",
    "#8C564B",
    "#17BECF",
    "#BCBD22",
    "#7F7F7F",
    "#1F77B4",
]


@router.get("/dashboard")
def dashboard_page(request: Request, auth: PageAuthDep, session: SessionDep, days: int = 90) -> Response:
    days = days if days in PERIODS else 90
    now = datetime.now(timezone.utc)
    since = now - timedelta(days=days)
    viewer = auth.viewer
    weekly = stats.weekly_by_category(session, viewer=viewer, now=now)
    agencies = stats.per_agency(session, viewer=viewer, since=since, now=now)
    provinces = stats.per_province(session, viewer=viewer, since=since, now=now)
    charts = {
        "weekly": {
            "labels": [f"{w.day}/{w.month}" for w in weekly.weeks],
            "datasets": [
                {"label": category_label(c), "data": counts, "backgroundColor": PALETTE[i % len(PALETTE)]}
                for i, (c, counts) in enumerate(weekly.by_category.items())
            ],
        },
        "agency": {"labels": [a for a, _ in agencies[:TOP]], "data": [n for _, n in agencies[:TOP]]},
        "province": {
            "labels": [p or "ไม่ระบุ" for p, _ in provinces[:TOP]],
            "data": [n for _, n in provinces[:TOP]],
        },
    }
    return render(
        request,
        "dashboard.html",
        {
            "auth": auth,
            "days": days,
            "periods": PERIODS,
            "charts": charts,
            "weekly_total": sum(sum(c) for c in weekly.by_category.values()),
            "agencies": [(a, agency_label(a), n) for a, n in agencies],
            "provinces": provinces[:TOP],
            "medians": stats.median_times(session, viewer=viewer, since=since, now=now),
            "sla": stats.sla_compliance(session, viewer=viewer, since=since, now=now),
            "subject_hotspots": stats.subject_hotspots(session, viewer=viewer, now=now),
            "province_hotspots": stats.province_hotspots(session, viewer=viewer, now=now),
        },
    )
