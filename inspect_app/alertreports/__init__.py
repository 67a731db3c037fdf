"""While an alert is in force, per unit: what the inspection office needs to know within hours (alert
dashboard), and the same as an XLSX report for the alert's whole duration. Reads inspections, penalties and
sites (placed after exports, whose writer it reuses); alerts know nothing of it."""
