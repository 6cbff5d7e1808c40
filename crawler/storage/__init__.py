"""Storage: the database, its models and migrations, intake and history."""
