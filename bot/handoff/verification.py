"""Verification reminders of the editors' back office, through the outbox.

An entry of the sociale kaart that nobody checked for `stale_days` days gets an e-mail to
its owner (the `eigenaar` of the activity: an account's username with an e-mail address,
or an e-mail address itself). The mail holds a signed one-click "klopt nog" link
(`/redactie/klopt-nog/<token>`, opening it shows one POST button) and a link to the form.

- `queue_due` (the scheduler) writes one outbox row of kind "verificatieherinnering" and
  one `VerificationReminder` row in ONE transaction. The reminder row's unique key
  (activity, verification date it was sent for, number) makes queueing exactly-once: a
  second scheduler running at the same moment gets an IntegrityError and queues nothing.
  Delivery is the outbox's: leases, retries, idempotency key (bot.handoff.outbox).
- Reminders wait `interval_days` between each other; after `max_reminders` ones no more are
  sent, and once the last one had `interval_days` to be answered the entry is marked
  ("geen reactie" in the stale queue and the list filter).
  A new verification date (the link, the button in the form, an edit) starts afresh.
- Who runs it: the notification sender, once every `SCHEDULE_INTERVAL` (WW_REDACTIE_REMINDERS),
  and `welzijnswijzer herinneringen` by hand or from cron.

The token carries the activity id and the verification date it was sent for, signed with a
key derived from WW_SECRET_KEY; it expires after `MAX_AGE_DAYS` and is used once (the new
verification date makes it stale). No token is stored: it is made when the mail is built.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from bot.handoff.models import OUTBOX_PENDING, OutboxMessage, VerificationReminder, utcnow

KIND = "verificatieherinnering"
SALT = "welzijnswijzer-redactie-klopt-nog"
MAX_AGE_DAYS = 30
SCHEDULE_INTERVAL = dt.timedelta(hours=1)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# -- the signed "klopt nog" link --------------------------------------------------
def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    key = hmac.new(secret_key.encode(), b"welzijnswijzer-redactie-reminder", hashlib.sha256).hexdigest()
    return URLSafeTimedSerializer(key, salt=SALT)


def make_token(secret_key: str, activity_id: str, checked_on: str | None) -> str:
    """A token for `activity_id`, valid while its verification date is still `checked_on`."""
    return _serializer(secret_key).dumps({"a": activity_id, "c": checked_on or ""})


def read_token(secret_key: str, token: str, max_age_days: int = MAX_AGE_DAYS) -> dict | None:
    """{"a": activity id, "c": verification date it was sent for}, or None (forged or expired)."""
    try:
        data = _serializer(secret_key).loads(token, max_age=max_age_days * 86400)
    except (BadSignature, SignatureExpired):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("a"), str) else None


# -- policy -------------------------------------------------------------------------
@dataclass(frozen=True)
class ReminderPolicy:
    stale_days: int = 180
    interval_days: int = 14
    max_reminders: int = 3

    @classmethod
    def from_settings(cls, settings) -> ReminderPolicy:
        return cls(
            stale_days=settings.redactie_stale_days,
            interval_days=settings.redactie_reminder_interval_days,
            max_reminders=settings.redactie_reminder_max,
        )


@dataclass
class ScheduleReport:
    queued: int = 0
    no_address: int = 0  # stale, but the owner has no e-mail address (or there is no owner)
    waiting: int = 0  # a reminder was sent less than interval_days ago
    marked: int = 0  # max_reminders unanswered: no more mail, marked in the queue
    taken: int = 0  # another scheduler queued the same reminder at the same moment

    def __str__(self) -> str:
        return (f"verstuurd: {self.queued}, geen adres: {self.no_address}, wachten: {self.waiting}, "
                f"gemarkeerd (geen reactie): {self.marked}")


def _checked(value) -> str:
    return value.isoformat() if value else ""


def recipient(connection: Connection, owner: str | None) -> str | None:
    """The e-mail address of an entry's owner: the account's address, or the owner itself."""
    from bot.accounts.models import User

    owner = (owner or "").strip()
    if not owner:
        return None
    address = connection.execute(
        select(User.email).where(User.username == owner.lower(), User.active.is_(True))
    ).scalar()
    if address:
        return address
    return owner if EMAIL.match(owner) else None


def sent_for(connection: Connection, activity_ids) -> dict[tuple[str, str], tuple[int, dt.datetime]]:
    """(activity id, verification date) -> (reminders sent, when the last one was queued)."""
    ids = list(activity_ids)
    if not ids:
        return {}
    rows = connection.execute(
        select(
            VerificationReminder.activity_id, VerificationReminder.checked_on,
            func.max(VerificationReminder.number), func.max(VerificationReminder.created_at),
        )
        .where(VerificationReminder.activity_id.in_(ids))
        .group_by(VerificationReminder.activity_id, VerificationReminder.checked_on)
    ).all()
    return {(a, c): (n, at) for a, c, n, at in rows}


def unanswered(connection: Connection, entries, policy: ReminderPolicy | None = None,
               now: dt.datetime | None = None) -> dict[str, tuple[int, bool]]:
    """Activity id -> (reminders sent since its current verification date, marked): marked
    once max_reminders went out and the last one had interval_days to be answered.
    `entries`: rows of editorial.stale (any mapping with id and laatst_gecontroleerd_op)."""
    policy = policy or ReminderPolicy()
    now = now or utcnow()
    entries = list(entries)
    sent = sent_for(connection, [e["id"] for e in entries])
    result = {}
    for entry in entries:
        count, last = sent.get((entry["id"], _checked(entry["laatst_gecontroleerd_op"])), (0, None))
        if count:
            waited = last is not None and now - last >= dt.timedelta(days=policy.interval_days)
            result[entry["id"]] = (count, count >= policy.max_reminders and waited)
    return result


def marked_ids(connection: Connection, policy: ReminderPolicy, today: dt.date | None = None,
               now: dt.datetime | None = None) -> set[str]:
    """Stale entries whose max_reminders reminders went unanswered (the "geen reactie" filter)."""
    from sociale_kaart import editorial

    entries = editorial.stale(connection, policy.stale_days, today)
    return {key for key, (_count, marked) in unanswered(connection, entries, policy, now).items() if marked}


# -- the scheduler ------------------------------------------------------------------
def queue_due(engine: Engine, policy: ReminderPolicy, today: dt.date | None = None,
              now: dt.datetime | None = None) -> ScheduleReport:
    """Queue the reminders that are due now. Safe to run at the same time in several processes."""
    from sociale_kaart import editorial

    now = now or utcnow()
    report = ScheduleReport()
    with engine.connect() as connection:
        entries = editorial.stale(connection, policy.stale_days, today)
        sent = sent_for(connection, [e["id"] for e in entries])
        plans = []
        for entry in entries:
            checked = _checked(entry["laatst_gecontroleerd_op"])
            count, last = sent.get((entry["id"], checked), (0, None))
            if last is not None and now - last < dt.timedelta(days=policy.interval_days):
                report.waiting += 1
                continue
            if count >= policy.max_reminders:
                report.marked += 1
                continue
            address = recipient(connection, entry["eigenaar"])
            if address is None:
                report.no_address += 1
                continue
            plans.append((entry["id"], checked, count + 1, address))
    for activity_id, checked, number, address in plans:
        try:
            with engine.begin() as connection:
                outbox_id = connection.execute(
                    OutboxMessage.__table__.insert().values(
                        request_id=None, channel="email", kind=KIND, state=OUTBOX_PENDING, attempts=0,
                        payload={"activity_id": activity_id, "checked_on": checked, "number": number,
                                 "recipient": address},
                        next_attempt_at=now, created_at=now,
                    )
                ).inserted_primary_key[0]
                connection.execute(
                    VerificationReminder.__table__.insert().values(
                        activity_id=activity_id, checked_on=checked, number=number,
                        outbox_id=outbox_id, created_at=now,
                    )
                )
        except IntegrityError:
            report.taken += 1
            continue
        report.queued += 1
    return report


# -- the mail -------------------------------------------------------------------------
def notification(session, row: OutboxMessage, settings):
    """The Notification for one outbox row of kind KIND (called by the sender)."""
    from bot.handoff.notify import DeliveryError, Notification
    from sociale_kaart import models

    payload = row.payload or {}
    activity = models.Activity.__table__
    entry = session.execute(
        select(activity.c.id, activity.c.naam, activity.c.laatst_gecontroleerd_op, activity.c.status)
        .where(activity.c.id == payload.get("activity_id"))
    ).mappings().first()
    if entry is None:
        raise DeliveryError("de activiteit bestaat niet meer", permanent=True)
    if not payload.get("recipient"):
        raise DeliveryError("geen adres voor de herinnering", permanent=True)
    base = f"{settings.public_url}/redactie"
    token = make_token(settings.secret_key, entry["id"], _checked(entry["laatst_gecontroleerd_op"]))
    return Notification(
        outbox_id=row.id,
        channel=row.channel,
        recipient=payload["recipient"],
        referentie=entry["id"],
        gemeente="",
        team="",
        inbox_url=f"{base}/activiteit/{entry['id']}",
        soort=KIND,
        naam=entry["naam"],
        klopt_nog_url=f"{base}/klopt-nog/{token}",
        nummer=int(payload.get("number") or 1),
        gecontroleerd_op=_checked(entry["laatst_gecontroleerd_op"]),
    )


# -- `welzijnswijzer herinneringen` ------------------------------------------------------
def _run(args) -> int:
    from bot.handoff.db import make_engine, migrate
    from bot.settings import Settings

    from sociale_kaart.db import migrate as migrate_catalogue

    settings = Settings.from_env()
    migrate_catalogue(settings.database_url)
    migrate(settings.database_url)
    today = dt.date.fromisoformat(args.vandaag) if args.vandaag else None
    report = queue_due(make_engine(settings.database_url), ReminderPolicy.from_settings(settings), today)
    print(report)
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "herinneringen", help="herinneringen 'klopt dit nog?' aan eigenaren van verouderde activiteiten klaarzetten"
    )
    parser.add_argument("--vandaag", help="datum als vandaag (JJJJ-MM-DD), om te testen")
    parser.set_defaults(handler=_run)
