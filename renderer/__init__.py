"""Render snapshots of a fluster cluster into static HTML dashboards."""

__version__ = "0.1.0"
