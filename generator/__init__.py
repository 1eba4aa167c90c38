"""Turns one YAML file per safeguarding case review into a cross-linked MkDocs site.

The pipeline: load -> validate -> model -> index -> render -> write. See README.md.
"""
