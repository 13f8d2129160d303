"""Jobs: the journal (persist before acting), the Qt-free runner, and the Qt bridge (`jobs.qt`)."""
