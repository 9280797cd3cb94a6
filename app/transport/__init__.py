"""Transport to contact, volunteer drivers and parents' contact expenses (R-31 to R-35)."""
