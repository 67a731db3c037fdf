"""Muck-truck registry (渣土运输车辆): haulage companies, vehicles, the sites they serve.

Roadside checks of trucks build on this package; it knows nothing about inspections.
"""
