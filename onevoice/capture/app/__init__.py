"""Capture an app touchpoint: a screen of a native app (docs/journeys.md), as the facts a page has.

`hierarchy` reads a screen's UI hierarchy in any of the formats it knows; `screen` turns the
hierarchy and the screenshot into texts, tap targets and images.
"""
