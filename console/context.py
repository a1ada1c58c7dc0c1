"""What the console needs at request time; built once per app, connects lazily."""

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from cases.db import make_engine, make_session_factory
from console.notices import NoticeTexts, load_notice_texts
from gateway.followup_texts import FollowupTexts, load_followup_texts
from console.settings import ConsoleSettings
from console.tokens import SessionTokens


@dataclass
class ConsoleContext:
    settings: ConsoleSettings
    sessions: sessionmaker[Session]
    tokens: SessionTokens
    notices: NoticeTexts
    followup: FollowupTexts  # follow-up question and handoff pushes


def build_console(settings: ConsoleSettings) -> ConsoleContext:
    """Engine creation does not connect; the first request does."""
    return ConsoleContext(
        settings=settings,
        sessions=make_session_factory(make_engine(settings.sqlalchemy_url)),
        tokens=SessionTokens(
            settings.secret_key(),
            int(settings.CONSOLE_SESSION_HOURS * 3600),
            int(settings.CONSOLE_SESSION_IDLE_MINUTES * 60),
        ),
        notices=load_notice_texts(settings.DOMAIN_PATH),
        followup=load_followup_texts(settings.DOMAIN_PATH),
    )
