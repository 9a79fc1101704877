"""What the domain runs on: where the stores live (settings), the key vault for
personal data (SQLite or PostgreSQL), small in-process caches, and the settings
for filling a store fast (bulk load)."""
