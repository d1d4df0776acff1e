"""`python -m bot.handoff.sender`: delivers the outbox and runs the daily purge.

Stops cleanly on SIGTERM or SIGINT: the delivery in progress is finished and
recorded, then the process exits with status 0.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
import uuid
from datetime import timedelta

from bot.handoff import outbox, pickup, verification
from bot.handoff.db import configure_engines, make_engine, session_scope
from bot.handoff.models import HandoffRequest, OutboxMessage, Team
from bot.handoff.notify import DeliveryError, Notification, Notifier

log = logging.getLogger("bot.handoff.sender")

PURGE_INTERVAL = timedelta(days=1)


def inbox_url(settings, reference_code: str) -> str:
    return f"{settings.public_url}/coach/aanvragen/{reference_code}"


def theme_labels(codes: list[str]) -> list[str]:
    from sociale_kaart.taxonomy import load_taxonomy

    themes = load_taxonomy().themes
    return [themes[code].label if code in themes else code for code in codes or []]


def build_notification(session, outbox_id: int, settings) -> Notification:
    row = session.get(OutboxMessage, outbox_id)
    if row.kind == verification.KIND:  # to the owner of a catalogue entry, no request behind it
        return verification.notification(session, row, settings)
    if row.kind == pickup.KIND:  # to the resident who opted in (Telegram), no personal data
        return pickup.notification(session, row, settings)
    request = session.get(HandoffRequest, row.request_id)
    team = session.get(Team, request.team_id) if request.team_id else None
    recipient = (row.payload or {}).get("recipient")
    if not recipient and row.channel == "email":
        recipient = team.email if team else None
    if not recipient and row.channel == "telegram":
        recipient = (team.telegram_chat_id if team else None) or settings.telegram_coach_chat_id
    if not recipient:
        raise DeliveryError(f"team {request.team_naam!r} heeft geen adres voor {row.channel}")
    if (row.payload or {}).get("soort") == "terugkoppeling":
        # To the referring practice: only the reference and the portal link, no personal data.
        return Notification(
            outbox_id=row.id,
            channel=row.channel,
            recipient=recipient,
            referentie=request.reference_code,
            gemeente="",
            team=request.team_naam,
            inbox_url=f"{settings.public_url}/verwijzer/verwijzingen/{request.reference_code}",
            soort="terugkoppeling",
        )
    return Notification(
        outbox_id=row.id,
        channel=row.channel,
        recipient=recipient,
        referentie=request.reference_code,
        gemeente=request.gemeente_naam or "onbekend",
        team=request.team_naam,
        themas=theme_labels(request.themes),
        inbox_url=inbox_url(settings, request.reference_code),
    )


def deliver_due(
    engine,
    settings,
    notifier: Notifier,
    owner: str,
    policy: outbox.OutboxPolicy,
    stop: threading.Event | None = None,
) -> int:
    """Claim and deliver what is due. Returns the number delivered."""
    delivered = 0
    claimed = outbox.claim(engine, owner, policy)
    for position, outbox_id in enumerate(claimed):
        if stop is not None and stop.is_set():
            outbox.release(engine, claimed[position:], owner)
            break
        try:
            with session_scope(engine) as session:
                notification = build_notification(session, outbox_id, settings)
            notifier.deliver(notification)
        except DeliveryError as exc:
            state = outbox.mark_failed(engine, outbox_id, owner, str(exc), policy, permanent=exc.permanent)
            log.warning("outbox %s: attempt failed (%s), now %s", outbox_id, exc, state)
            continue
        except Exception as exc:  # a bug or a database hiccup: keep the loop alive, retry later
            log.exception("outbox %s: unexpected error", outbox_id)
            outbox.mark_failed(engine, outbox_id, owner, f"{type(exc).__name__}: {exc}", policy)
            continue
        if outbox.mark_delivered(engine, outbox_id, owner):
            delivered += 1
            log.info("outbox %s: delivered by %s", outbox_id, notification.channel)
        else:
            log.warning("outbox %s: delivered, but the lease was lost meanwhile", outbox_id)
    return delivered


class Sender:
    def __init__(self, settings, poll_seconds: float = 2.0, purge: bool = True):
        self.settings = settings
        configure_engines(settings.engine_options)
        self.engine = make_engine(settings.database_url)
        self.notifier = Notifier(settings)
        self.policy = outbox.OutboxPolicy.from_settings(settings)
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.poll_seconds = poll_seconds
        self.purge_enabled = purge
        self.stop = threading.Event()
        self._next_purge = 0.0
        self._next_reminders = 0.0

    def run(self) -> None:
        log.info("sender %s started", self.owner)
        while not self.stop.is_set():
            self._maybe_purge()
            self._maybe_queue_reminders()
            try:
                deliver_due(self.engine, self.settings, self.notifier, self.owner, self.policy, self.stop)
            except Exception:
                log.exception("delivery round failed; trying again")
            self.stop.wait(self.poll_seconds)
        log.info("sender %s stopped", self.owner)

    def _maybe_queue_reminders(self) -> None:
        """Verification reminders of the editors' back office, once an hour (exactly-once
        across senders: bot.handoff.verification.queue_due)."""
        if not getattr(self.settings, "redactie_reminders", False) or time.monotonic() < self._next_reminders:
            return
        self._next_reminders = time.monotonic() + verification.SCHEDULE_INTERVAL.total_seconds()
        try:
            report = verification.queue_due(self.engine, verification.ReminderPolicy.from_settings(self.settings))
            log.info("verification reminders: queued %s, no address %s, marked %s",
                     report.queued, report.no_address, report.marked)
        except Exception:
            log.exception("queueing verification reminders failed; trying again in an hour")

    def _maybe_purge(self) -> None:
        if not self.purge_enabled or time.monotonic() < self._next_purge:
            return
        from bot.handoff.purge import RetentionPolicy, purge_all

        try:
            report = purge_all(self.settings, RetentionPolicy.from_settings(self.settings))
            log.info("purge: %s", report)
        except Exception:
            log.exception("purge failed; trying again in an hour")
            self._next_purge = time.monotonic() + 3600
            return
        self._next_purge = time.monotonic() + PURGE_INTERVAL.total_seconds()


def main() -> None:
    from bot.logging_setup import configure_logging
    from bot.settings import Settings

    settings = Settings.from_env()
    # The Bot API URL holds the bot token: httpx stays at WARNING, secrets are redacted.
    configure_logging(settings)
    sender = Sender(
        settings,
        poll_seconds=settings.sender_poll_seconds,
        purge=settings.sender_purge,
    )

    def request_stop(signum, _frame):
        log.info("signal %s: stopping after the current delivery", signum)
        sender.stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    sender.run()


if __name__ == "__main__":
    main()
