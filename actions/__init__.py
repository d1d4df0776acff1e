"""Rasa SDK actions: thin translators between the conversation and the libraries."""

import os

if os.environ.get("WW_WARM_UP") == "1":  # set for the action server process (bot/processes.py)
    from actions._kaart import warm_up_in_background

    warm_up_in_background()
