"""Statistics that do not grow with history: site_stats, inspections.flag_count, covering indexes

``site_stats`` holds each site's latest and previous score, grade and last inspection, kept current
by the write path (scorecards.operations) and filled here from the history. ``inspections.flag_count``
is len(flags), filled here. Two partial indexes on counted inspections (covering on PostgreSQL) let
the 30-day figures read only the window; one on violations lets rankings probe for earlier ones.

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-30

"""
from alembic import op
import sqlalchemy as sa
import inspect_app.core.models


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

COUNTED = sa.text("kind = 'site' AND site_id IS NOT NULL AND review_status <> 'superseded'")

# The definitions of SiteStats (scorecards/models.py), as the write path computes them.
FILL_SITE_STATS = """
INSERT INTO site_stats (site_id, score, grade, previous_score, last_inspected_at)
SELECT sites.id, latest.score, latest.grade, latest.previous_score, last.last_inspected_at
FROM sites
LEFT OUTER JOIN (
    SELECT site_id,
           max(CASE WHEN rn = 1 THEN score END) AS score,
           max(CASE WHEN rn = 1 THEN grade END) AS grade,
           max(CASE WHEN rn = 2 THEN score END) AS previous_score
    FROM (SELECT site_id, score, grade,
                 row_number() OVER (PARTITION BY site_id ORDER BY finished_at DESC, id DESC) AS rn
          FROM inspections
          WHERE kind = 'site' AND site_id IS NOT NULL AND review_status <> 'superseded'
            AND score IS NOT NULL) AS scored
    WHERE rn <= 2
    GROUP BY site_id
) AS latest ON latest.site_id = sites.id
LEFT OUTER JOIN (
    SELECT site_id, max(finished_at) AS last_inspected_at
    FROM inspections
    WHERE kind = 'site' AND site_id IS NOT NULL AND review_status <> 'superseded'
    GROUP BY site_id
) AS last ON last.site_id = sites.id
"""


def upgrade():
    op.create_table('site_stats',
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('grade', sa.String(length=12), nullable=True),
    sa.Column('previous_score', sa.Float(), nullable=True),
    sa.Column('last_inspected_at', inspect_app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_site_stats_site_id_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('site_id', name=op.f('pk_site_stats'))
    )
    with op.batch_alter_table('site_stats', schema=None) as batch_op:
        batch_op.create_index('ix_site_stats_score', ['score'], unique=False)
        batch_op.create_index('ix_site_stats_last_inspected', ['last_inspected_at'], unique=False)

    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('flag_count', sa.Integer(), server_default='0', nullable=False))
    if op.get_bind().dialect.name == "postgresql":  # a JSON null or scalar has no length there
        length = "CASE WHEN json_typeof(flags) = 'array' THEN json_array_length(flags) ELSE 0 END"
        op.execute(f"UPDATE inspections SET flag_count = {length} WHERE {length} > 0")
    else:
        op.execute("UPDATE inspections SET flag_count = json_array_length(flags) "
                   "WHERE json_valid(flags) AND json_type(flags) = 'array' AND json_array_length(flags) > 0")
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.create_index('ix_inspections_counted_window', ['finished_at'], unique=False,
                              postgresql_where=COUNTED, sqlite_where=COUNTED,
                              postgresql_include=['site_id', 'score', 'flag_count'])
        batch_op.create_index('ix_inspections_counted_site', ['site_id', 'finished_at', 'id'], unique=False,
                              postgresql_where=COUNTED, sqlite_where=COUNTED,
                              postgresql_include=['score', 'grade', 'flag_count'])

    with op.batch_alter_table('violations', schema=None) as batch_op:
        batch_op.create_index('ix_violations_site_item_found', ['site_id', 'item_key', 'found_at', 'id'],
                              unique=False)

    op.execute(FILL_SITE_STATS)


def downgrade():
    with op.batch_alter_table('violations', schema=None) as batch_op:
        batch_op.drop_index('ix_violations_site_item_found')
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.drop_index('ix_inspections_counted_site')
        batch_op.drop_index('ix_inspections_counted_window')
        batch_op.drop_column('flag_count')
    with op.batch_alter_table('site_stats', schema=None) as batch_op:
        batch_op.drop_index('ix_site_stats_last_inspected')
        batch_op.drop_index('ix_site_stats_score')
    op.drop_table('site_stats')
