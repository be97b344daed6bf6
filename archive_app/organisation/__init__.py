"""Who: agencies, users and their sessions, the access policy, and the acting user (Actor)."""
