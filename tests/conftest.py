"""Shared fixtures. `tests/` is on sys.path (pytest rootdir conftest), so test
modules import the harness as `from support.stack import ...`.

End-to-end stacks run on the back end `WW_TEST_BACKEND` names (support.stack:
`sqlite`, the default, or `postgres` = PostgreSQL + Redis on the session's real
servers). `make test` runs the whole suite on SQLite and then the end-to-end tests
(`-m e2e`) once more with `WW_TEST_BACKEND=postgres`. A test that needs a stack of
its own (other log level, processes stopped, a clean database) takes
`start_stack(...)`, which starts it on the same back end.
"""
from __future__ import annotations

import os

import pytest

# Real PostgreSQL and Redis servers (session-scoped), for the production-path tests.
from support.servers import postgres, postgres_url, redis_session, redis_url  # noqa: F401
from support.stack import ChatClient, StackBackend, chosen_backend, running_stack


@pytest.fixture(scope="session")
def stack_backend(request) -> StackBackend:
    """The back end of this run's stacks (WW_TEST_BACKEND)."""
    name = chosen_backend()
    if name == "sqlite":
        return StackBackend()
    return StackBackend(name, request.getfixturevalue("postgres"), request.getfixturevalue("redis_session"))


@pytest.fixture(scope="session")
def start_stack(stack_backend, tmp_path_factory):
    """`with start_stack("name", log_level=..., extra_env=..., with_sender=...) as stack:` an own
    stack (fresh databases) on this run's back end; `running_stack`'s options."""

    def start(name: str = "own-stack", **options):
        return running_stack(tmp_path_factory.mktemp(name), backend=stack_backend, **options)

    return start


@pytest.fixture(scope="session")
def stack(start_stack):
    """One real stack (actions, Rasa, web app) shared by the end-to-end tests (each test
    uses its own sender ids / conversation cookies)."""
    with start_stack("stack") as running:
        yield running


@pytest.fixture(scope="session")
def debug_stack(start_stack):
    """One stack at DEBUG log level (Rasa then logs every message it receives), shared by
    the tests that search every log for planted contact details."""
    with start_stack("debug-stack", log_level="DEBUG", with_sender=True) as running:
        yield running


@pytest.fixture
def chat(stack):
    """A fresh resident in the web chat (own conversation cookie)."""
    client = ChatClient(stack)
    yield client
    client.close()


# --- pytest-xdist (`make test` runs `-n 2 --dist loadgroup`) -----------------------------
# Every test goes into the group of its module, so module-scoped fixtures (a module's own
# stack, a browser, a loaded catalogue) are built once. Tests on the shared DEBUG stack form
# one group, and so do the modules that load the trained model in-process
# (tests/nlu/model_helpers.py), so those session fixtures are built once as well. Each worker
# has its own shared `stack` (built when its first end-to-end test needs it): the end-to-end
# modules are spread over both workers, each talking to its own Rasa.
# The hook must run before xdist's own (tryfirst): xdist turns the markers into the
# "@group" suffix of the node ids that --dist loadgroup schedules by; added after it, the
# markers were ignored and every module stack was started on both workers.
IN_PROCESS_MODEL_MODULES = (
    "tests/nlu/test_crisis_dialogue.py",
    "tests/nlu/test_trained_model_safety.py",
    "tests/nlu/test_model_load.py",
)
# Modules whose tests each talk only to the shared `stack` (own sender ids, no module-scoped
# fixture) and together take minutes: each test is a group of its own, so both workers (each
# with its own shared stack) share them. test_safety_e2e.py alone was 436 s on one worker.
SPREAD_MODULES = ("tests/e2e/test_safety_e2e.py",)


def _xdist_group(item) -> str:
    if "debug_stack" in item.fixturenames:
        return "debug_stack"
    module = item.nodeid.split("::", 1)[0]
    if module in SPREAD_MODULES:
        return f"{module}::{item.originalname}"  # no "[...]": xdist reads the group after the last "]"
    return "in_process_model" if module in IN_PROCESS_MODEL_MODULES else module


def _rank(item) -> int:
    """0: starts a stack of its own (or the DEBUG stack), 1: other e2e/slow tests, 2: the rest."""
    # start_stack as the test's own argument: the shared `stack` is built from it as well.
    own_arguments = getattr(getattr(item, "_fixtureinfo", None), "argnames", ())
    if "start_stack" in own_arguments or "debug_stack" in item.fixturenames:
        return 0
    return 1 if item.get_closest_marker("e2e") or item.get_closest_marker("slow") else 2


# --- the two parts of `make test`'s first pass ----------------------------------------------
# `make -j2 test` runs the tests that need no trained model while the model trains
# (WW_TEST_PART=without-model; training keeps about a third of the 2 cores idle), and the
# others once it is there (WW_TEST_PART=with-model). Without WW_TEST_PART every test runs.
# A test needs the model when it uses a stack fixture, is marked `e2e` (it starts Rasa), or
# is marked `model` (it loads the model in this process or runs `rasa test`).
STACK_FIXTURES = frozenset({"stack", "start_stack", "debug_stack", "chat"})
TEST_PARTS = ("without-model", "with-model")
TEST_PART = os.environ.get("WW_TEST_PART", "")  # read once, for the hook and the fixture


def needs_model(item) -> bool:
    return bool(STACK_FIXTURES.intersection(item.fixturenames)) or any(
        item.get_closest_marker(marker) is not None for marker in ("e2e", "model")
    )


def _select_part(config, items) -> None:
    if not TEST_PART:
        return
    if TEST_PART not in TEST_PARTS:
        raise pytest.UsageError(f"WW_TEST_PART={TEST_PART!r}: one of {', '.join(TEST_PARTS)}")
    wanted = TEST_PART == "with-model"
    kept = [item for item in items if needs_model(item) == wanted]
    deselected = [item for item in items if needs_model(item) != wanted]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


@pytest.fixture(scope="session", autouse=True)
def _no_model_in_the_part_without_it():
    """In the part that runs while the model trains, a test that asks for the model in this
    process (bot.training.ensure_model, however imported) fails with the reason instead of
    waiting for the training: it must be marked `pytest.mark.model`."""
    if TEST_PART != "without-model":
        yield
        return
    import bot.training

    def refuse(*args, **kwargs):
        raise RuntimeError("this test needs the trained model: mark its module `pytestmark = pytest.mark.model`")

    saved = bot.training.current_model
    bot.training.current_model = refuse  # ensure_model looks it up at every call
    try:
        yield
    finally:
        bot.training.current_model = saved


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    _select_part(config, items)
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        if not any(mark.name == "xdist_group" for mark in item.iter_markers()):
            item.add_marker(pytest.mark.xdist_group(_xdist_group(item)))
    # Long groups first: --dist loadgroup hands out groups in collection order, so the groups
    # that start a stack of their own go out first (at the end they left one worker idle while
    # the other started a stack), then those with a test that starts stacks or servers (marked
    # e2e or slow), and the many short modules fill in at the end, where they let both workers
    # finish together. The sort is stable: tests keep their order within a group, and groups
    # of a kind their order.
    rank: dict[str, int] = {}
    for item in items:
        group = _group_of(item)
        rank[group] = min(rank.get(group, 2), _rank(item))
    items.sort(key=lambda item: rank[_group_of(item)])


def _group_of(item) -> str:
    mark = item.get_closest_marker("xdist_group")
    return mark.args[0] if mark.args else mark.kwargs.get("name", "default")
