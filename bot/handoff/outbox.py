"""The outbox: notifications waiting for delivery, claimed with a lease.

Guarantee (see docs/handoff.md): every outbox row is delivered at least once
while attempts remain, and no two senders deliver the same row at the same
time. A sender claims a row with one conditional UPDATE (state pending, due,
lease free or expired); only the sender whose UPDATE changed the row may
deliver it, and only the lease owner can mark it delivered. A delivered row is
never claimed again. Rows are written by bot.handoff.store in the transaction that stores the
request. The one window left is a crash after the receiver
accepted the message and before the "delivered" commit: the row is then
delivered again after the lease expires, with the same idempotency key
(`outbox-<id>`), so the receiver can drop the copy.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.handoff.models import (
    OUTBOX_DELIVERED,
    OUTBOX_FAILED,
    OUTBOX_PENDING,
    HandoffRequest,
    OutboxMessage,
    utcnow,
)


@dataclass(frozen=True)
class OutboxPolicy:
    lease: timedelta = timedelta(seconds=120)  # must exceed the longest delivery (timeouts 10 s)
    base_delay: timedelta = timedelta(seconds=30)
    max_delay: timedelta = timedelta(hours=1)
    max_attempts: int = 12  # about 7 hours of retrying before a row is marked failed

    @classmethod
    def from_settings(cls, settings) -> OutboxPolicy:
        return cls(
            lease=timedelta(seconds=settings.outbox_lease_seconds),
            base_delay=timedelta(seconds=settings.outbox_base_delay_seconds),
            max_delay=timedelta(seconds=settings.outbox_max_delay_seconds),
            max_attempts=settings.outbox_max_attempts,
        )

    def backoff(self, attempts: int) -> timedelta:
        """Delay after the `attempts`-th failed attempt: 30 s, 1 min, 2 min, ... capped."""
        delay = self.base_delay * (2 ** max(attempts - 1, 0))
        return min(delay, self.max_delay)


def _claimable(now: datetime):
    return and_(
        OutboxMessage.state == OUTBOX_PENDING,
        OutboxMessage.next_attempt_at <= now,
        or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < now),
    )


def claim(engine: Engine, owner: str, policy: OutboxPolicy, limit: int = 10,
          now: datetime | None = None) -> list[int]:
    """Claim up to `limit` due rows for `owner`. Returns the ids this owner now holds."""
    now = now or utcnow()
    claimed = []
    with engine.connect() as connection:
        with connection.begin():
            candidates = connection.execute(
                select(OutboxMessage.id).where(_claimable(now)).order_by(OutboxMessage.next_attempt_at).limit(limit)
            ).scalars().all()
        for outbox_id in candidates:
            with connection.begin():
                result = connection.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id == outbox_id, _claimable(now))
                    .values(
                        lease_owner=owner,
                        lease_until=now + policy.lease,
                        attempts=OutboxMessage.attempts + 1,
                    )
                )
            if result.rowcount == 1:
                claimed.append(outbox_id)
    return claimed


def release(engine: Engine, outbox_ids: list[int], owner: str) -> None:
    """Give back claimed rows that were not attempted (the sender is stopping)."""
    if not outbox_ids:
        return
    with engine.begin() as connection:
        connection.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(outbox_ids), OutboxMessage.lease_owner == owner,
                   OutboxMessage.state == OUTBOX_PENDING)
            .values(lease_until=None, attempts=OutboxMessage.attempts - 1)
        )


def mark_delivered(engine: Engine, outbox_id: int, owner: str, now: datetime | None = None) -> bool:
    """False when the lease was lost meanwhile (another sender holds the row now)."""
    now = now or utcnow()
    with engine.begin() as connection:
        result = connection.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == outbox_id,
                OutboxMessage.lease_owner == owner,
                OutboxMessage.state == OUTBOX_PENDING,
            )
            .values(state=OUTBOX_DELIVERED, delivered_at=now, lease_until=None, last_error=None)
        )
    return result.rowcount == 1


def mark_failed(
    engine: Engine, outbox_id: int, owner: str, error: str, policy: OutboxPolicy,
    permanent: bool = False, now: datetime | None = None,
) -> str | None:
    """Record a failed attempt; returns the new state, or None when the lease was lost."""
    now = now or utcnow()
    with engine.begin() as connection:
        row = connection.execute(
            select(OutboxMessage.attempts).where(
                OutboxMessage.id == outbox_id,
                OutboxMessage.lease_owner == owner,
                OutboxMessage.state == OUTBOX_PENDING,
            )
        ).first()
        if row is None:
            return None
        attempts = row.attempts
        give_up = permanent or attempts >= policy.max_attempts
        state = OUTBOX_FAILED if give_up else OUTBOX_PENDING
        connection.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == outbox_id, OutboxMessage.lease_owner == owner)
            .values(
                state=state,
                lease_until=None,
                last_error=error[:1000],
                next_attempt_at=now + policy.backoff(attempts),
            )
        )
    return state


def retry(session: Session, outbox_id: int) -> bool:
    """Put a failed row back in the queue (operator action after fixing the cause)."""
    row = session.get(OutboxMessage, outbox_id)
    if row is None or row.state != OUTBOX_FAILED:
        return False
    row.state = OUTBOX_PENDING
    row.attempts = 0
    row.next_attempt_at = utcnow()
    row.lease_until = None
    return True


@dataclass(frozen=True)
class OutboxLine:
    id: int
    referentie: str
    team_id: int | None
    channel: str
    state: str
    attempts: int
    next_attempt_at: datetime
    delivered_at: datetime | None
    last_error: str | None


def overview(session: Session, team_id: int | None = None, limit: int = 200) -> list[OutboxLine]:
    """Delivery state, newest first; limited to one team when team_id is given. Rows without a
    request (verification reminders to editors) show their kind as referentie, and no team."""
    query = (
        select(OutboxMessage, HandoffRequest.reference_code, HandoffRequest.team_id)
        .outerjoin(HandoffRequest, HandoffRequest.id == OutboxMessage.request_id)
        .order_by(OutboxMessage.id.desc())
        .limit(limit)
    )
    if team_id is not None:
        query = query.where(HandoffRequest.team_id == team_id)
    return [
        OutboxLine(
            id=row.id, referentie=ref or row.kind, team_id=team, channel=row.channel, state=row.state,
            attempts=row.attempts, next_attempt_at=row.next_attempt_at,
            delivered_at=row.delivered_at, last_error=row.last_error,
        )
        for row, ref, team in session.execute(query).all()
    ]
