"""Dutch language resources built at install time (no downloads at run time)."""
