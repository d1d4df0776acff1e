"""The kind decides the line: each crisis_soort gets its own variation of utter_crisis (domain.yml)."""

from __future__ import annotations

import pytest
import yaml

from bot.safety import crisis
from bot.settings import PROJECT_ROOT

MUST_NAME = {
    crisis.ZELFDODING: ("113", "0800-0113"),
    crisis.NAASTE: ("113", "0800-0113"),
    crisis.HUISELIJK_GEWELD: ("Veilig Thuis", "0800-2000", "112"),
    crisis.ACUUT_GEVAAR: ("112",),
}
MUST_NOT_NAME = {crisis.HUISELIJK_GEWELD: ("113",)}


def _variations(response: str) -> dict[str | None, str]:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    out = {}
    for variation in domain["responses"][response]:
        kinds = [c["value"] for c in variation.get("condition", []) if c.get("name") == "crisis_soort"]
        out[kinds[0] if kinds else None] = variation["text"]
    return out


@pytest.mark.parametrize("kind", crisis.KINDS)
def test_every_kind_has_its_own_reply_with_its_line(kind):
    text = _variations("utter_crisis")[kind]
    assert all(number in text for number in MUST_NAME[kind]), (kind, text)
    assert not any(number in text for number in MUST_NOT_NAME.get(kind, ())), (kind, text)


def test_the_default_reply_names_every_line():
    text = _variations("utter_crisis")[None]
    assert all(number in text for number in ("113", "112", "0800-2000"))


def test_the_line_stays_visible_after_nee_for_every_kind():
    variations = _variations("utter_crisis_herhalen")
    for kind in crisis.KINDS:
        text = variations.get(kind, variations[None])
        assert any(number in text for number in ("113", "112", "0800-2000")), kind
    assert "0800-2000" in variations[crisis.HUISELIJK_GEWELD]
