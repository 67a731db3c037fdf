"""The features the app is made of, in import order (core → auth → sites → … → exports).

Each entry is a package under ``inspect_app``. Its models and operations are imported (operations
connect their signal receivers); if it has ``routes.py`` its ``blp`` (and any in ``API_BLUEPRINTS``,
or plain Flask ones in ``PLAIN_BLUEPRINTS``) is registered;
if it has ``cli.py`` every ``click`` group or command named ``*_cli`` is added to ``flask``.
Adding a feature means adding a line here, never editing ``create_app``.
"""

FEATURES = (
    "core",  # shared models and the `flask audit` commands
    "auth",
    "organisations",  # before sites: a site names its 建设/施工/监理单位 by organisation record
    "sites",
    "alerts",  # after sites: heavy-pollution alerts; checklists and inspections ask which levels bind
    "trucks",
    "nightwork",  # after sites: night-work permits (夜间施工证明) per site, and their import
    "checklists",
    "inspections",
    "evidence",
    "penalties",
    "suspensions",  # after penalties: a stop-work decision suspends the site; resumption (复工)
    "roadside",
    "review",
    "notices",  # after roadside and review: issues notices for recorded inspections
    "followups",  # after notices: a 复查 task for each notice issued
    "complaints",  # hotline complaints (12345 / 12369 / 12319) matched to sites, answered by an inspection
    "dossiers",  # after notices, followups and suspensions: the case file (案卷) of a penalty case
    "webhooks",  # after penalties, review, followups and alerts: group-robot notifications (企业微信 / 钉钉)
    "scorecards",
    "maps",  # after scorecards: map points carry the scorecards' grade and open violations
    "today",  # after scorecards and complaints: the inspector's day (今日任务), assignments, coverage
    "exports",
    "alertreports",  # after exports (its writer), inspections and penalties: the alert dashboard and report
    "system",
    "backups",  # flask backup create / restore: the database, every stored object and a manifest to check both
    "demo",
)
