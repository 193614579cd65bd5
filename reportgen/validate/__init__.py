"""Validation: YAML nodes in, frozen dataclasses out, every problem collected first.

Like mkdocs' config validation, each validator walks the whole file and reports
every problem it finds before giving up, so one run shows the user all of them.
"""
