"""What people do with snapshots besides a report: summaries, diffs, archives, captures."""
