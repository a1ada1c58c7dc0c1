"""What the console needs at request time; built once per app, connects lazily."""

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from cases.db import make_engine, make_session_factory
from cases.domain_texts import Wording
from console.notices import NoticeTexts, load_notice_texts
from gateway.followup_texts import FollowupTexts, load_followup_texts
from console.tokens import SessionTokens
from settings import Settings


@dataclass
class ConsoleContext:
    settings: Settings
    sessions: sessionmaker[Session]
    tokens: SessionTokens
    notices: NoticeTexts
    followup: FollowupTexts  # follow-up question and handoff pushes


def build_console(settings: Settings, wording: Wording) -> ConsoleContext:
    """Engine creation does not connect; the first request does."""
    return ConsoleContext(
        settings=settings,
        sessions=make_session_factory(make_engine(settings.database.sqlalchemy_url)),
        tokens=SessionTokens(
            settings.console.session_secret(),
            int(settings.console.session_hours * 3600),
            int(settings.console.session_idle_minutes * 60),
        ),
        notices=load_notice_texts(wording),
        followup=load_followup_texts(wording),
    )
