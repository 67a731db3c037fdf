"""Today's list (今日任务): the inspector's day, its route, assignments and coverage."""
