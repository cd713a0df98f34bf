"""The supervision committee's part of the yearly work summary: its checks, rectifications and the
complaints it handled, in numbers (a complaint's content stays with those who handle it)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongzhi.core.registries import ReportSection

from .selectors import yearly_summary


def supervision_section(organization, period) -> dict:
    s = yearly_summary(organization, period.start.year)
    rect, comp = s["rectifications"], s["complaints"]
    paragraphs = [
        _("In %(year)s the supervision committee made %(checks)s checks; %(issues)s found problems.")
        % {"year": s["year"], "checks": s["checks"], "issues": sum(row["issues"] for row in s["by_area"])},
        _("It ordered %(ordered)s rectifications: %(closed)s closed (%(on_time)s by the deadline), %(open)s still "
          "open.") % {"ordered": rect["ordered"], "closed": rect["closed"], "on_time": rect["on_time"],
                      "open": rect["still_open"]},
        _("It received %(received)s complaints and reports (%(anonymous)s anonymous) and concluded %(concluded)s "
          "(%(on_time)s within the answer deadline).")
        % {"received": comp["received"], "anonymous": comp["anonymous"], "concluded": comp["concluded"],
           "on_time": comp["on_time"]},
    ]
    if s["publications_on_time"] is not None:
        paragraphs.append(_("Publications the catalogue required were on the board on time in %(share)s%% of cases.")
                          % {"share": s["publications_on_time"]})
    return {"title": _("Supervision"), "paragraphs": paragraphs,
            "rows": [(str(row["label"]), row["n"]) for row in s["by_area"]]}


SECTIONS = [ReportSection(key="supervision.year", title=gettext_lazy("Supervision"), build=supervision_section,
                          order=80)]
