"""Who may see which ticket: one rule, used by every query of the console and API.

Officers and supervisors see their own agency's tickets; administrators see every
agency's; confidential (corruption) tickets and ACOC's tickets only ACOC accounts see.
Trainers see no ticket at all (only the masked review queue).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, true

from cases.accounts import Role
from cases.models import Officer, Ticket

CONFIDENTIAL_AGENCY = "ACOC"


@dataclass(frozen=True)
class Viewer:
    officer_id: int
    username: str
    agency: str
    role: Role

    @classmethod
    def of(cls, officer: Officer) -> Viewer:
        return cls(officer.id, officer.username, officer.agency, Role(officer.role))

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def can_train(self) -> bool:
        """The trainers' pages (review queue, export, model figures)."""
        return self.role in (Role.TRAINER, Role.ADMIN)

    @property
    def can_route(self) -> bool:
        """Assign to an officer and reroute to another agency."""
        return self.role in (Role.SUPERVISOR, Role.ADMIN)


def visible_clause(viewer: Viewer) -> ColumnElement[bool]:
    """A WHERE clause limiting tickets to what this viewer may see."""
    if viewer.role is Role.TRAINER:
        return false()  # trainers see the masked review queue, never tickets
    acoc = viewer.agency == CONFIDENTIAL_AGENCY
    agency_rule = true() if viewer.is_admin else Ticket.agency == viewer.agency
    if acoc:
        return agency_rule
    return and_(agency_rule, Ticket.confidential.is_(False), Ticket.agency != CONFIDENTIAL_AGENCY)


def can_view(viewer: Viewer, ticket: Ticket) -> bool:
    if viewer.role is Role.TRAINER:
        return False
    if viewer.agency != CONFIDENTIAL_AGENCY and (ticket.confidential or ticket.agency == CONFIDENTIAL_AGENCY):
        return False
    return viewer.is_admin or ticket.agency == viewer.agency
