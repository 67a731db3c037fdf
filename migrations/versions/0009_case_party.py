"""Penalty cases name their liable party (当事人), one case per inspection, authority and party

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

Issue 9: cases name the liable party of their items, not always the contractor. ``party`` is the
kind (contractor | builder | haulier | driver), ``party_name`` the name the case states. Existing
cases take the party of their first item (before this revision a case held one authority's items,
which in the data shipped so far fell on one party except a site's bare-land item, 建设单位) and the
name the records give for it. The unique key becomes (inspection, authority, party).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

UNKNOWN = {"contractor": "施工单位（名称未登记）", "builder": "建设单位（名称未登记）",
           "haulier": "运输单位（未登记）", "driver": "车牌 {plate} 的驾驶人"}

cases = sa.table('penalty_cases', sa.column('id', sa.Integer), sa.column('items', sa.JSON),
                 sa.column('contractor', sa.String), sa.column('site_id', sa.Integer),
                 sa.column('plate', sa.String), sa.column('party', sa.String),
                 sa.column('party_name', sa.String))
sites = sa.table('sites', sa.column('id', sa.Integer), sa.column('builder', sa.String))


def _backfill(connection) -> None:
    builders = dict(connection.execute(sa.select(sites.c.id, sites.c.builder)).all())
    rows = connection.execute(sa.select(cases.c.id, cases.c["items"], cases.c.contractor, cases.c.site_id,
                                        cases.c.plate)).all()
    for case_id, items, contractor, site_id, plate in rows:
        first = (items or [{}])[0] if isinstance(items, list) else {}
        kind = first.get("liable") or ("contractor" if site_id is not None else "haulier")
        if kind not in UNKNOWN:
            kind = "contractor" if site_id is not None else "haulier"
        known = {"contractor": contractor, "builder": builders.get(site_id), "haulier": contractor}.get(kind)
        name = known or UNKNOWN[kind].format(plate=plate or "")
        connection.execute(sa.update(cases).where(cases.c.id == case_id).values(party=kind, party_name=name))


def upgrade():
    with op.batch_alter_table('penalty_cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('party', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('party_name', sa.String(length=120), nullable=True))
    _backfill(op.get_bind())
    with op.batch_alter_table('penalty_cases', schema=None) as batch_op:
        batch_op.alter_column('party', existing_type=sa.String(length=12), nullable=False)
        batch_op.drop_constraint('uq_penalty_cases_inspection_authority', type_='unique')
        batch_op.create_unique_constraint('uq_penalty_cases_inspection_authority_party',
                                          ['inspection_id', 'authority', 'party'])


def downgrade():
    # Going back to one case per inspection and authority fails if an inspection has two parties'
    # cases of one authority: those must be merged or removed by hand first.
    with op.batch_alter_table('penalty_cases', schema=None) as batch_op:
        batch_op.drop_constraint('uq_penalty_cases_inspection_authority_party', type_='unique')
        batch_op.create_unique_constraint('uq_penalty_cases_inspection_authority', ['inspection_id', 'authority'])
        batch_op.drop_column('party_name')
        batch_op.drop_column('party')
