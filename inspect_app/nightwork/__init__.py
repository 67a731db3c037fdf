"""Night-work permits (夜间施工证明) per site: clause 15 of the plan, 《噪声污染防治法》第四十三条."""
