"""What the ticket page shows of a case's complainants and evidence photos.

A case is a ticket with the complaints linked to it (cases.duplicate_links). Officers
see every linked complaint they may see (cases.access: ACOC only for corruption) and the
photos of those complaints; photos are served only by the authenticated API route
(api/routes/evidence.py), which applies the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from cases.access import Viewer, can_view
from cases.attachments import AttachmentInfo, list_attachments
from cases.duplicate_links import case_of, linked_tickets
from cases.models import Ticket


@dataclass(frozen=True)
class CaseEvidence:
    case: Ticket  # the ticket itself, or the case it was joined to
    complaints: list[Ticket]  # the case and every linked complaint this viewer may see, oldest first
    hidden_complaints: int  # linked complaints of another agency's scope: counted, not shown
    photos: list[AttachmentInfo] = field(default_factory=list)
    tracking_of: dict[int, str] = field(default_factory=dict)  # ticket id -> tracking number

    @property
    def complainants(self) -> int:
        return len(self.complaints) + self.hidden_complaints

    @property
    def visible_numbers(self) -> set[str]:
        """Tracking numbers this viewer may read; any other linked case is never named."""
        return {t.tracking_number for t in self.complaints}

    @property
    def case_visible(self) -> bool:
        return self.case.tracking_number in self.visible_numbers


def visible_case_tickets(session: Session, viewer: Viewer, ticket: Ticket) -> tuple[Ticket, list[Ticket], int]:
    """(case, the case's complaints the viewer may see, how many are hidden)."""
    case = case_of(session, ticket)
    everyone = [case, *linked_tickets(session, case_id=case.id)]
    visible = [t for t in everyone if can_view(viewer, t)]
    return case, visible, len(everyone) - len(visible)


def case_evidence(session: Session, *, viewer: Viewer, ticket: Ticket) -> CaseEvidence:
    case, complaints, hidden = visible_case_tickets(session, viewer, ticket)
    photos = list_attachments(session, ticket_ids=[t.id for t in complaints])
    return CaseEvidence(
        case=case,
        complaints=complaints,
        hidden_complaints=hidden,
        photos=photos,
        tracking_of={t.id: t.tracking_number for t in complaints},
    )
