"""审管联动 records archive and official-correspondence system."""
