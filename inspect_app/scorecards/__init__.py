"""Site scorecards (工地评分卡) and rankings: which sites, contractors and units need attention."""
