-- docker compose only: the second database, for Rasa's tracker store (WW_TRACKER_STORE_URL).
CREATE DATABASE rasa OWNER ww;
