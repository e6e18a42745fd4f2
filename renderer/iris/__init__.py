"""Import a real iris cluster as a ClusterSnapshot: live over Connect JSON, or a checkpoint."""
