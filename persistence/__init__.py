"""Storage: engines, sessions, the unit of work, repositories, read queries and migrations."""
