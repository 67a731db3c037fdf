"""Migration 0004 gives checklist items stored before it the liable party their requirement has now."""
import sqlalchemy as sa
from flask_migrate import upgrade

from inspect_app.extensions import db
from tests.test_migrations import fresh_app  # noqa: F401  (fixture)


def test_items_stored_before_0004_get_their_liable_party(fresh_app):  # noqa: F811
    migrations = fresh_app.extensions["migrate"].directory
    with fresh_app.app_context():
        upgrade(directory=migrations, revision="0003")
        db.session.execute(sa.text(
            "INSERT INTO checklist_versions (id, source_key, version, content_hash, kind, title_zh, title_en, clause,"
            " position, raw_text, created_at) VALUES"
            " (1, 'six-100', 1, 'a', 'site', 't', 't', 'c', 10, '', CURRENT_TIMESTAMP),"
            " (2, 'muck-truck', 1, 'b', 'truck', 't', 't', 'c', 10, '', CURRENT_TIMESTAMP)"))
        rows = [(1, 1, "hoarding", "hoarding"), (2, 1, "idle_area_cover", "idle_area_cover"),
                (3, 2, "sealed", "truck_sealed"), (4, 2, "not_overloaded", "truck_not_overloaded")]
        for item_id, version_id, key, requirement in rows:
            db.session.execute(sa.text(
                "INSERT INTO checklist_items (id, version_id, key, requirement, position, text_zh, text_en, clause,"
                " legal_basis, weight, veto, photos_on_fail, phases, rectify_days) VALUES"
                " (:id, :version, :key, :requirement, 0, 't', 't', 'c', '{}', 5, false, 1, '[\"all\"]', 1)"),
                {"id": item_id, "version": version_id, "key": key, "requirement": requirement})
        db.session.commit()
        upgrade(directory=migrations, revision="0004")
        liable = dict(db.session.execute(sa.text("SELECT key, liable FROM checklist_items")).all())
        db.session.remove()
    assert liable == {"hoarding": "contractor", "idle_area_cover": "builder", "sealed": "haulier",
                      "not_overloaded": "driver"}
