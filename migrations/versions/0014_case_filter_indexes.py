"""case filter indexes and a matter's 重点项目 reason: a 决定日期 range lists in 决定日期 order read
from (decided_on, id), so a page is the first rows of the range instead of a walk of the 受理日期
index past every case outside it; matter + status reads its page in 受理日期 order and its count
from one index (bench/cases_bench.py, BENCHMARKS.md); `matters.key_project_reason` says why a
matter is 重点项目 (未央 三（三）)

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_decided_on')
        batch_op.create_index('ix_cases_decided_on_id', ['decided_on', 'id'], unique=False)
        batch_op.create_index('ix_cases_matter_status_received',
                              ['matter_id', 'status', 'received_on', 'id', 'valid_until'], unique=False)
    with op.batch_alter_table('matters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key_project_reason', sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('matters', schema=None) as batch_op:
        batch_op.drop_column('key_project_reason')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_matter_status_received')
        batch_op.drop_index('ix_cases_decided_on_id')
        batch_op.create_index('ix_cases_decided_on', ['decided_on'], unique=False)
