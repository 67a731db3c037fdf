"""整改通知书: rectification notices — issued, numbered, rendered, signed, verifiable (issue 9)."""
