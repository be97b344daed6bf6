"""Infrastructure: settings, database, storage, time, errors and text helpers — no domain rules."""
