"""The ``factories`` table on the case database's declarative Base."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, Index, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from cases.models import Base


class Factory(Base):
    """One registered factory. ``registration_number`` is stored canonical (cases.registry.numbers)
    and is the import's key: a re-import updates the row instead of adding one."""

    __tablename__ = "factories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    registration_number: Mapped[str] = mapped_column(String(40), nullable=False)
    name: Mapped[str] = mapped_column(String(256), nullable=False)
    # Normalised name (cases.registry.names.name_key): what matching compares.
    name_key: Mapped[str] = mapped_column(String(256), nullable=False)
    business: Mapped[str | None] = mapped_column(Text)  # ประกอบกิจการ
    category_code: Mapped[str | None] = mapped_column(String(16))  # ลำดับประเภท, e.g. "89" or "3(1)"
    address: Mapped[str | None] = mapped_column(String(512))
    subdistrict: Mapped[str | None] = mapped_column(String(64))
    district: Mapped[str | None] = mapped_column(String(64))
    province: Mapped[str] = mapped_column(String(64), nullable=False)
    industrial_estate: Mapped[str | None] = mapped_column(String(128))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    # active | suspended | closed | revoked | unknown (cases.registry.importer.LICENCE_STATES)
    licence_state: Mapped[str] = mapped_column(String(16), nullable=False, default="unknown")
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now(), onupdate=func.now()
    )

    __table_args__ = (
        UniqueConstraint("registration_number", name="uq_factories_registration_number"),
        Index("ix_factories_province_district", "province", "district"),
        Index("ix_factories_name_key", "name_key"),
    )
