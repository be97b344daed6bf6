"""Intake: every door (upload page, API, bulk import) files through `file_record`."""

from .metadata import Metadata
from .pipeline import STAGES, Actor, Filed, file_record

__all__ = ["STAGES", "Actor", "Filed", "Metadata", "file_record"]
