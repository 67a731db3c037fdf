"""Roadside muck-truck checks (渣土车路检), clause 11.2: submission, consequences, repeat offenders."""
