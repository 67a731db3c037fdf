"""User-facing strings of ``flask backup`` (zh-CN, English)."""
from inspect_app.core.i18n import register_messages

MESSAGES = {
    # create
    "backup_exists": ("{path} 已存在：备份不会覆盖已有目录，请换一个新目录（例如带上日期）。",
                      "{path} already exists: a backup never overwrites a directory; choose a new one "
                      "(e.g. with the date in its name)."),
    "backup_partial_removed": ("删除了上次中断留下的 {path}。",
                               "Removed {path}, left by an interrupted backup."),
    "backup_pg_dump_missing": (
        "找不到 {program}：PostgreSQL 的备份需要它。请安装与数据库服务器同一大版本的客户端"
        "（例如 apt-get install postgresql-client-15），并确保它在 PATH 中。",
        "{program} was not found: a PostgreSQL backup needs it. Install the client of the server's major version "
        "(e.g. apt-get install postgresql-client-15) and put it on PATH."),
    "backup_pg_dump_failed": ("{program} 失败（退出码 {code}）：{error}",
                              "{program} failed (exit code {code}): {error}"),
    "backup_unsupported_database": ("不支持备份 {kind} 数据库，只支持 SQLite 和 PostgreSQL。",
                                    "Cannot back up a {kind} database; only SQLite and PostgreSQL are supported."),
    "backup_no_revision": (
        "注意：数据库没有 alembic 版本号（不是用 flask db upgrade 建的），这份备份将无法恢复。",
        "Warning: the database has no alembic revision (it was not built with flask db upgrade); this "
        "backup cannot be restored."),
    "backup_database_start": ("正在复制数据库（{kind}）…", "Copying the database ({kind}) …"),
    "backup_database_done": ("数据库已备份：{tables} 张表，共 {rows} 行（{megabytes} MB）。",
                             "Database backed up: {tables} tables, {rows} rows ({megabytes} MB)."),
    "backup_storage_failed": ("读取存储失败：{error}。备份未完成，没有留下任何目录；请检查存储后重试。",
                              "Reading the storage failed: {error}. The backup is incomplete and nothing was left "
                              "behind; check the storage and try again."),
    "backup_objects_progress": ("存储对象 {done}/{total}（{megabytes} MB）…",
                                "Stored objects {done}/{total} ({megabytes} MB) …"),
    "backup_created": (
        "备份完成：{path}。数据库（{kind}，版本 {revision}），{objects} 个存储对象（{megabytes} MB，{how}）。",
        "Backup complete: {path}. Database ({kind}, revision {revision}), {objects} stored objects "
        "({megabytes} MB, {how})."),
    "backup_objects_copied": ("已复制到 objects/ 并记录 SHA-256", "copied into objects/ with their SHA-256"),
    "backup_objects_listed": (
        "对象存储中的文件只列出清单和 SHA-256、不复制：请开启存储桶的版本控制并由存储桶自行备份",
        "bucket objects listed with their SHA-256, not copied: keep versioning on and back the bucket up "
        "with its own tools"),
    # restore
    "restore_no_manifest": ("{path} 中没有 manifest.json：这不是一份完整的备份（名字以 .partial 结尾的是中断的备份）。",
                            "{path} has no manifest.json: it is not a complete backup (a name ending in .partial "
                            "is an interrupted one)."),
    "restore_bad_manifest": ("manifest.json 无法读取：{error}", "manifest.json cannot be read: {error}"),
    "restore_kind_mismatch": (
        "这份备份来自 {backup} 数据库，当前配置的是 {target}。恢复只支持同类数据库（SQLite → SQLite，PostgreSQL → "
        "PostgreSQL）；请把 DATABASE_URL 指向一个新的空 {backup} 数据库。",
        "This backup is of a {backup} database and the configured one is {target}. A restore is supported only into "
        "the same kind (SQLite → SQLite, PostgreSQL → PostgreSQL); point DATABASE_URL at a new, empty {backup} "
        "database."),
    "restore_unknown_revision": (
        "备份的数据库版本 {revision} 不是本程序认识的迁移版本：请用产生这份备份的（或更新的）程序版本来恢复。",
        "The backup's database revision {revision} is not a migration this code knows; restore it with the "
        "version of the app that made it (or a newer one)."),
    "restore_target_not_empty": (
        "目标数据库不是空的（已有 {count} 张表，例如 {example}）：恢复只写入新的空数据库，绝不覆盖数据。"
        "请新建一个空数据库（PostgreSQL：createdb；SQLite：一个不存在的文件）并把 DATABASE_URL 指向它，"
        "不要先运行 flask db upgrade。",
        "The target database is not empty ({count} tables, e.g. {example}): a restore writes only into a new, "
        "empty database and never over data. Create an empty one (PostgreSQL: createdb; SQLite: a file that does "
        "not exist yet), point DATABASE_URL at it, and do not run flask db upgrade first."),
    "restore_database_file_bad": ("备份的数据库文件 {name} 缺失或已被改动（大小或 SHA-256 与清单不符），拒绝恢复。",
                                  "The backup's database file {name} is missing or was altered (size or SHA-256 "
                                  "differs from the manifest); refusing to restore."),
    "restore_object_bad": (
        "{count} 个备份文件缺失或已被改动（大小或 SHA-256 与清单不符），第一个：{key}。拒绝恢复，数据库和存储都未改动。",
        "{count} backed-up files are missing or altered (size or SHA-256 differs from the manifest), the first: "
        "{key}. Refusing to restore; neither the database nor the storage was changed."),
    "restore_object_conflict": (
        "{count} 个文件在当前存储中已存在但内容不同，第一个：{key}。恢复不会覆盖证据，请使用空的存储（PHOTO_DIR / 存储桶）。",
        "{count} files already exist in the configured storage with other content, the first: {key}. A restore "
        "never overwrites evidence; use an empty store (PHOTO_DIR / bucket)."),
    "restore_object_missing_in_bucket": (
        "清单列出的 {count} 个对象不在存储桶中或内容不同，第一个：{key}。请先从存储桶的版本历史中找回它们。",
        "{count} objects the manifest lists are missing from the bucket or differ, the first: {key}. Recover them "
        "from the bucket's versioning first."),
    "restore_storage_failed": (
        "写入存储失败：{error}。数据库尚未改动；修好存储后再运行同一命令（已放回且内容相同的文件会跳过）。",
        "Writing to the storage failed: {error}. The database was not touched; fix the storage and run the same "
        "command again (files already back with the same content are skipped)."),
    "restore_checked": ("备份已核对：数据库文件和 {objects} 个对象的 SHA-256 均与清单一致。",
                        "Backup checked: the database file and {objects} objects match the manifest's SHA-256."),
    "restore_database_done": ("数据库已恢复。", "Database restored."),
    "restore_objects_progress": ("已放回存储对象 {done}/{total}（{megabytes} MB）…",
                                 "Stored objects put back {done}/{total} ({megabytes} MB) …"),
    "restore_counts_mismatch": (
        "恢复后的行数与清单不符：{tables}。数据库中已是恢复的数据，但它不完整：请删除这个数据库，再检查备份。",
        "Row counts after the restore differ from the manifest: {tables}. The database now holds the restored "
        "data but it is incomplete: drop it and check the backup."),
    "restore_audit_broken": ("恢复后的审计链校验失败：{error}", "The restored audit chain does not verify: {error}"),
    "restore_done": (
        "恢复完成：{tables} 张表共 {rows} 行与清单一致，{objects} 个对象已放回并校验（{restored} 个写入，{present} 个已存在），"
        "审计链完整（{events} 条）。",
        "Restore complete: {tables} tables, {rows} rows as in the manifest; {objects} objects in place and checked "
        "({restored} written, {present} already there); audit chain intact ({events} events)."),
    "restore_upgrade_next": ("备份的数据库版本 {revision} 早于本程序的 {head}：接着运行 flask db upgrade。",
                             "The backup's revision {revision} is older than this code's {head}: run flask db "
                             "upgrade next."),
}

register_messages(MESSAGES)
