"""The weekly violation export (违规周报) for the district: XLSX, CSV and GeoJSON."""
