"""OAI-PMH 2.0 for Arkiv: harvesters take the published catalogue, and every deletion, from /oai.

endpoint.py is the only HTTP glue. It parses the arguments (arguments.py), calls one function
per verb (verbs.py), and answers protocol errors (errors.py) with HTTP 200, as OAI-PMH 2.0
section 3.6 asks. Records come a page at a time from records.py and are written by the
formats in formats/, which the static export (catalog/exports/static.py) shares.

pages.py answers the same requests as pages for people at /oai/browse, through the same
argument parser and verbs: /oai itself is XML only (browsers are dropping XSLT).
"""
