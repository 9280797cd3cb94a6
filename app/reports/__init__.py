"""Reports for the data teams (R-63): seven monthly figures by area, as JSON, CSV and SVG."""
