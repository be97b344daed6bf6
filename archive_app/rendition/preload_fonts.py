"""Imported by the parsing fork server: registering the CJK font takes ~0.15 s (it reads a 17 MB
font collection); done once there, every stamping or watermarking child inherits it."""

from ..core import errors
from .fonts import cjk_font

try:
    cjk_font()
except errors.ArchiveError:
    pass  # no font installed: the child that needs it reports the error in its own words
