"""Relational storage (SQLAlchemy 2 Core over SQLite or PostgreSQL) and the artifact store."""
