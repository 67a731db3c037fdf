"""Maps: the points the inspector's and the supervisor's maps draw, and the tile settings they use."""
