"""What planners must arrange for a session: childcare seats and the children's ages,
rides, bus vouchers, interpreters per language and accessibility notes, counted over
the families coming, with how many answered yes, wait, have not answered or said no.

Planners need exact numbers (one Somali-speaking family still needs an interpreter), so
small groups are not hidden here as they are in reports: the page is for staff who run
the session and already see each answer. Two queries, whatever the number of families.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tandem.programs.models import Invitation, Session

Response = Invitation.Response


@dataclass(frozen=True)
class AgeBand:
    label: Promise
    youngest: int
    oldest: int


AGE_BANDS = [
    AgeBand(_("Babies and toddlers (0–2)"), 0, 2),
    AgeBand(_("Preschool (3–5)"), 3, 5),
    AgeBand(_("School age (6–12)"), 6, 12),
    AgeBand(_("Teenagers (13–17)"), 13, 17),
]


@dataclass
class NeedsSummary:
    coming: int = 0
    waitlisted: int = 0
    pending: int = 0
    not_coming: int = 0
    childcare_seats: int | None = None  # what the session has; None: not limited
    childcare_families: int = 0
    children: int = 0
    children_by_band: list[tuple[Promise, int]] = field(default_factory=list)
    rides: int = 0
    bus_vouchers: int = 0
    interpreters: list[tuple[str, int]] = field(default_factory=list)  # tag, families
    accessibility: list[str] = field(default_factory=list)

    @property
    def invited(self) -> int:
        return self.coming + self.waitlisted + self.pending + self.not_coming

    @property
    def seats_short(self) -> int:
        """Children more than the childcare seats (0 when they fit)."""
        if self.childcare_seats is None:
            return 0
        return max(0, self.children - self.childcare_seats)


def needs_summary(session: Session) -> NeedsSummary:
    invitations = Invitation.objects.filter(session=session)
    yes = Q(response=Response.YES)
    counts = invitations.aggregate(
        coming=Count("id", filter=yes),
        waitlisted=Count("id", filter=Q(response=Response.WAITLISTED)),
        pending=Count("id", filter=Q(response=Response.PENDING)),
        not_coming=Count("id", filter=Q(response=Response.NO)),
        rides=Count("id", filter=yes & Q(needs_ride=True)),
        bus_vouchers=Count("id", filter=yes & Q(needs_bus_voucher=True)),
    )
    summary = NeedsSummary(childcare_seats=session.childcare_seats if session.childcare else None)
    for name, value in counts.items():
        setattr(summary, name, value)
    ages: list[int] = []
    languages: Counter[str] = Counter()
    rows = (
        invitations.filter(yes)
        .exclude(childcare_ages=[], interpretation="", accessibility="")
        .values_list("childcare_ages", "interpretation", "accessibility")
        .order_by("id")
    )
    for childcare_ages, interpretation, accessibility in rows:
        if childcare_ages:
            summary.childcare_families += 1
            ages.extend(int(age) for age in childcare_ages)
        if interpretation:
            languages[interpretation] += 1
        if accessibility:
            summary.accessibility.append(accessibility)
    summary.children = len(ages)
    summary.children_by_band = [
        (band.label, sum(band.youngest <= age <= band.oldest for age in ages)) for band in AGE_BANDS
    ]
    summary.interpreters = sorted(languages.items(), key=lambda item: (-item[1], item[0]))
    return summary
