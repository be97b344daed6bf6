"""The 办件 register (issue 14): cases, their events and timeline, approval standards, imports.
See docs/cases.md."""
