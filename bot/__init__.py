"""Runtime around Rasa: channels, web app, hand-off, custom NLU components."""
