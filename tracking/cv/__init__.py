"""Reading CV files: extraction by content (extract), sections and dates (sections), skills and titles (keywords),
and the writes that store a CV version (services)."""
