"""What the domain runs on: where the stores live (settings), the key vault for
personal data (SQLite or PostgreSQL), and small in-process caches."""
