"""Bulk import of items from CSV: read, validate, plan, apply.

`format` defines the CSV layout (shared with the export), `reader` streams and decodes a file,
`plan` turns rows into a plan of changes against the catalogue, `arrangement` checks where the
file's units will stand once every row is planned, `apply` writes that plan and `placing` the
units' places. `csv` runs them, for a CSV file or any source of rows of its shape (`ead`).
"""
