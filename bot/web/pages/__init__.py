"""Static-ish pages of the web app (the privacy statement)."""
