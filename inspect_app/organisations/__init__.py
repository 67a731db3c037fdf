"""Organisations (单位): the 建设单位, 施工单位 and 监理单位 of sites, as records with a credit code."""
