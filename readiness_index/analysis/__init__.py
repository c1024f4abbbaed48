"""Analyses of a built index: audit, distance to targets, uncertainty and sensitivity."""
