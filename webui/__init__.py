"""The web UI (Flask) over the search layer."""
