"""Long-running jobs: one table, executors that run them, progress, cancel and watch."""
