"""Publications generated from the data: the compendium of a reporting cycle (PDF, DOCX)."""
