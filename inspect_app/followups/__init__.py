"""复查: follow-up tasks for notices, the short follow-up form, and closing what cannot be re-checked (issue 9)."""
