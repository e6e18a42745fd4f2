"""Helpers that run the real iris for the live importer test."""
