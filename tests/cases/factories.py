"""Test factories for the case database."""

from __future__ import annotations

from cases.accounts import Role, create_officer
from cases.repository import TicketDraft, create_ticket
from cases.taxonomy import Category

PASSWORD = "correct horse battery"


def officer(session, username, agency, role=Role.OFFICER):  # type: ignore[no-untyped-def]
    return create_officer(session, username=username, password=PASSWORD, agency=agency, role=role)


def ticket(session, category=Category.ODOR, province="ชลบุรี", **kw):  # type: ignore[no-untyped-def]
    kw.setdefault("description", "โรงงานส่งกลิ่นเหม็นทุกคืน")
    return create_ticket(session, draft=TicketDraft(category=category, province=province, **kw))
