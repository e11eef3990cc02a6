"""A folder of scans becomes draft items, through the one import engine (see run.py)."""
from .run import FolderResult, ingest_folder

__all__ = ["FolderResult", "ingest_folder"]
