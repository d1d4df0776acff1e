"""SQLAlchemy models of the sociale kaart, loosely after HSDS 3.0.

Activities are HSDS "services". Ids of organisations and activities are the stable
ids from the catalogue files, so a re-import updates rows instead of adding them.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()

STATUSES = ("actief", "tijdelijk_gesloten", "beeindigd")
JOIN_METHODS = ("gewoon_langskomen", "aanmelden", "via_coach_of_wijkteam")
SCOPES = ("gemeenten", "regio", "online")


class Municipality(Base):
    __tablename__ = "municipality"

    code = Column(String(6), primary_key=True)  # CBS code, e.g. GM0402
    naam = Column(String(120), nullable=False, unique=True)
    provincie = Column(String(60), nullable=False)
    regio = Column(String(120), nullable=False, index=True)
    welzijnsorganisatie = Column(String(200))

    woonplaatsen = relationship("Woonplaats", back_populates="municipality", cascade="all, delete-orphan")


class Woonplaats(Base):
    __tablename__ = "woonplaats"
    __table_args__ = (UniqueConstraint("municipality_code", "naam"),)

    id = Column(Integer, primary_key=True)
    naam = Column(String(120), nullable=False, index=True)
    municipality_code = Column(String(6), ForeignKey("municipality.code", ondelete="CASCADE"), nullable=False)

    municipality = relationship("Municipality", back_populates="woonplaatsen")


class Theme(Base):
    __tablename__ = "theme"

    code = Column(String(60), primary_key=True)
    label = Column(String(200), nullable=False)


class Category(Base):
    __tablename__ = "category"

    code = Column(String(60), primary_key=True)
    label = Column(String(200), nullable=False)


class CatalogueSource(Base):
    """One imported source (a file, or a named set of records) and its catalogus header."""

    __tablename__ = "catalogue_source"

    source = Column(String(200), primary_key=True)
    naam = Column(String(200), nullable=False)
    voorbeeldgegevens = Column(Boolean, nullable=False, default=False)
    geimporteerd_op = Column(DateTime, nullable=False)


class Organisation(Base):
    __tablename__ = "organisation"

    id = Column(String(120), primary_key=True)
    naam = Column(String(200), nullable=False)
    beschrijving = Column(Text)
    website = Column(String(300))
    email = Column(String(200))
    source = Column(String(200), nullable=False)

    activities = relationship("Activity", back_populates="organisation")


class Activity(Base):
    __tablename__ = "activity"
    # Matching filters region-wide activities by (scope, regio); migration 0002.
    __table_args__ = (Index("ix_activity_scope_regio", "scope", "regio"),)

    id = Column(String(120), primary_key=True)
    organisation_id = Column(String(120), ForeignKey("organisation.id"), nullable=False, index=True)
    naam = Column(String(200), nullable=False)
    beschrijving = Column(Text, nullable=False)
    # Where it is offered: "gemeenten" (see activity_municipality), "regio" (column regio) or "online".
    scope = Column(String(12), nullable=False)
    regio = Column(String(120))
    rooster_omschrijving = Column(String(300))
    kosten_gratis = Column(Boolean, nullable=False, default=False)
    kosten_bedrag_cent = Column(Integer)
    kosten_per = Column(String(60))
    kosten_omschrijving = Column(String(300))
    leeftijd_min = Column(Integer)
    leeftijd_max = Column(Integer)
    toegankelijkheid = Column(Text)
    aanmelden_wijze = Column(String(30), nullable=False)
    indicatie_nodig = Column(Boolean, nullable=False, default=False)
    eerste_keer_begeleiding = Column(Boolean, nullable=False, default=False)
    contact_telefoon = Column(String(40))
    contact_email = Column(String(200))
    contact_website = Column(String(300))
    status = Column(String(20), nullable=False, index=True)
    geldig_van = Column(Date)
    geldig_tot = Column(Date)
    laatst_gecontroleerd_op = Column(Date)
    laatst_gecontroleerd_door = Column(String(200))
    laatst_gewijzigd_op = Column(DateTime, nullable=False, index=True)
    source = Column(String(200), nullable=False, index=True)
    # Hash of the normalised record: a re-import compares it to spot changes cheaply.
    inhoud_hash = Column(String(64), nullable=False)
    # Editors' workflow (migration 0003, sociale_kaart/editorial.py): the row holds the
    # published content; versie is the number of that published version (0: imported).
    versie = Column(Integer, nullable=False, server_default="0")  # no Python default: bulk.py
    eigenaar = Column(String(200), index=True)
    archief_reden = Column(Text)
    gearchiveerd_op = Column(DateTime)

    organisation = relationship("Organisation", back_populates="activities")
    categories = relationship(
        "ActivityCategory", cascade="all, delete-orphan", order_by="ActivityCategory.position"
    )
    themes = relationship("ActivityTheme", cascade="all, delete-orphan", order_by="ActivityTheme.position")
    municipalities = relationship(
        "ActivityMunicipality", cascade="all, delete-orphan", order_by="ActivityMunicipality.position"
    )
    groups = relationship("ActivityGroup", cascade="all, delete-orphan", order_by="ActivityGroup.position")
    languages = relationship(
        "ActivityLanguage", cascade="all, delete-orphan", order_by="ActivityLanguage.position"
    )
    locations = relationship("Location", cascade="all, delete-orphan", order_by="Location.position")
    schedule_rules = relationship(
        "ScheduleRule", cascade="all, delete-orphan", order_by="ScheduleRule.position"
    )


def _activity_fk() -> Column:
    return Column(String(120), ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True)


class ActivityCategory(Base):
    __tablename__ = "activity_category"

    activity_id = _activity_fk()
    category_code = Column(String(60), ForeignKey("category.code"), primary_key=True, index=True)
    position = Column(Integer, nullable=False, default=0)


class ActivityTheme(Base):
    __tablename__ = "activity_theme"

    activity_id = _activity_fk()
    theme_code = Column(String(60), ForeignKey("theme.code"), primary_key=True, index=True)
    position = Column(Integer, nullable=False, default=0)


class ActivityMunicipality(Base):
    __tablename__ = "activity_municipality"
    __table_args__ = (Index("ix_activity_municipality_code_activity", "municipality_code", "activity_id"),)

    activity_id = _activity_fk()
    municipality_code = Column(String(6), ForeignKey("municipality.code"), primary_key=True, index=True)
    position = Column(Integer, nullable=False, default=0)


class ActivityGroup(Base):
    """Target group, e.g. ouderen, mantelzorgers (see sociale_kaart/doelgroepen.yml)."""

    __tablename__ = "activity_group"

    activity_id = _activity_fk()
    groep = Column(String(60), primary_key=True)
    position = Column(Integer, nullable=False, default=0)


class ActivityLanguage(Base):
    __tablename__ = "activity_language"

    activity_id = _activity_fk()
    taal = Column(String(8), primary_key=True)
    position = Column(Integer, nullable=False, default=0)


class Location(Base):
    __tablename__ = "location"

    id = Column(Integer, primary_key=True)
    activity_id = Column(
        String(120), ForeignKey("activity.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position = Column(Integer, nullable=False, default=0)
    naam = Column(String(200))
    straat = Column(String(200))
    postcode = Column(String(7))  # normalised "1234 AB"
    woonplaats = Column(String(120))


class ScheduleRule(Base):
    __tablename__ = "schedule_rule"

    id = Column(Integer, primary_key=True)
    activity_id = Column(
        String(120), ForeignKey("activity.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position = Column(Integer, nullable=False, default=0)
    freq = Column(String(12), nullable=False)  # wekelijks | maandelijks
    dag = Column(String(2), nullable=False)  # ma di wo do vr za zo
    week = Column(Integer)  # maandelijks: 1..4, or -1 for the last week
    van = Column(String(5))  # "HH:MM"
    tot = Column(String(5))


VERSION_STATUSES = ("concept", "ter_controle", "gepubliceerd", "vervangen", "gearchiveerd")


class ActivityVersion(Base):
    """One version of an activity, as a clean record (JSON). Never updated except its status."""

    __tablename__ = "activity_version"
    __table_args__ = (UniqueConstraint("activity_id", "nummer", name="uq_activity_version_nummer"),)

    id = Column(Integer, primary_key=True)
    activity_id = Column(String(120), nullable=False, index=True)  # no FK: a new concept has no row yet
    nummer = Column(Integer, nullable=False)
    status = Column(String(20), nullable=False, index=True)
    record = Column(Text, nullable=False)
    auteur = Column(String(80), nullable=False)
    gemaakt_op = Column(DateTime, nullable=False)
    beoordeeld_door = Column(String(80))
    beoordeeld_op = Column(DateTime)
    notitie = Column(Text)


# -- signals from the field and unmet demand (migration 0004) ---------------------------
# sociale_kaart/signals.py and sociale_kaart/demand.py. Neither table holds any text a
# resident typed, nor anything that points to a resident or a conversation.
SIGNAL_STATUSES = ("open", "opgelost", "afgewezen")


class ActivitySignal(Base):
    """'Klopt dit niet?': one report that an activity is wrong (a reason code, never free text)."""

    __tablename__ = "activity_signal"
    __table_args__ = (Index("ix_activity_signal_status_activity", "status", "activity_id"),)

    id = Column(Integer, primary_key=True)
    activity_id = Column(String(120), nullable=False, index=True)  # no FK: signals outlive an archived entry
    reden = Column(String(30), nullable=False)  # a code of sociale_kaart/signals.py REASONS
    bron = Column(String(20), nullable=False)  # web | telegram | coach
    gemeld_op = Column(Date, nullable=False)  # the day only: no time to line up with a conversation
    melder = Column(String(80))  # a coach's account name; empty for residents
    notitie = Column(String(300))  # a coach's short note, masked before it is stored; never from residents
    status = Column(String(20), nullable=False, default="open")
    afgehandeld_door = Column(String(80))
    afgehandeld_op = Column(DateTime)


class UnmetDemandCount(Base):
    """How many searches per week x theme x gemeente found local activities, only
    region-wide or online ones, or nothing. Counts only."""

    __tablename__ = "unmet_demand_count"

    week = Column(Date, primary_key=True)  # the Monday of the ISO week
    theme_code = Column(String(60), primary_key=True)  # "" when no theme was known
    municipality_code = Column(String(6), primary_key=True)
    uitkomst = Column(String(20), primary_key=True)  # lokaal | alleen_elders | geen
    aantal = Column(Integer, nullable=False, default=0)
