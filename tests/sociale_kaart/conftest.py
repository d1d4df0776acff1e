import sys
from pathlib import Path

# kaart_helpers lives next to the tests; rootdir mode does not put this folder on sys.path.
sys.path.insert(0, str(Path(__file__).resolve().parent))
