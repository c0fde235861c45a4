"""Collectors: watch public sources and propose new records for review."""
