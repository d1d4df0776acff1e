"""Operations tools for a hosting party: backup and restore of the PostgreSQL databases."""
