import sys
from pathlib import Path

# kaart_helpers (a valid catalogue document) lives in tests/sociale_kaart.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sociale_kaart"))
