"""Archival records: 档号, arrangement, the catalogue read side, custody, transfer, 调阅, fixity, reports."""
