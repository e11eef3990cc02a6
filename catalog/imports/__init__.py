"""Bulk import of items from CSV: read, validate, plan, apply.

`format` defines the CSV layout (shared with the export), `reader` streams and decodes a file,
`plan` turns rows into a plan of changes against the catalogue, `apply` writes that plan.
"""
