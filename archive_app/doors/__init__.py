"""What the two doors — the web pages (`web/`) and the JSON API (`api/`) — share, so neither imports
the other: the archive of the running app, waking the index writer, spooling an upload, and the
HTTP response for stored content. Nothing here decides anything; the services do."""
